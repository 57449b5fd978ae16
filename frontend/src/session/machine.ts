/**
 * The voice session's state machine, pure: `transition(state, event, config)` returns the next
 * state and the effects to run (session/controller.ts runs them). Phases:
 *
 *   idle ─start→ connecting ─ICE connected→ listening ⇄ thinking ⇄ speaking
 *                  │  ↺ retry (backoff)          │ lost / agent asks to reconnect
 *                  ▼                             ▼
 *                error ◀─retries used up── reconnecting ─ICE connected→ listening
 *
 * Each connection attempt has an id; events from an attempt that was already given up are
 * ignored. The machine owns one timer at a time (ICE timeout, retry wait or disconnect grace),
 * identified by a token so a stale timer firing changes nothing.
 */
import type { AgentState } from "../protocol";
import { isRetryable, type SessionFailure } from "./errors";

export type Phase =
  "idle" | "connecting" | "listening" | "thinking" | "speaking" | "reconnecting" | "error";

export interface MachineConfig {
  iceTimeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  disconnectGraceMs: number;
}

type TimerPurpose = "ice-timeout" | "retry" | "disconnect-grace";

export interface SessionState {
  phase: Phase;
  /** Id of the latest attempt (0 before the first). */
  attemptId: number;
  /** Whether that attempt is still open (and must be closed when leaving it). */
  attemptOpen: boolean;
  /** Try number within the current connect or reconnect, from 1 to `maxAttempts`. */
  attempt: number;
  sessionId: string | null;
  /** In `error`: why. While retrying: why the previous try failed. */
  failure: SessionFailure | null;
  /** Why the agent asked for a new session, while reconnecting because of it. */
  reconnectReason: string | null;
  microphone: "none" | "requesting" | "ready";
  timer: { token: number; purpose: TimerPurpose } | null;
  /** Last timer token handed out. */
  timerToken: number;
}

export type ConnectionStateValue = "connected" | "disconnected" | "failed" | "closed";

export type SessionEvent =
  | { type: "start" }
  | { type: "stop" }
  | { type: "microphoneReady" }
  | { type: "microphoneFailed"; failure: SessionFailure }
  | { type: "sessionCreated"; attemptId: number; sessionId: string }
  | { type: "answered"; attemptId: number }
  | { type: "connectionState"; attemptId: number; value: ConnectionStateValue }
  | { type: "attemptFailed"; attemptId: number; failure: SessionFailure }
  | { type: "agentState"; attemptId: number; value: AgentState }
  | { type: "agentReconnect"; attemptId: number; reason: string | null }
  | { type: "timerFired"; token: number };

export type Effect =
  | { type: "acquireMicrophone" }
  | { type: "releaseMicrophone" }
  | { type: "openAttempt"; attemptId: number }
  | { type: "closeAttempt"; attemptId: number }
  | { type: "startTimer"; token: number; ms: number }
  | { type: "cancelTimer" };

export interface Transition {
  state: SessionState;
  effects: Effect[];
}

export const initialSessionState: SessionState = {
  phase: "idle",
  attemptId: 0,
  attemptOpen: false,
  attempt: 0,
  sessionId: null,
  failure: null,
  reconnectReason: null,
  microphone: "none",
  timer: null,
  timerToken: 0,
};

export function isConnected(phase: Phase): boolean {
  return phase === "listening" || phase === "thinking" || phase === "speaking";
}

/** Whether the session is on its way up or up, i.e. the main button means "Stop". */
export function isActive(phase: Phase): boolean {
  return phase !== "idle" && phase !== "error";
}

/** Wait before the try after try number `attempt`: doubling from the base, capped. */
export function backoffDelay(attempt: number, config: MachineConfig): number {
  return Math.min(config.backoffBaseMs * 2 ** Math.max(0, attempt - 1), config.backoffMaxMs);
}

const unchanged = (state: SessionState): Transition => ({ state, effects: [] });

function startTimer(state: SessionState, purpose: TimerPurpose, ms: number): Transition {
  const token = state.timerToken + 1;
  return {
    state: { ...state, timer: { token, purpose }, timerToken: token },
    effects: [{ type: "startTimer", token, ms }],
  };
}

/** Leaves the current attempt (if open) and its timer (if any). */
function leaveAttempt(state: SessionState): Transition {
  const effects: Effect[] = [];
  if (state.attemptOpen) effects.push({ type: "closeAttempt", attemptId: state.attemptId });
  if (state.timer) effects.push({ type: "cancelTimer" });
  return { state: { ...state, attemptOpen: false, timer: null }, effects };
}

function beginAttempt(
  state: SessionState,
  attempt: number,
  phase: "connecting" | "reconnecting",
): Transition {
  const left = leaveAttempt(state);
  const attemptId = state.attemptId + 1;
  return {
    state: { ...left.state, phase, attemptId, attemptOpen: true, attempt, sessionId: null },
    effects: [...left.effects, { type: "openAttempt", attemptId }],
  };
}

function toError(state: SessionState, failure: SessionFailure): Transition {
  const left = leaveAttempt(state);
  const effects = [...left.effects];
  if (state.microphone !== "none") effects.push({ type: "releaseMicrophone" });
  return {
    state: { ...left.state, phase: "error", failure, microphone: "none", sessionId: null },
    effects,
  };
}

function retryingPhase(state: SessionState): "connecting" | "reconnecting" {
  return state.phase === "connecting" ? "connecting" : "reconnecting";
}

function attemptFailed(
  state: SessionState,
  failure: SessionFailure,
  config: MachineConfig,
): Transition {
  if (!isRetryable(failure) || state.attempt >= config.maxAttempts) {
    return toError(state, failure);
  }
  const left = leaveAttempt(state);
  // A session that is gone is best replaced at once; anything else may need a moment.
  const delay = failure.cause === "session-gone" ? 0 : backoffDelay(state.attempt, config);
  const waiting = startTimer(
    { ...left.state, phase: retryingPhase(state), failure, sessionId: null },
    "retry",
    delay,
  );
  return { state: waiting.state, effects: [...left.effects, ...waiting.effects] };
}

/** A working connection went away: start over with a new session and a full set of tries. */
function lost(state: SessionState, reason: string | null): Transition {
  const next = beginAttempt(state, 1, "reconnecting");
  return { ...next, state: { ...next.state, reconnectReason: reason } };
}

function onConnectionState(
  state: SessionState,
  value: ConnectionStateValue,
  config: MachineConfig,
): Transition {
  if (isConnected(state.phase)) {
    switch (value) {
      case "connected":
        if (state.timer?.purpose !== "disconnect-grace") return unchanged(state);
        return { state: { ...state, timer: null }, effects: [{ type: "cancelTimer" }] };
      case "disconnected":
        // ICE often recovers from a short network blip by itself; give it a moment.
        if (state.timer) return unchanged(state);
        return startTimer(state, "disconnect-grace", config.disconnectGraceMs);
      case "failed":
      case "closed":
        return lost(state, null);
    }
  }
  switch (value) {
    case "connected": {
      const cancel: Effect[] = state.timer ? [{ type: "cancelTimer" }] : [];
      return {
        state: { ...state, phase: "listening", failure: null, reconnectReason: null, timer: null },
        effects: cancel,
      };
    }
    case "failed":
    case "closed":
      return attemptFailed(
        state,
        { cause: "connect-timeout", detail: `the connection ${value} before audio flowed` },
        config,
      );
    case "disconnected":
      return unchanged(state);
  }
}

function onTimerFired(state: SessionState, config: MachineConfig): Transition {
  const purpose = state.timer?.purpose;
  const cleared = { ...state, timer: null };
  switch (purpose) {
    case "ice-timeout":
      return attemptFailed(
        cleared,
        {
          cause: "connect-timeout",
          detail: `no audio connection within ${config.iceTimeoutMs / 1000} s`,
        },
        config,
      );
    case "retry":
      return beginAttempt(cleared, state.attempt + 1, retryingPhase(state));
    case "disconnect-grace":
      return lost(cleared, null);
    case undefined:
      return unchanged(state);
  }
}

/** Whether an event belongs to the attempt that is currently open. */
function isCurrent(state: SessionState, attemptId: number): boolean {
  return state.attemptOpen && attemptId === state.attemptId;
}

export function transition(
  state: SessionState,
  event: SessionEvent,
  config: MachineConfig,
): Transition {
  switch (event.type) {
    case "start":
      if (isActive(state.phase)) return unchanged(state);
      return {
        state: {
          ...state,
          phase: "connecting",
          attempt: 0,
          failure: null,
          reconnectReason: null,
          microphone: "requesting",
        },
        effects: [{ type: "acquireMicrophone" }],
      };
    case "stop": {
      if (state.phase === "idle") return unchanged(state);
      const left = leaveAttempt(state);
      const effects = [...left.effects];
      if (state.microphone !== "none") effects.push({ type: "releaseMicrophone" });
      return {
        state: {
          ...left.state,
          phase: "idle",
          attempt: 0,
          sessionId: null,
          failure: null,
          reconnectReason: null,
          microphone: "none",
        },
        effects,
      };
    }
    case "microphoneReady":
      if (state.phase !== "connecting" || state.microphone !== "requesting") {
        return unchanged(state);
      }
      return beginAttempt({ ...state, microphone: "ready" }, 1, "connecting");
    case "microphoneFailed":
      if (state.microphone !== "requesting") return unchanged(state);
      return toError({ ...state, microphone: "none" }, event.failure);
    case "sessionCreated":
      if (!isCurrent(state, event.attemptId)) return unchanged(state);
      return unchanged({ ...state, sessionId: event.sessionId });
    case "answered":
      if (!isCurrent(state, event.attemptId) || isConnected(state.phase) || state.timer) {
        return unchanged(state);
      }
      return startTimer(state, "ice-timeout", config.iceTimeoutMs);
    case "connectionState":
      if (!isCurrent(state, event.attemptId)) return unchanged(state);
      return onConnectionState(state, event.value, config);
    case "attemptFailed":
      if (!isCurrent(state, event.attemptId)) return unchanged(state);
      if (isConnected(state.phase) && isRetryable(event.failure)) {
        return lost(state, null);
      }
      return attemptFailed(state, event.failure, config);
    case "agentState":
      if (!isCurrent(state, event.attemptId) || !isConnected(state.phase)) {
        return unchanged(state);
      }
      return unchanged({ ...state, phase: event.value });
    case "agentReconnect":
      if (!isCurrent(state, event.attemptId)) return unchanged(state);
      return lost(state, event.reason);
    case "timerFired":
      if (state.timer?.token !== event.token) return unchanged(state);
      return onTimerFired(state, config);
  }
}

/**
 * Runs the state machine (machine.ts) against the world: the microphone, connection attempts and
 * the machine's timer. Holds no decisions of its own; React reads it through `subscribe` /
 * `getSnapshot` (useSyncExternalStore).
 */
import { parseAgentEvent, type AgentEvent } from "../protocol";
import type { Attempt, OpenAttempt } from "./attempt";
import { failureFromMediaError } from "./errors";
import {
  initialSessionState,
  transition,
  type Effect,
  type MachineConfig,
  type SessionEvent,
  type SessionState,
} from "./machine";

export interface ControllerDeps {
  config: MachineConfig;
  acquireMicrophone: () => Promise<MediaStream>;
  releaseMicrophone: (stream: MediaStream) => void;
  openAttempt: OpenAttempt;
}

export interface SessionSnapshot {
  session: SessionState;
  /** The agent's voice, for the page's `<audio>` element. */
  remoteStream: MediaStream | null;
}

type AgentEventListener = (event: AgentEvent) => void;

export class VoiceSessionController {
  private snapshot: SessionSnapshot = { session: initialSessionState, remoteStream: null };
  private readonly listeners = new Set<() => void>();
  private readonly eventListeners = new Set<AgentEventListener>();
  private microphone: MediaStream | null = null;
  /** Bumped on every request and release, so a late `getUserMedia` answer is let go. */
  private microphoneRequest = 0;
  private attempt: { id: number; handle: Attempt } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Events raised while an effect runs wait here, so transitions never nest. */
  private readonly pending: SessionEvent[] = [];
  private dispatching = false;

  private readonly deps: ControllerDeps;

  constructor(deps: ControllerDeps) {
    this.deps = deps;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionSnapshot => this.snapshot;

  /** Every valid event the agent sends, in order (the conversation reducer's input). */
  onAgentEvent(listener: AgentEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  start(): void {
    this.dispatch({ type: "start" });
  }

  stop(): void {
    this.dispatch({ type: "stop" });
  }

  /** Sends one message on the events channel; false when there is no open channel. */
  send(data: string): boolean {
    return this.attempt?.handle.send(data) ?? false;
  }

  private update(next: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...next };
    for (const listener of this.listeners) listener();
  }

  private dispatch(event: SessionEvent): void {
    this.pending.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      let next: SessionEvent | undefined;
      while ((next = this.pending.shift()) !== undefined) {
        const { state, effects } = transition(this.snapshot.session, next, this.deps.config);
        if (state !== this.snapshot.session) this.update({ session: state });
        for (const effect of effects) this.run(effect);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case "acquireMicrophone":
        this.requestMicrophone();
        return;
      case "releaseMicrophone":
        this.microphoneRequest++;
        if (this.microphone) this.deps.releaseMicrophone(this.microphone);
        this.microphone = null;
        return;
      case "openAttempt":
        this.openAttempt(effect.attemptId);
        return;
      case "closeAttempt":
        if (this.attempt?.id === effect.attemptId) {
          this.attempt.handle.close();
          this.attempt = null;
          this.update({ remoteStream: null });
        }
        return;
      case "startTimer":
        this.clearTimer();
        this.timer = setTimeout(() => {
          this.timer = null;
          this.dispatch({ type: "timerFired", token: effect.token });
        }, effect.ms);
        return;
      case "cancelTimer":
        this.clearTimer();
        return;
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private requestMicrophone(): void {
    const request = ++this.microphoneRequest;
    this.deps.acquireMicrophone().then(
      (stream) => {
        if (request !== this.microphoneRequest) {
          this.deps.releaseMicrophone(stream);
          return;
        }
        this.microphone = stream;
        this.dispatch({ type: "microphoneReady" });
      },
      (error: unknown) => {
        if (request !== this.microphoneRequest) return;
        this.dispatch({ type: "microphoneFailed", failure: failureFromMediaError(error) });
      },
    );
  }

  private openAttempt(attemptId: number): void {
    const microphone = this.microphone;
    if (microphone === null) return;
    const handle = this.deps.openAttempt(microphone, {
      sessionCreated: (sessionId) => {
        this.dispatch({ type: "sessionCreated", attemptId, sessionId });
      },
      answered: () => {
        this.dispatch({ type: "answered", attemptId });
      },
      connectionState: (value) => {
        this.dispatch({ type: "connectionState", attemptId, value });
      },
      remoteStream: (stream) => {
        if (this.isCurrent(attemptId)) this.update({ remoteStream: stream });
      },
      failed: (failure) => {
        this.dispatch({ type: "attemptFailed", attemptId, failure });
      },
      message: (data) => {
        this.receive(attemptId, data);
      },
    });
    this.attempt = { id: attemptId, handle };
  }

  private isCurrent(attemptId: number): boolean {
    const { session } = this.snapshot;
    return session.attemptOpen && session.attemptId === attemptId;
  }

  private receive(attemptId: number, data: unknown): void {
    if (!this.isCurrent(attemptId)) return;
    const parsed = parseAgentEvent(data);
    if (!parsed.ok) {
      if (parsed.reason !== "unknown-type")
        console.warn(`Sous: dropped an event: ${parsed.message}`);
      return;
    }
    const event = parsed.event;
    if (event.type === "state") {
      this.dispatch({ type: "agentState", attemptId, value: event.value });
    } else if (event.type === "session" && event.value === "reconnect") {
      this.dispatch({ type: "agentReconnect", attemptId, reason: event.reason ?? null });
    }
    for (const listener of this.eventListeners) listener(event);
  }
}

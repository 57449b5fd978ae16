/**
 * The conversation the page shows, built from the data channel's events (docs/events.md):
 * the transcript (partials replaced by their final), tool activity, timers, the latest turn
 * metrics and the agent's error notices. `state` and `session` events drive the connection state
 * machine (session/machine.ts) instead and leave this state unchanged.
 */
import { type AgentEvent, type TimerEvent, type WireTimer } from "./protocol";
import { timerListSchema, toolTimerSchema, type ToolActivity, type ToolTimer } from "./tools";

export type Role = "user" | "assistant";

export interface Utterance {
  kind: "utterance";
  id: number;
  role: Role;
  text: string;
  final: boolean;
  /** Typed into the text box rather than spoken. */
  typed: boolean;
  /** For a typed question: the agent's transcript of it has arrived (and was not added twice). */
  echoed: boolean;
}

export interface Notice {
  kind: "notice";
  id: number;
  text: string;
}

export type FeedEntry = Utterance | Notice;

export type TimerStatus = "running" | "paused" | "fired";

export interface TimerView {
  id: string;
  label: string;
  durationSeconds: number;
  /** When it ends, on this page's clock (ms since the epoch); meaningful while running. */
  endsAtMs: number;
  /** Time left when paused. */
  pausedRemainingMs: number | null;
  status: TimerStatus;
  /** The session that set it: only that session's agent can cancel it. */
  sessionId: string | null;
  cancelRequested: boolean;
}

export interface TurnMetrics {
  turn: number;
  latencyMs: number;
  stages: Record<string, number>;
}

export interface ConversationLimits {
  maxTranscriptEntries: number;
  maxToolCards: number;
}

export interface ConversationState {
  limits: ConversationLimits;
  sessionId: string | null;
  nextId: number;
  feed: FeedEntry[];
  /** Oldest first. */
  tools: ToolActivity[];
  timers: TimerView[];
  /** Timers the cook dismissed, so a late `fired` event does not ring them again. */
  dismissedTimerIds: string[];
  metrics: TurnMetrics | null;
}

export type ConversationAction =
  | { type: "event"; event: AgentEvent; at: number }
  | { type: "sessionStarted"; sessionId: string }
  | { type: "textSent"; text: string }
  | { type: "timerCancelRequested"; id: string }
  | { type: "timerDismissed"; id: string };

const MAX_DISMISSED_TIMERS = 50;

export function initialConversation(limits: ConversationLimits): ConversationState {
  return {
    limits,
    sessionId: null,
    nextId: 1,
    feed: [],
    tools: [],
    timers: [],
    dismissedTimerIds: [],
    metrics: null,
  };
}

function keepLast<T>(items: T[], max: number): T[] {
  return items.length > max ? items.slice(items.length - max) : items;
}

function sameWords(a: string, b: string): boolean {
  const normalize = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  return normalize(a) === normalize(b);
}

function appendEntry(
  state: ConversationState,
  entry: Omit<Utterance, "id"> | Omit<Notice, "id">,
): ConversationState {
  const feed = keepLast(
    [...state.feed, { ...entry, id: state.nextId }],
    state.limits.maxTranscriptEntries,
  );
  return { ...state, feed, nextId: state.nextId + 1 };
}

function onTranscript(
  state: ConversationState,
  role: Role,
  text: string,
  final: boolean,
): ConversationState {
  const feed = state.feed;
  let pending = -1;
  for (let i = feed.length - 1; i >= 0; i--) {
    const entry = feed[i];
    if (entry?.kind === "utterance" && entry.role === role && !entry.final) {
      pending = i;
      break;
    }
  }
  if (pending >= 0) {
    const entry = feed[pending] as Utterance;
    const updated = feed.slice();
    updated[pending] = { ...entry, text, final };
    return { ...state, feed: updated };
  }
  if (role === "user" && final) {
    const lastUser = feed.findLast(
      (e): e is Utterance => e.kind === "utterance" && e.role === "user",
    );
    if (lastUser?.typed && !lastUser.echoed && sameWords(lastUser.text, text)) {
      return {
        ...state,
        feed: feed.map((e) => (e === lastUser ? { ...lastUser, echoed: true } : e)),
      };
    }
  }
  return appendEntry(state, { kind: "utterance", role, text, final, typed: false, echoed: false });
}

function onToolCall(
  state: ConversationState,
  id: string,
  name: string,
  input: Record<string, unknown>,
) {
  const activity: ToolActivity = { id, name, input, status: "running", output: null };
  const tools = keepLast(
    [...state.tools.filter((t) => t.id !== id), activity],
    state.limits.maxToolCards,
  );
  return { ...state, tools };
}

function upsertTimer(state: ConversationState, timer: TimerView): ConversationState {
  if (state.dismissedTimerIds.includes(timer.id)) return state;
  const exists = state.timers.some((t) => t.id === timer.id);
  const timers = exists
    ? state.timers.map((t) => (t.id === timer.id ? timer : t))
    : [...state.timers, timer];
  return { ...state, timers };
}

function removeTimer(state: ConversationState, id: string): ConversationState {
  return { ...state, timers: state.timers.filter((t) => t.id !== id) };
}

function endsAtFrom(timer: WireTimer | ToolTimer, at: number): number {
  if ("remaining_seconds" in timer && timer.remaining_seconds !== undefined) {
    return at + timer.remaining_seconds * 1000;
  }
  const endsAt = Date.parse(timer.ends_at);
  return Number.isNaN(endsAt) ? at + timer.duration_seconds * 1000 : endsAt;
}

function timerFromTool(state: ConversationState, timer: ToolTimer, at: number): TimerView | null {
  if (timer.status !== "running" && timer.status !== "paused") return null;
  const previous = state.timers.find((t) => t.id === timer.id);
  const remainingMs = (timer.remaining_seconds ?? timer.duration_seconds) * 1000;
  return {
    id: timer.id,
    label: timer.label,
    durationSeconds: timer.duration_seconds,
    endsAtMs: endsAtFrom(timer, at),
    pausedRemainingMs: timer.status === "paused" ? remainingMs : null,
    status: timer.status,
    sessionId: timer.session_id ?? previous?.sessionId ?? state.sessionId,
    cancelRequested: previous?.cancelRequested ?? false,
  };
}

function onTimerTool(
  state: ConversationState,
  name: string,
  output: unknown,
  at: number,
): ConversationState {
  if (name === "list_timers") {
    const parsed = timerListSchema.safeParse(output);
    if (!parsed.success) return state;
    const listed = new Set(parsed.data.timers.map((t) => t.id));
    // The list is the truth for this session: drop its timers that are gone from it.
    let next: ConversationState = {
      ...state,
      timers: state.timers.filter(
        (t) => t.status === "fired" || t.sessionId !== state.sessionId || listed.has(t.id),
      ),
    };
    for (const timer of parsed.data.timers) {
      const view = timerFromTool(next, timer, at);
      next = view ? upsertTimer(next, view) : next;
    }
    return next;
  }
  const parsed = toolTimerSchema.safeParse(output);
  if (!parsed.success) return state;
  if (name === "cancel_timer" || parsed.data.status === "cancelled") {
    return removeTimer(state, parsed.data.id);
  }
  const view = timerFromTool(state, parsed.data, at);
  return view ? upsertTimer(state, view) : state;
}

function onToolResult(
  state: ConversationState,
  event: Extract<AgentEvent, { type: "tool_result" }>,
  at: number,
): ConversationState {
  const known = state.tools.find((t) => t.id === event.id);
  const activity: ToolActivity = {
    id: event.id,
    name: event.name,
    input: known?.input ?? {},
    status: event.status,
    output: event.output,
  };
  const tools = known
    ? state.tools.map((t) => (t.id === event.id ? activity : t))
    : keepLast([...state.tools, activity], state.limits.maxToolCards);
  const next = { ...state, tools };
  return event.status === "success" ? onTimerTool(next, event.name, event.output, at) : next;
}

function onTimerEvent(state: ConversationState, event: TimerEvent, at: number): ConversationState {
  const { action, timer } = event;
  if (action === "cancelled") return removeTimer(state, timer.id);
  const previous = state.timers.find((t) => t.id === timer.id);
  if (action === "set") {
    // A set event arrives as the timer starts: counting from now avoids clock skew with the server.
    if (previous) return state;
    return upsertTimer(state, {
      id: timer.id,
      label: timer.label,
      durationSeconds: timer.duration_seconds,
      endsAtMs: at + timer.duration_seconds * 1000,
      pausedRemainingMs: null,
      status: "running",
      sessionId: state.sessionId,
      cancelRequested: false,
    });
  }
  return upsertTimer(state, {
    id: timer.id,
    label: timer.label,
    durationSeconds: timer.duration_seconds,
    endsAtMs: Math.min(previous?.endsAtMs ?? at, at),
    pausedRemainingMs: null,
    status: "fired",
    sessionId: previous?.sessionId ?? state.sessionId,
    cancelRequested: false,
  });
}

function onEvent(state: ConversationState, event: AgentEvent, at: number): ConversationState {
  switch (event.type) {
    case "transcript":
      return onTranscript(state, event.role, event.text, event.final);
    case "tool_call":
      return onToolCall(state, event.id, event.name, event.input);
    case "tool_result":
      return onToolResult(state, event, at);
    case "timer":
      return onTimerEvent(state, event, at);
    case "metrics":
      return {
        ...state,
        metrics: { turn: event.turn, latencyMs: event.latency_ms, stages: event.stages },
      };
    case "error":
      return appendEntry(state, { kind: "notice", text: event.message });
    case "state":
    case "session":
      return state;
  }
}

export function conversationReducer(
  state: ConversationState,
  action: ConversationAction,
): ConversationState {
  switch (action.type) {
    case "event":
      return onEvent(state, action.event, action.at);
    case "sessionStarted":
      return { ...state, sessionId: action.sessionId };
    case "textSent":
      return appendEntry(state, {
        kind: "utterance",
        role: "user",
        text: action.text,
        final: true,
        typed: true,
        echoed: false,
      });
    case "timerCancelRequested":
      return {
        ...state,
        timers: state.timers.map((t) => (t.id === action.id ? { ...t, cancelRequested: true } : t)),
      };
    case "timerDismissed":
      return {
        ...removeTimer(state, action.id),
        dismissedTimerIds: keepLast([...state.dismissedTimerIds, action.id], MAX_DISMISSED_TIMERS),
      };
  }
}

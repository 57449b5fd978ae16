/**
 * The `events` data channel's wire format (docs/events.md, section 2): parsing what the media
 * agent sends and building what the browser sends. Version 1 only.
 */
import { z } from "zod";

export const PROTOCOL_VERSION = 1;

const base = { v: z.literal(PROTOCOL_VERSION) };

const transcriptEvent = z.object({
  ...base,
  type: z.literal("transcript"),
  role: z.enum(["user", "assistant"]),
  text: z.string(),
  final: z.boolean(),
});

export const agentStates = ["listening", "thinking", "speaking"] as const;
export type AgentState = (typeof agentStates)[number];

const stateEvent = z.object({ ...base, type: z.literal("state"), value: z.enum(agentStates) });

const toolCallEvent = z.object({
  ...base,
  type: z.literal("tool_call"),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()).default({}),
});

const toolResultEvent = z.object({
  ...base,
  type: z.literal("tool_result"),
  id: z.string(),
  name: z.string(),
  status: z.enum(["success", "error"]),
  output: z.unknown(),
});

export const timerSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  duration_seconds: z.number().nonnegative(),
  ends_at: z.string(),
});
export type WireTimer = z.infer<typeof timerSchema>;

const timerEvent = z.object({
  ...base,
  type: z.literal("timer"),
  action: z.enum(["set", "cancelled", "fired"]),
  timer: timerSchema,
});

const metricsEvent = z.object({
  ...base,
  type: z.literal("metrics"),
  turn: z.number(),
  latency_ms: z.number(),
  stages: z.record(z.string(), z.number()).default({}),
});

const errorEvent = z.object({ ...base, type: z.literal("error"), message: z.string() });

const sessionEvent = z.object({
  ...base,
  type: z.literal("session"),
  value: z.string(),
  reason: z.string().optional(),
});

const agentEvent = z.discriminatedUnion("type", [
  transcriptEvent,
  stateEvent,
  toolCallEvent,
  toolResultEvent,
  timerEvent,
  metricsEvent,
  errorEvent,
  sessionEvent,
]);

export type AgentEvent = z.infer<typeof agentEvent>;
export type AgentEventType = AgentEvent["type"];
export type TranscriptEvent = z.infer<typeof transcriptEvent>;
export type ToolCallEvent = z.infer<typeof toolCallEvent>;
export type ToolResultEvent = z.infer<typeof toolResultEvent>;
export type TimerEvent = z.infer<typeof timerEvent>;
export type MetricsEvent = z.infer<typeof metricsEvent>;

const knownTypes: ReadonlySet<string> = new Set(agentEvent.options.map((o) => o.shape.type.value));

export type ParseResult =
  | { ok: true; event: AgentEvent }
  | { ok: false; reason: "malformed" | "version" | "unknown-type" | "invalid"; message: string };

/**
 * Parses one data-channel message. Consumers ignore what is not `ok`: unknown types are expected
 * from newer agents; a wrong `v` or a broken message is dropped (the caller logs `message`).
 */
export function parseAgentEvent(data: unknown): ParseResult {
  if (typeof data !== "string") {
    return { ok: false, reason: "malformed", message: "event is not a text message" };
  }
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, reason: "malformed", message: "event is not valid JSON" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, reason: "malformed", message: "event is not a JSON object" };
  }
  const { v, type } = json as { v?: unknown; type?: unknown };
  if (v !== PROTOCOL_VERSION) {
    return { ok: false, reason: "version", message: `event version ${String(v)} is not supported` };
  }
  if (typeof type !== "string" || !knownTypes.has(type)) {
    return { ok: false, reason: "unknown-type", message: `event type ${String(type)} is unknown` };
  }
  const parsed = agentEvent.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      reason: "invalid",
      message: `${type} event: ${z.prettifyError(parsed.error)}`,
    };
  }
  return { ok: true, event: parsed.data };
}

/** A typed question, handled by the agent like a spoken one. */
export function textMessage(text: string): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, type: "text", text });
}

/** Asks the agent to cancel one of this session's timers. */
export function cancelTimerMessage(timerId: string): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, type: "cancel_timer", timer_id: timerId });
}

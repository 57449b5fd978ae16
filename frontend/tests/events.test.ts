import { describe, expect, it } from "vitest";
import {
  conversationReducer,
  initialConversation,
  type ConversationState,
  type Utterance,
} from "../src/events";
import { parseAgentEvent } from "../src/protocol";
import { example, exampleWith } from "./support/eventsDoc";

const limits = { maxTranscriptEntries: 200, maxToolCards: 20 };
const T0 = Date.parse("2026-11-25T12:00:00Z");

/** What the page does with one data-channel message: parse, then reduce if valid. */
function receive(state: ConversationState, data: string, at = T0): ConversationState {
  const parsed = parseAgentEvent(data);
  return parsed.ok ? conversationReducer(state, { type: "event", event: parsed.event, at }) : state;
}

function receiveAll(messages: string[], state = initialConversation(limits)): ConversationState {
  return messages.reduce((s, m) => receive(s, m), state);
}

function transcript(role: string, text: string, final: boolean): string {
  return exampleWith("transcript", { role, text, final });
}

function utterances(state: ConversationState): Pick<Utterance, "role" | "text" | "final">[] {
  return state.feed
    .filter((e): e is Utterance => e.kind === "utterance")
    .map(({ role, text, final }) => ({ role, text, final }));
}

const timerId = "8f0c2f1e6b0a4a0f9f4c1f5e2d3c4b5a";
const documentedTimer = (JSON.parse(example("timer")) as { timer: object }).timer;
const pastaTimer = (action: string) => exampleWith("timer", { action });

describe("transcript", () => {
  it("shows the documented final transcript", () => {
    const state = receiveAll([example("transcript")]);
    expect(utterances(state)).toEqual([
      { role: "user", text: "how many grams is two cups of flour", final: true },
    ]);
  });

  it("replaces partials with the final of the same utterance", () => {
    const state = receiveAll([
      transcript("user", "how many", false),
      transcript("user", "how many grams is", false),
      transcript("user", "how many grams is two cups of flour", true),
    ]);
    expect(utterances(state)).toEqual([
      { role: "user", text: "how many grams is two cups of flour", final: true },
    ]);
  });

  it("keeps each side's utterances apart when they interleave", () => {
    const state = receiveAll([
      transcript("user", "two cups of flour", true),
      transcript("assistant", "Two cups", false),
      transcript("user", "sorry", false),
      transcript("assistant", "Two cups of flour is about 250 g.", true),
      transcript("user", "sorry, sugar", true),
    ]);
    expect(utterances(state)).toEqual([
      { role: "user", text: "two cups of flour", final: true },
      { role: "assistant", text: "Two cups of flour is about 250 g.", final: true },
      { role: "user", text: "sorry, sugar", final: true },
    ]);
  });

  it("starts a new entry after a final", () => {
    const state = receiveAll([
      transcript("assistant", "First answer.", true),
      transcript("assistant", "Second", false),
    ]);
    expect(utterances(state).map((u) => u.text)).toEqual(["First answer.", "Second"]);
  });

  it("shows a typed question once, even when the agent echoes its transcript", () => {
    let state = conversationReducer(initialConversation(limits), {
      type: "textSent",
      text: "Set a timer for 8 minutes for the pasta",
    });
    state = receive(state, transcript("user", "set a timer for 8 minutes for the pasta", true));
    expect(utterances(state)).toHaveLength(1);
    expect(state.feed[0]).toMatchObject({ typed: true, echoed: true });
    // The same words spoken later are a new utterance.
    state = receive(state, transcript("user", "set a timer for 8 minutes for the pasta", true));
    expect(utterances(state)).toHaveLength(2);
  });

  it("keeps only the latest entries", () => {
    let state = initialConversation({ maxTranscriptEntries: 3, maxToolCards: 20 });
    for (const n of [1, 2, 3, 4, 5]) state = receive(state, transcript("user", `line ${n}`, true));
    expect(utterances(state).map((u) => u.text)).toEqual(["line 3", "line 4", "line 5"]);
    expect(new Set(state.feed.map((e) => e.id)).size).toBe(3);
  });
});

describe("tool activity", () => {
  it("pairs the documented tool_call and tool_result", () => {
    const called = receiveAll([example("tool_call")]);
    expect(called.tools).toEqual([
      {
        id: "tooluse_1",
        name: "convert_units",
        input: { quantity: 2, from_unit: "cup", to_unit: "g", ingredient: "flour" },
        status: "running",
        output: null,
      },
    ]);
    const done = receive(called, example("tool_result"));
    expect(done.tools).toHaveLength(1);
    expect(done.tools[0]).toMatchObject({
      status: "success",
      input: { quantity: 2 },
      output: { quantity: 250.0, unit: "g", text: "2 cups of flour is about 250 g" },
    });
  });

  it("shows a result that arrives without its call", () => {
    const state = receiveAll([example("tool_result")]);
    expect(state.tools[0]).toMatchObject({ id: "tooluse_1", status: "success", input: {} });
  });

  it("keeps a failed tool with its message", () => {
    const state = receiveAll([
      example("tool_call"),
      exampleWith("tool_result", { status: "error", output: { message: "Unknown unit 'cupz'" } }),
    ]);
    expect(state.tools[0]).toMatchObject({
      status: "error",
      output: { message: "Unknown unit 'cupz'" },
    });
  });

  it("keeps only the latest cards", () => {
    let state = initialConversation({ maxTranscriptEntries: 200, maxToolCards: 2 });
    for (const id of ["a", "b", "c"]) state = receive(state, exampleWith("tool_call", { id }));
    expect(state.tools.map((t) => t.id)).toEqual(["b", "c"]);
  });
});

describe("timers", () => {
  it("counts a set timer down from when it arrived", () => {
    const state = receive(initialConversation(limits), pastaTimer("set"), T0);
    expect(state.timers).toEqual([
      {
        id: timerId,
        label: "pasta",
        durationSeconds: 480,
        endsAtMs: T0 + 480_000,
        pausedRemainingMs: null,
        status: "running",
        sessionId: null,
        cancelRequested: false,
      },
    ]);
  });

  it("marks the documented fired event, even for a timer it never saw set", () => {
    const fresh = receive(initialConversation(limits), example("timer"), T0);
    expect(fresh.timers[0]).toMatchObject({ id: timerId, status: "fired", label: "pasta" });
    const set = receive(initialConversation(limits), pastaTimer("set"), T0);
    const fired = receive(set, example("timer"), T0 + 480_100);
    expect(fired.timers).toHaveLength(1);
    expect(fired.timers[0]).toMatchObject({ status: "fired", endsAtMs: T0 + 480_000 });
  });

  it("removes a cancelled timer", () => {
    const set = receive(initialConversation(limits), pastaTimer("set"));
    expect(receive(set, pastaTimer("cancelled")).timers).toEqual([]);
  });

  it("does not ring a dismissed timer again", () => {
    let state = receive(initialConversation(limits), pastaTimer("set"));
    state = conversationReducer(state, { type: "timerDismissed", id: timerId });
    state = receive(state, example("timer"));
    expect(state.timers).toEqual([]);
  });

  it("tags timers with the session that set them", () => {
    let state = conversationReducer(initialConversation(limits), {
      type: "sessionStarted",
      sessionId: "s1",
    });
    state = receive(state, pastaTimer("set"));
    expect(state.timers[0]?.sessionId).toBe("s1");
  });

  it("adds the timer from set_timer's result using the time it has left", () => {
    const output = {
      id: "t2",
      session_id: "s1",
      label: "eggs",
      duration_seconds: 420,
      ends_at: "2026-11-25T12:07:00Z",
      status: "running",
      remaining_seconds: 419.5,
    };
    const state = receive(
      initialConversation(limits),
      exampleWith("tool_result", { id: "tu2", name: "set_timer", output }),
      T0,
    );
    expect(state.timers[0]).toMatchObject({
      id: "t2",
      label: "eggs",
      endsAtMs: T0 + 419_500,
      sessionId: "s1",
      status: "running",
    });
    // The set event that follows does not move the end.
    const again = receive(
      state,
      exampleWith("timer", { action: "set", timer: { ...output, id: "t2" } }),
      T0 + 900,
    );
    expect(again.timers).toHaveLength(1);
    expect(again.timers[0]?.endsAtMs).toBe(T0 + 419_500);
  });

  it("takes list_timers as the truth for this session", () => {
    let state = conversationReducer(initialConversation(limits), {
      type: "sessionStarted",
      sessionId: "s1",
    });
    state = receive(state, pastaTimer("set"));
    const listed = {
      timers: [
        {
          id: "t3",
          session_id: "s1",
          label: "rice",
          duration_seconds: 1080,
          ends_at: "2026-11-25T12:18:00Z",
          status: "paused",
          remaining_seconds: 600,
        },
      ],
    };
    state = receive(
      state,
      exampleWith("tool_result", { id: "tu3", name: "list_timers", output: listed }),
    );
    expect(state.timers.map((t) => [t.id, t.status, t.pausedRemainingMs])).toEqual([
      ["t3", "paused", 600_000],
    ]);
  });

  it("removes a timer that cancel_timer reports cancelled", () => {
    let state = receive(initialConversation(limits), pastaTimer("set"));
    state = conversationReducer(state, { type: "timerCancelRequested", id: timerId });
    expect(state.timers[0]?.cancelRequested).toBe(true);
    const output = { ...documentedTimer, status: "cancelled" };
    state = receive(state, exampleWith("tool_result", { id: "tu4", name: "cancel_timer", output }));
    expect(state.timers).toEqual([]);
  });
});

describe("metrics and errors", () => {
  it("keeps the latest turn's metrics", () => {
    const state = receiveAll([example("metrics")]);
    expect(state.metrics).toEqual({
      turn: 3,
      latencyMs: 612.4,
      stages: { vad_ms: 240.0, stt_ms: 180.2, brain_ms: 95.1, tts_first_chunk_ms: 71.3 },
    });
  });

  it("shows the agent's error as a notice in the conversation", () => {
    const state = receiveAll([example("error")]);
    expect(state.feed).toEqual([
      {
        kind: "notice",
        id: 1,
        text: "The tools service is not answering, so I can't look that up right now.",
      },
    ]);
  });
});

describe("messages that change nothing", () => {
  const before = receiveAll([example("transcript"), example("tool_call")]);

  it.each([
    ["state (the session machine's)", example("state")],
    ["session (the session machine's)", example("session")],
    ["an unknown type", JSON.stringify({ v: 1, type: "confetti" })],
    ["a wrong version", exampleWith("transcript", { v: 2, text: "from the future" })],
    ["malformed JSON", "{not json"],
    ["a known type with bad fields", exampleWith("timer", { timer: { id: 5 } })],
  ])("%s", (_name, data) => {
    expect(receive(before, data)).toBe(before);
  });
});

import { describe, expect, it } from "vitest";
import type { SessionFailure } from "../../src/session/errors";
import {
  backoffDelay,
  initialSessionState,
  isActive,
  transition,
  type Effect,
  type SessionEvent,
  type SessionState,
} from "../../src/session/machine";
import { testConfig as config } from "../support/scripted";

/** Runs events through the machine, collecting every effect. */
function run(events: SessionEvent[], from: SessionState = initialSessionState) {
  let state = from;
  const effects: Effect[] = [];
  for (const event of events) {
    const next = transition(state, event, config);
    state = next.state;
    effects.push(...next.effects);
  }
  return { state, effects };
}

function step(state: SessionState, event: SessionEvent) {
  return transition(state, event, config);
}

/** Token of the machine's current timer. */
function timerToken(state: SessionState): number {
  if (!state.timer) throw new Error(`no timer in ${state.phase}`);
  return state.timer.token;
}

const busy: SessionFailure = { cause: "agent-busy", detail: "No agent is free" };
const gone: SessionFailure = { cause: "session-gone", detail: "agent gone" };
const denied: SessionFailure = { cause: "permission-denied", detail: null };

/** Started, microphone granted, first attempt open (id 1). */
const opened = run([{ type: "start" }, { type: "microphoneReady" }]).state;
/** Attempt 1 answered: the ICE timeout runs. */
const answered = run(
  [
    { type: "sessionCreated", attemptId: 1, sessionId: "s1" },
    { type: "answered", attemptId: 1 },
  ],
  opened,
).state;
const listening = step(answered, {
  type: "connectionState",
  attemptId: 1,
  value: "connected",
}).state;

describe("starting", () => {
  it("asks for the microphone first", () => {
    const { state, effects } = step(initialSessionState, { type: "start" });
    expect(state).toMatchObject({ phase: "connecting", microphone: "requesting" });
    expect(effects).toEqual([{ type: "acquireMicrophone" }]);
  });

  it("opens the first attempt once the microphone is granted", () => {
    const { state, effects } = run([{ type: "start" }, { type: "microphoneReady" }]);
    expect(state).toMatchObject({
      phase: "connecting",
      attempt: 1,
      attemptId: 1,
      attemptOpen: true,
    });
    expect(effects).toEqual([{ type: "acquireMicrophone" }, { type: "openAttempt", attemptId: 1 }]);
  });

  it("ignores Start while already starting or connected", () => {
    expect(step(opened, { type: "start" }).state).toBe(opened);
    expect(step(listening, { type: "start" }).state).toBe(listening);
  });

  it("records the session id of the current attempt", () => {
    expect(answered.sessionId).toBe("s1");
  });

  it("runs the ICE timeout from the answer on", () => {
    const { state, effects } = step(
      run([{ type: "sessionCreated", attemptId: 1, sessionId: "s1" }], opened).state,
      { type: "answered", attemptId: 1 },
    );
    expect(state.timer?.purpose).toBe("ice-timeout");
    expect(effects).toEqual([{ type: "startTimer", token: timerToken(state), ms: 10_000 }]);
  });

  it("listens once connected and stops the ICE timeout", () => {
    const { state, effects } = step(answered, {
      type: "connectionState",
      attemptId: 1,
      value: "connected",
    });
    expect(state).toMatchObject({ phase: "listening", timer: null, failure: null });
    expect(effects).toEqual([{ type: "cancelTimer" }]);
  });
});

describe("the agent's state", () => {
  it("moves between listening, thinking and speaking", () => {
    const phases = (["thinking", "speaking", "listening"] as const).map(
      (value) => step(listening, { type: "agentState", attemptId: 1, value }).state.phase,
    );
    expect(phases).toEqual(["thinking", "speaking", "listening"]);
  });

  it("is ignored before the connection is up", () => {
    expect(step(answered, { type: "agentState", attemptId: 1, value: "speaking" }).state).toBe(
      answered,
    );
  });
});

describe("ICE timeout and retries", () => {
  it("retries after the timeout with a fresh session, backing off", () => {
    const timedOut = step(answered, { type: "timerFired", token: timerToken(answered) });
    expect(timedOut.state).toMatchObject({
      phase: "connecting",
      attemptOpen: false,
      sessionId: null,
      failure: { cause: "connect-timeout" },
    });
    expect(timedOut.effects).toEqual([
      { type: "closeAttempt", attemptId: 1 },
      { type: "startTimer", token: timerToken(timedOut.state), ms: 1_000 },
    ]);
    const retried = step(timedOut.state, { type: "timerFired", token: timerToken(timedOut.state) });
    expect(retried.state).toMatchObject({ attempt: 2, attemptId: 2, attemptOpen: true });
    expect(retried.effects).toEqual([{ type: "openAttempt", attemptId: 2 }]);
  });

  it("gives up after the last attempt and says why", () => {
    let state = answered;
    const waits: number[] = [];
    for (;;) {
      const failed = step(state, { type: "timerFired", token: timerToken(state) });
      state = failed.state;
      if (state.phase === "error") {
        expect(failed.effects).toEqual([
          { type: "closeAttempt", attemptId: 4 },
          { type: "releaseMicrophone" },
        ]);
        break;
      }
      const wait = failed.effects.find((e) => e.type === "startTimer");
      if (wait?.type === "startTimer") waits.push(wait.ms);
      const next = state.attemptId + 1;
      state = run(
        [
          { type: "timerFired", token: timerToken(state) },
          { type: "answered", attemptId: next },
        ],
        state,
      ).state;
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(state).toMatchObject({
      phase: "error",
      attemptId: 4,
      microphone: "none",
      failure: { cause: "connect-timeout" },
    });
  });

  it("counts a failed ICE as a failed attempt", () => {
    const { state } = step(answered, { type: "connectionState", attemptId: 1, value: "failed" });
    expect(state).toMatchObject({ phase: "connecting", failure: { cause: "connect-timeout" } });
    expect(state.timer?.purpose).toBe("retry");
  });

  it("retries a busy agent, then reports it", () => {
    let state = opened;
    for (let attemptId = 1; attemptId < config.maxAttempts; attemptId++) {
      state = step(state, { type: "attemptFailed", attemptId, failure: busy }).state;
      expect(state.phase).toBe("connecting");
      state = step(state, { type: "timerFired", token: timerToken(state) }).state;
    }
    state = step(state, { type: "attemptFailed", attemptId: 4, failure: busy }).state;
    expect(state).toMatchObject({ phase: "error", failure: busy });
  });

  it("replaces a session that is gone at once", () => {
    const { effects } = step(answered, { type: "attemptFailed", attemptId: 1, failure: gone });
    expect(effects).toContainEqual(expect.objectContaining({ type: "startTimer", ms: 0 }));
  });

  it.each(["too-many-sessions", "not-signed-in", "rejected", "unexpected"] as const)(
    "does not retry %s",
    (cause) => {
      const { state } = step(answered, {
        type: "attemptFailed",
        attemptId: 1,
        failure: { cause, detail: null },
      });
      expect(state).toMatchObject({ phase: "error", failure: { cause }, attemptOpen: false });
    },
  );

  it("caps the backoff", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, config))).toEqual([
      1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
  });
});

describe("microphone problems", () => {
  it("go straight to an error with nothing to close", () => {
    const { state, effects } = run([
      { type: "start" },
      { type: "microphoneFailed", failure: denied },
    ]);
    expect(state).toMatchObject({ phase: "error", failure: denied, microphone: "none" });
    expect(effects).toEqual([{ type: "acquireMicrophone" }]);
  });

  it("can be tried again from the error", () => {
    const failed = run([{ type: "start" }, { type: "microphoneFailed", failure: denied }]).state;
    const { state, effects } = step(failed, { type: "start" });
    expect(state).toMatchObject({ phase: "connecting", failure: null });
    expect(effects).toEqual([{ type: "acquireMicrophone" }]);
  });
});

describe("losing a working connection", () => {
  it("reconnects at once with a new session when the agent asks", () => {
    const { state, effects } = step(listening, {
      type: "agentReconnect",
      attemptId: 1,
      reason: "agent is shutting down",
    });
    expect(state).toMatchObject({
      phase: "reconnecting",
      attempt: 1,
      attemptId: 2,
      reconnectReason: "agent is shutting down",
    });
    expect(effects).toEqual([
      { type: "closeAttempt", attemptId: 1 },
      { type: "openAttempt", attemptId: 2 },
    ]);
  });

  it("is back to listening when the new attempt connects", () => {
    const { state } = run(
      [
        { type: "agentReconnect", attemptId: 1, reason: "drain" },
        { type: "answered", attemptId: 2 },
        { type: "connectionState", attemptId: 2, value: "connected" },
      ],
      listening,
    );
    expect(state).toMatchObject({ phase: "listening", reconnectReason: null, attemptId: 2 });
  });

  it("gives a short disconnect time to recover", () => {
    const blip = step(listening, { type: "connectionState", attemptId: 1, value: "disconnected" });
    expect(blip.state.phase).toBe("listening");
    expect(blip.effects).toEqual([
      { type: "startTimer", token: timerToken(blip.state), ms: 5_000 },
    ]);
    const recovered = step(blip.state, {
      type: "connectionState",
      attemptId: 1,
      value: "connected",
    });
    expect(recovered.state.timer).toBeNull();
    expect(recovered.effects).toEqual([{ type: "cancelTimer" }]);
  });

  it("reconnects when the disconnect lasts", () => {
    const blip = step(listening, { type: "connectionState", attemptId: 1, value: "disconnected" });
    const { state } = step(blip.state, { type: "timerFired", token: timerToken(blip.state) });
    expect(state).toMatchObject({ phase: "reconnecting", attemptId: 2, attempt: 1 });
  });

  it("reconnects when the connection fails or closes", () => {
    for (const value of ["failed", "closed"] as const) {
      const { state } = step(listening, { type: "connectionState", attemptId: 1, value });
      expect(state).toMatchObject({ phase: "reconnecting", attemptId: 2 });
    }
  });

  it("reconnects when the agent's session vanished mid-conversation", () => {
    const { state } = step(listening, { type: "attemptFailed", attemptId: 1, failure: gone });
    expect(state).toMatchObject({ phase: "reconnecting", attemptId: 2 });
  });

  it("retries a failed reconnect as 'reconnecting'", () => {
    const reconnecting = step(listening, {
      type: "agentReconnect",
      attemptId: 1,
      reason: null,
    }).state;
    const { state } = step(reconnecting, { type: "attemptFailed", attemptId: 2, failure: busy });
    expect(state).toMatchObject({ phase: "reconnecting", failure: busy });
  });
});

describe("stopping", () => {
  it("closes the attempt, its timer and the microphone", () => {
    const { state, effects } = step(answered, { type: "stop" });
    expect(state).toMatchObject({
      phase: "idle",
      attemptOpen: false,
      timer: null,
      sessionId: null,
    });
    expect(effects).toEqual([
      { type: "closeAttempt", attemptId: 1 },
      { type: "cancelTimer" },
      { type: "releaseMicrophone" },
    ]);
  });

  it("while waiting for the microphone just returns to idle", () => {
    const { state, effects } = run([{ type: "start" }, { type: "stop" }]);
    expect(state.phase).toBe("idle");
    expect(effects).toEqual([{ type: "acquireMicrophone" }, { type: "releaseMicrophone" }]);
  });

  it("clears an error", () => {
    const failed = run([{ type: "start" }, { type: "microphoneFailed", failure: denied }]).state;
    expect(step(failed, { type: "stop" }).state).toMatchObject({ phase: "idle", failure: null });
  });

  it("does nothing when idle", () => {
    expect(step(initialSessionState, { type: "stop" })).toEqual({
      state: initialSessionState,
      effects: [],
    });
  });

  it("ignores a microphone answer that comes after Stop", () => {
    const stopped = run([{ type: "start" }, { type: "stop" }]).state;
    expect(step(stopped, { type: "microphoneReady" }).state).toBe(stopped);
  });
});

describe("stale events", () => {
  it("from an attempt that was given up change nothing", () => {
    const retrying = step(answered, { type: "timerFired", token: timerToken(answered) }).state;
    const events: SessionEvent[] = [
      { type: "connectionState", attemptId: 1, value: "connected" },
      { type: "sessionCreated", attemptId: 1, sessionId: "old" },
      { type: "attemptFailed", attemptId: 1, failure: denied },
      { type: "agentReconnect", attemptId: 1, reason: null },
      { type: "answered", attemptId: 1 },
    ];
    for (const event of events) expect(step(retrying, event).state).toBe(retrying);
  });

  it("from a timer that was replaced change nothing", () => {
    expect(step(listening, { type: "timerFired", token: 999 }).state).toBe(listening);
  });
});

describe("isActive", () => {
  it("is what makes the main button a Stop button", () => {
    expect(isActive("idle")).toBe(false);
    expect(isActive("error")).toBe(false);
    for (const phase of [
      "connecting",
      "listening",
      "thinking",
      "speaking",
      "reconnecting",
    ] as const) {
      expect(isActive(phase)).toBe(true);
    }
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AgentEvent } from "../../src/protocol";
import { VoiceSessionController } from "../../src/session/controller";
import { example, exampleWith } from "../support/eventsDoc";
import { fakeMicrophone, ScriptedAttempts, scriptedDeps } from "../support/scripted";

let attempts: ScriptedAttempts;

beforeEach(() => {
  vi.useFakeTimers();
  attempts = new ScriptedAttempts();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A controller started with the microphone granted, its first attempt open. */
async function started(deps = scriptedDeps(attempts)) {
  const controller = new VoiceSessionController(deps);
  controller.start();
  await vi.advanceTimersByTimeAsync(0);
  return { controller, deps };
}

const phase = (controller: VoiceSessionController) => controller.getSnapshot().session.phase;

describe("VoiceSessionController", () => {
  it("connects and listens", async () => {
    const { controller } = await started();
    expect(phase(controller)).toBe("connecting");
    attempts.last.connect("s1");
    expect(controller.getSnapshot().session).toMatchObject({ phase: "listening", sessionId: "s1" });
  });

  it("tears down after 10 s without ICE and retries with a new session, backing off", async () => {
    const { controller } = await started();
    for (let n = 1; n <= 4; n++) {
      attempts.last.createSession(`s${n}`);
      attempts.last.answer();
      await vi.advanceTimersByTimeAsync(9_999);
      expect(attempts.last.closed).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(attempts.last.closed).toBe(true);
      if (n < 4) {
        expect(phase(controller)).toBe("connecting");
        const before = attempts.attempts.length;
        await vi.advanceTimersByTimeAsync(1_000 * 2 ** (n - 1) - 1);
        expect(attempts.attempts.length).toBe(before);
        await vi.advanceTimersByTimeAsync(1);
        expect(attempts.attempts.length).toBe(before + 1);
        expect(controller.getSnapshot().session.attempt).toBe(n + 1);
      }
    }
    expect(attempts.attempts).toHaveLength(4);
    expect(controller.getSnapshot().session).toMatchObject({
      phase: "error",
      failure: { cause: "connect-timeout" },
    });
  });

  it("releases the microphone and closes the attempt on stop", async () => {
    const { controller, deps } = await started();
    attempts.last.connect();
    controller.stop();
    expect(attempts.last.closed).toBe(true);
    expect(deps.releaseMicrophone).toHaveBeenCalledTimes(1);
    expect(phase(controller)).toBe("idle");
  });

  it("lets go of a microphone granted after Stop", async () => {
    let grant: (stream: MediaStream) => void = () => undefined;
    const deps = scriptedDeps(attempts, () => new Promise((resolve) => (grant = resolve)));
    const controller = new VoiceSessionController(deps);
    controller.start();
    controller.stop();
    const late = fakeMicrophone();
    grant(late);
    await vi.advanceTimersByTimeAsync(0);
    expect(deps.releaseMicrophone).toHaveBeenCalledWith(late);
    expect(attempts.attempts).toHaveLength(0);
    expect(phase(controller)).toBe("idle");
  });

  it.each([
    ["NotAllowedError", "permission-denied"],
    ["NotFoundError", "no-microphone"],
    ["NotReadableError", "microphone-busy"],
    ["NotSupportedError", "unsupported"],
  ])("reports a microphone %s as %s", async (name, cause) => {
    const deps = scriptedDeps(attempts, () => Promise.reject(new DOMException("no", name)));
    const { controller } = await started(deps);
    expect(controller.getSnapshot().session).toMatchObject({ phase: "error", failure: { cause } });
    expect(attempts.attempts).toHaveLength(0);
  });

  it("follows the agent's state events", async () => {
    const { controller } = await started();
    attempts.last.connect();
    attempts.last.receive(example("state"));
    expect(phase(controller)).toBe("thinking");
    attempts.last.receive(exampleWith("state", { value: "speaking" }));
    expect(phase(controller)).toBe("speaking");
  });

  it("starts a new session when the agent asks to reconnect", async () => {
    const { controller } = await started();
    attempts.last.connect("s1");
    const first = attempts.last;
    first.receive(example("session"));
    expect(first.closed).toBe(true);
    expect(attempts.attempts).toHaveLength(2);
    expect(controller.getSnapshot().session).toMatchObject({
      phase: "reconnecting",
      reconnectReason: "agent is shutting down",
    });
    attempts.last.connect("s2");
    expect(controller.getSnapshot().session).toMatchObject({ phase: "listening", sessionId: "s2" });
  });

  it("passes valid agent events on, in order, and drops the rest", async () => {
    const { controller } = await started();
    const seen: AgentEvent["type"][] = [];
    controller.onAgentEvent((event) => seen.push(event.type));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    attempts.last.connect();
    attempts.last.receive(example("transcript"));
    attempts.last.receive("{oops");
    attempts.last.receive(JSON.stringify({ v: 1, type: "future_thing" }));
    attempts.last.receive(exampleWith("metrics", { v: 7 }));
    attempts.last.receive(example("tool_call"));
    expect(seen).toEqual(["transcript", "tool_call"]);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("ignores messages from an attempt it gave up", async () => {
    const { controller } = await started();
    const seen: string[] = [];
    controller.onAgentEvent((event) => seen.push(event.type));
    const first = attempts.last;
    first.createSession("s1");
    first.answer();
    await vi.advanceTimersByTimeAsync(10_000);
    first.receive(example("transcript"));
    first.connection("connected");
    expect(seen).toEqual([]);
    expect(phase(controller)).toBe("connecting");
  });

  it("sends on the open channel only", async () => {
    const { controller } = await started();
    expect(controller.send("{}")).toBe(false);
    attempts.last.connect();
    expect(controller.send('{"v":1}')).toBe(true);
    expect(attempts.last.sent).toEqual(['{"v":1}']);
  });

  it("retries a busy agent and then explains", async () => {
    const { controller } = await started();
    for (let n = 1; n <= 4; n++) {
      attempts.last.fail({ cause: "agent-busy", detail: "No sous-chef is free" });
      await vi.advanceTimersByTimeAsync(8_000);
    }
    expect(attempts.attempts).toHaveLength(4);
    expect(controller.getSnapshot().session).toMatchObject({
      phase: "error",
      failure: { cause: "agent-busy", detail: "No sous-chef is free" },
    });
  });

  it("does not retry when there are too many sessions", async () => {
    const { controller, deps } = await started();
    attempts.last.fail({ cause: "too-many-sessions", detail: "limit 3" });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts.attempts).toHaveLength(1);
    expect(phase(controller)).toBe("error");
    expect(deps.releaseMicrophone).toHaveBeenCalledTimes(1);
  });

  it("tells subscribers about every change", async () => {
    const controller = new VoiceSessionController(scriptedDeps(attempts));
    const phases: string[] = [];
    controller.subscribe(() => phases.push(phase(controller)));
    controller.start();
    await vi.advanceTimersByTimeAsync(0);
    attempts.last.connect();
    controller.stop();
    expect(phases.filter((p, i) => p !== phases[i - 1])).toEqual([
      "connecting",
      "listening",
      "idle",
    ]);
  });
});

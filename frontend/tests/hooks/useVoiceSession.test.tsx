// @vitest-environment jsdom
import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import { anonymous } from "../../src/api/signaling";
import { defaultSettings } from "../../src/config";
import { useVoiceSession } from "../../src/hooks/useVoiceSession";
import { example, exampleWith } from "../support/eventsDoc";
import { ScriptedAttempts, scriptedDeps } from "../support/scripted";

let attempts: ScriptedAttempts;

beforeEach(() => {
  attempts = new ScriptedAttempts();
});

async function connectedHook(sessionId = "s1") {
  const deps = scriptedDeps(attempts);
  const hook = renderHook(() => useVoiceSession(defaultSettings, anonymous, () => deps));
  act(() => {
    hook.result.current.start();
  });
  await waitFor(() => {
    expect(attempts.attempts).toHaveLength(1);
  });
  act(() => {
    attempts.last.connect(sessionId);
  });
  return { hook, deps };
}

describe("useVoiceSession", () => {
  it("builds the conversation from the agent's events", async () => {
    const { hook } = await connectedHook();
    act(() => {
      attempts.last.receive(example("transcript"));
      attempts.last.receive(example("state"));
      attempts.last.receive(example("tool_call"));
    });
    const { session, conversation } = hook.result.current;
    expect(session.phase).toBe("thinking");
    expect(conversation.feed).toHaveLength(1);
    expect(conversation.tools).toHaveLength(1);
    expect(conversation.sessionId).toBe("s1");
  });

  it("sends a typed question on the data channel and shows it", async () => {
    const { hook } = await connectedHook();
    let sent = false;
    act(() => {
      sent = hook.result.current.sendText("  how long do I boil an egg?  ");
    });
    expect(sent).toBe(true);
    expect(attempts.last.sent.map((m) => JSON.parse(m) as unknown)).toEqual([
      { v: 1, type: "text", text: "how long do I boil an egg?" },
    ]);
    expect(hook.result.current.conversation.feed[0]).toMatchObject({
      role: "user",
      text: "how long do I boil an egg?",
      typed: true,
    });
  });

  it("refuses empty, overlong or unconnected questions", async () => {
    const deps = scriptedDeps(attempts);
    const idle = renderHook(() => useVoiceSession(defaultSettings, anonymous, () => deps));
    expect(idle.result.current.sendText("hello")).toBe(false);
    const { hook } = await connectedHook();
    expect(hook.result.current.sendText("   ")).toBe(false);
    expect(hook.result.current.sendText("x".repeat(defaultSettings.maxTextLength + 1))).toBe(false);
    expect(attempts.last.sent).toEqual([]);
  });

  it("asks the agent to cancel a timer of this session", async () => {
    const { hook } = await connectedHook();
    act(() => {
      attempts.last.receive(exampleWith("timer", { action: "set" }));
    });
    const timerId = hook.result.current.conversation.timers[0]?.id ?? "";
    act(() => {
      hook.result.current.cancelTimer(timerId);
    });
    expect(JSON.parse(attempts.last.sent[0] ?? "")).toEqual({
      v: 1,
      type: "cancel_timer",
      timer_id: "8f0c2f1e6b0a4a0f9f4c1f5e2d3c4b5a",
    });
    expect(hook.result.current.conversation.timers[0]?.cancelRequested).toBe(true);
    act(() => {
      attempts.last.receive(exampleWith("timer", { action: "cancelled" }));
    });
    expect(hook.result.current.conversation.timers).toEqual([]);
  });

  it("takes a timer of an earlier session off the screen without asking the new agent", async () => {
    const { hook } = await connectedHook("s1");
    act(() => {
      attempts.last.receive(exampleWith("timer", { action: "set" }));
      attempts.last.receive(example("session"));
    });
    act(() => {
      attempts.last.connect("s2");
    });
    const timerId = hook.result.current.conversation.timers[0]?.id ?? "";
    act(() => {
      hook.result.current.cancelTimer(timerId);
    });
    expect(attempts.last.sent).toEqual([]);
    expect(hook.result.current.conversation.timers).toEqual([]);
  });

  it("closes the session when the page is hidden for good", async () => {
    const { hook, deps } = await connectedHook();
    act(() => {
      window.dispatchEvent(new Event("pagehide"));
    });
    expect(attempts.last.closed).toBe(true);
    expect(deps.releaseMicrophone).toHaveBeenCalled();
    expect(hook.result.current.session.phase).toBe("idle");
  });

  it("closes the session on unmount", async () => {
    const { hook } = await connectedHook();
    hook.unmount();
    expect(attempts.last.closed).toBe(true);
  });
});

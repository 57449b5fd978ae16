import { describe, expect, it } from "vitest";
import { cancelTimerMessage, parseAgentEvent, textMessage } from "../src/protocol";
import { agentExampleNames, example, exampleWith, examples } from "./support/eventsDoc";

describe("parseAgentEvent", () => {
  it("finds every data-channel example in docs/events.md", () => {
    for (const name of [...agentExampleNames, "client.text", "client.cancel_timer"]) {
      expect(examples.has(name), name).toBe(true);
    }
  });

  it.each(agentExampleNames)("accepts the documented %s event", (name) => {
    const parsed = parseAgentEvent(example(name));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.event.type).toBe(name);
  });

  it("keeps the documented fields", () => {
    const parsed = parseAgentEvent(example("transcript"));
    expect(parsed).toEqual({
      ok: true,
      event: {
        v: 1,
        type: "transcript",
        role: "user",
        text: "how many grams is two cups of flour",
        final: true,
      },
    });
  });

  it("ignores a type it does not know", () => {
    const parsed = parseAgentEvent(JSON.stringify({ v: 1, type: "weather", sunny: true }));
    expect(parsed).toMatchObject({ ok: false, reason: "unknown-type" });
  });

  it("rejects another version", () => {
    expect(parseAgentEvent(exampleWith("transcript", { v: 2 }))).toMatchObject({
      ok: false,
      reason: "version",
    });
    const unversioned = JSON.parse(example("state")) as Record<string, unknown>;
    delete unversioned.v;
    expect(parseAgentEvent(JSON.stringify(unversioned))).toMatchObject({ reason: "version" });
  });

  it.each([
    ["broken JSON", '{"v": 1, "type": "transcript", '],
    ["a JSON array", "[1, 2]"],
    ["a JSON string", '"hello"'],
    ["null", "null"],
  ])("rejects %s as malformed", (_name, data) => {
    expect(parseAgentEvent(data)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("rejects binary messages", () => {
    expect(parseAgentEvent(new ArrayBuffer(4))).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("rejects a known type with wrong fields and says which", () => {
    const parsed = parseAgentEvent(exampleWith("transcript", { role: "chef" }));
    expect(parsed).toMatchObject({ ok: false, reason: "invalid" });
    if (!parsed.ok) expect(parsed.message).toContain("role");
    expect(parseAgentEvent(exampleWith("state", { value: "sleeping" }))).toMatchObject({
      reason: "invalid",
    });
    expect(parseAgentEvent(exampleWith("metrics", { latency_ms: "fast" }))).toMatchObject({
      reason: "invalid",
    });
  });

  it("tolerates fields added by a newer agent", () => {
    const parsed = parseAgentEvent(exampleWith("error", { code: "tools_down" }));
    expect(parsed).toMatchObject({ ok: true, event: { type: "error" } });
  });
});

describe("client messages", () => {
  it("builds the documented text message", () => {
    const documented = JSON.parse(example("client.text")) as { text: string };
    expect(JSON.parse(textMessage(documented.text))).toEqual(documented);
  });

  it("builds the documented cancel_timer message", () => {
    const documented = JSON.parse(example("client.cancel_timer")) as { timer_id: string };
    expect(JSON.parse(cancelTimerMessage(documented.timer_id))).toEqual(documented);
  });
});

import { describe, expect, it } from "vitest";
import { SignalingError } from "../../src/api/signaling";
import {
  describeFailure,
  failureFromError,
  failureFromMediaError,
  failureFromSignaling,
  isRetryable,
  type FailureCause,
} from "../../src/session/errors";

const http = (status: number | null, detail: string | null = null) =>
  failureFromSignaling(new SignalingError(status, detail, `HTTP ${status ?? "none"}`));

describe("failureFromSignaling", () => {
  it.each([
    [null, null, "signaling-down"],
    [502, null, "signaling-down"],
    [504, null, "signaling-down"],
    [503, null, "signaling-down"],
    [503, "No media agent is free; try again in a minute.", "agent-busy"],
    [429, "Too many sessions from your address", "too-many-sessions"],
    [410, "The agent of this session is gone; start a new session.", "session-gone"],
    [404, "Unknown session", "session-gone"],
    [401, "Missing bearer token", "not-signed-in"],
    [403, "Token expired", "not-signed-in"],
    [400, "The offer has no audio m-line", "rejected"],
    [413, "SDP larger than 65536 bytes", "rejected"],
    [500, "boom", "unexpected"],
  ] as const)("HTTP %s (detail %s) is %s", (status, detail, cause) => {
    expect(http(status, detail).cause).toBe(cause);
  });

  it("keeps the service's detail for the small print", () => {
    expect(http(429, "limit is 3 per address").detail).toBe("limit is 3 per address");
  });
});

describe("failureFromMediaError", () => {
  it.each([
    ["NotAllowedError", "permission-denied"],
    ["SecurityError", "permission-denied"],
    ["NotFoundError", "no-microphone"],
    ["OverconstrainedError", "no-microphone"],
    ["NotReadableError", "microphone-busy"],
    ["NotSupportedError", "unsupported"],
    ["TypeError", "unexpected"],
  ])("%s is %s", (name, cause) => {
    expect(failureFromMediaError(new DOMException("msg", name)).cause).toBe(cause);
  });

  it("copes with things that are not errors", () => {
    expect(failureFromMediaError("nope")).toEqual({ cause: "unexpected", detail: null });
  });
});

describe("failureFromError", () => {
  it("maps signaling errors by status and anything else as unexpected", () => {
    expect(failureFromError(new SignalingError(503, "busy", "x")).cause).toBe("agent-busy");
    expect(failureFromError(new Error("setRemoteDescription failed"))).toEqual({
      cause: "unexpected",
      detail: "setRemoteDescription failed",
    });
  });
});

describe("describeFailure", () => {
  const causes: FailureCause[] = [
    "permission-denied",
    "no-microphone",
    "microphone-busy",
    "unsupported",
    "signaling-down",
    "agent-busy",
    "too-many-sessions",
    "session-gone",
    "connect-timeout",
    "not-signed-in",
    "rejected",
    "unexpected",
  ];

  it.each(causes)("gives %s a title, a plain message and a way forward", (cause) => {
    const view = describeFailure({ cause, detail: null });
    expect(view.title.length).toBeGreaterThan(3);
    expect(view.message).toMatch(/\.$/);
    expect(view.action.length).toBeGreaterThan(3);
  });

  it("tells each cause apart", () => {
    const messages = new Set(
      causes.map((cause) => describeFailure({ cause, detail: null }).message),
    );
    expect(messages.size).toBe(causes.length);
  });

  it("retries only what a new attempt can cure", () => {
    const retried = causes.filter((cause) => isRetryable({ cause, detail: null }));
    expect(retried).toEqual(["signaling-down", "agent-busy", "session-gone", "connect-timeout"]);
  });
});

import { describe, expect, it } from "vitest";
import type { TimerView } from "../src/events";
import { isRinging, remainingMs } from "../src/timers";

const T0 = 1_000_000;
const timer = (overrides: Partial<TimerView> = {}): TimerView => ({
  id: "t",
  label: "pasta",
  durationSeconds: 480,
  endsAtMs: T0 + 480_000,
  pausedRemainingMs: null,
  status: "running",
  sessionId: "s1",
  cancelRequested: false,
  ...overrides,
});

describe("remainingMs", () => {
  it("counts down to zero and stays there", () => {
    expect(remainingMs(timer(), T0 + 60_000)).toBe(420_000);
    expect(remainingMs(timer(), T0 + 999_000)).toBe(0);
  });

  it("never shows more than the timer's length", () => {
    expect(remainingMs(timer(), T0 - 2_000)).toBe(480_000);
  });

  it("stands still while paused and is zero once fired", () => {
    expect(remainingMs(timer({ status: "paused", pausedRemainingMs: 90_000 }), T0 + 400_000)).toBe(
      90_000,
    );
    expect(remainingMs(timer({ status: "fired" }), T0)).toBe(0);
  });
});

describe("isRinging", () => {
  it("rings when fired or when the countdown ran out, not while paused", () => {
    expect(isRinging(timer(), T0 + 479_999)).toBe(false);
    expect(isRinging(timer(), T0 + 480_000)).toBe(true);
    expect(isRinging(timer({ status: "fired" }), T0)).toBe(true);
    expect(isRinging(timer({ status: "paused", pausedRemainingMs: 0 }), T0 + 999_000)).toBe(false);
  });
});

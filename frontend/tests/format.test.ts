import { describe, expect, it } from "vitest";
import {
  capitalize,
  formatAmount,
  formatCountdown,
  formatDuration,
  formatLatency,
} from "../src/format";

describe("format", () => {
  it("shows countdowns rounded up, with hours when needed", () => {
    expect(formatCountdown(480_000)).toBe("8:00");
    expect(formatCountdown(479_001)).toBe("8:00");
    expect(formatCountdown(479_000)).toBe("7:59");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
    expect(formatCountdown(-5)).toBe("0:00");
  });

  it("says durations in words", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(480)).toBe("8 min");
    expect(formatDuration(90)).toBe("1 min 30 s");
    expect(formatDuration(5400)).toBe("1 h 30 min");
    expect(formatDuration(7200)).toBe("2 h");
  });

  it("shows latency in ms below a second", () => {
    expect(formatLatency(612.4)).toBe("612 ms");
    expect(formatLatency(1430)).toBe("1.4 s");
  });

  it("shows amounts with their unit", () => {
    expect(formatAmount(12.63, "g")).toBe("12.6 g");
    expect(formatAmount(143, "kcal")).toBe("143 kcal");
  });

  it("capitalizes labels", () => {
    expect(capitalize("pasta")).toBe("Pasta");
    expect(capitalize("")).toBe("");
  });
});

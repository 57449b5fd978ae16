import { describe, expect, it } from "vitest";
import { defaultSettings, loadSettings } from "../src/config";

describe("loadSettings", () => {
  it("uses the documented defaults", () => {
    expect(loadSettings({})).toEqual(defaultSettings);
    expect(defaultSettings.iceTimeoutMs).toBe(10_000);
  });

  it("reads overrides from VITE_SOUS_* variables", () => {
    const settings = loadSettings({
      VITE_SOUS_API_BASE: "https://sous.example/",
      VITE_SOUS_ICE_TIMEOUT_MS: "15000",
      VITE_SOUS_MAX_ATTEMPTS: "2",
    });
    expect(settings).toMatchObject({
      apiBase: "https://sous.example",
      iceTimeoutMs: 15_000,
      maxAttempts: 2,
    });
  });

  it("names a bad value", () => {
    expect(() => loadSettings({ VITE_SOUS_ICE_TIMEOUT_MS: "ten seconds" })).toThrow(
      'VITE_SOUS_ICE_TIMEOUT_MS must be a whole number of at least 0, got "ten seconds"',
    );
  });
});

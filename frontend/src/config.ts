/**
 * The frontend's settings. Each can be overridden at build time with a `VITE_SOUS_*` variable
 * (see docs/frontend.md); the defaults are the values the issue asks for.
 */

export interface Settings {
  /** Prefix of the signaling API: "" for the same origin (dev proxy or served by signaling). */
  apiBase: string;
  /** A connection attempt that has not reached ICE `connected` by then is torn down. */
  iceTimeoutMs: number;
  /** Connection attempts per start or reconnect, the first one included. */
  maxAttempts: number;
  /** Wait before retry n is `backoffBaseMs * 2^(n-1)`, capped at `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long ICE may stay `disconnected` before the session counts as lost. */
  disconnectGraceMs: number;
  /** Longest wait for one signaling request (creating a session may wake a cold agent). */
  requestTimeoutMs: number;
  /** How often the agent's ICE candidates are polled until signaling reports them complete. */
  candidatePollMs: number;
  /** Bounds on what the page keeps, so a long cooking session does not grow without end. */
  maxTranscriptEntries: number;
  maxToolCards: number;
  /** Longest typed question sent on the data channel (its messages are at most 16 KiB). */
  maxTextLength: number;
}

export const defaultSettings: Settings = {
  apiBase: "",
  iceTimeoutMs: 10_000,
  maxAttempts: 4,
  backoffBaseMs: 1_000,
  backoffMaxMs: 8_000,
  disconnectGraceMs: 5_000,
  requestTimeoutMs: 30_000,
  candidatePollMs: 500,
  maxTranscriptEntries: 200,
  maxToolCards: 20,
  maxTextLength: 2_000,
};

type Env = Partial<Record<string, string | boolean | undefined>>;

function intSetting(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (typeof raw !== "string" || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number of at least 0, got "${raw}"`);
  }
  return value;
}

/** Reads the settings from Vite's `import.meta.env` (or any env-like record in tests). */
export function loadSettings(env: Env): Settings {
  const apiBase = env.VITE_SOUS_API_BASE;
  return {
    apiBase: typeof apiBase === "string" ? apiBase.replace(/\/+$/, "") : defaultSettings.apiBase,
    iceTimeoutMs: intSetting(env, "VITE_SOUS_ICE_TIMEOUT_MS", defaultSettings.iceTimeoutMs),
    maxAttempts: Math.max(
      1,
      intSetting(env, "VITE_SOUS_MAX_ATTEMPTS", defaultSettings.maxAttempts),
    ),
    backoffBaseMs: intSetting(env, "VITE_SOUS_BACKOFF_BASE_MS", defaultSettings.backoffBaseMs),
    backoffMaxMs: intSetting(env, "VITE_SOUS_BACKOFF_MAX_MS", defaultSettings.backoffMaxMs),
    disconnectGraceMs: intSetting(
      env,
      "VITE_SOUS_DISCONNECT_GRACE_MS",
      defaultSettings.disconnectGraceMs,
    ),
    requestTimeoutMs: intSetting(
      env,
      "VITE_SOUS_REQUEST_TIMEOUT_MS",
      defaultSettings.requestTimeoutMs,
    ),
    candidatePollMs: intSetting(
      env,
      "VITE_SOUS_CANDIDATE_POLL_MS",
      defaultSettings.candidatePollMs,
    ),
    maxTranscriptEntries: defaultSettings.maxTranscriptEntries,
    maxToolCards: defaultSettings.maxToolCards,
    maxTextLength: defaultSettings.maxTextLength,
  };
}

/**
 * Why a voice session could not start or went away, and what the cook can do about it. Every
 * failure maps to one plain message and one way forward; none leaves a blank screen.
 */
import { SignalingError } from "../api/signaling";

export type FailureCause =
  | "permission-denied"
  | "no-microphone"
  | "microphone-busy"
  | "unsupported"
  | "signaling-down"
  | "agent-busy"
  | "too-many-sessions"
  | "session-gone"
  | "connect-timeout"
  | "not-signed-in"
  | "rejected"
  | "unexpected";

export interface SessionFailure {
  cause: FailureCause;
  /** What the server or browser said, shown in small print under the plain message. */
  detail: string | null;
}

export interface FailureView {
  title: string;
  message: string;
  /** Label of the button that tries again. */
  action: string;
}

/** Causes a fresh attempt can cure by itself; the rest need the cook to do something first. */
const retryableCauses: ReadonlySet<FailureCause> = new Set([
  "signaling-down",
  "agent-busy",
  "session-gone",
  "connect-timeout",
]);

export function isRetryable(failure: SessionFailure): boolean {
  return retryableCauses.has(failure.cause);
}

const views: Record<FailureCause, FailureView> = {
  "permission-denied": {
    title: "Microphone blocked",
    message:
      "Sous needs your microphone to hear you. Allow it for this page (click the microphone or " +
      "lock icon in the address bar), then try again.",
    action: "Try again",
  },
  "no-microphone": {
    title: "No microphone found",
    message: "Plug in or switch on a microphone, then try again.",
    action: "Try again",
  },
  "microphone-busy": {
    title: "Microphone in use",
    message: "Another app is using the microphone. Close it, then try again.",
    action: "Try again",
  },
  unsupported: {
    title: "Voice isn't available here",
    message:
      "This page needs a current browser (Chrome, Edge, Firefox or Safari) opened over https " +
      "or on localhost.",
    action: "Try again",
  },
  "signaling-down": {
    title: "Can't reach Sous",
    message:
      "The Sous server isn't answering. Check your network, or that the server is running, " +
      "then try again.",
    action: "Try again",
  },
  "agent-busy": {
    title: "Every sous-chef is busy",
    message: "All voice agents are taken right now. Try again in a minute.",
    action: "Try again",
  },
  "too-many-sessions": {
    title: "Sous is open elsewhere",
    message:
      "Too many Sous sessions are open from this network. Close Sous in another tab or device, " +
      "then try again.",
    action: "Try again",
  },
  "session-gone": {
    title: "The connection ended",
    message: "The voice agent went away. Start a new session to keep talking.",
    action: "Start a new session",
  },
  "connect-timeout": {
    title: "The audio didn't connect",
    message:
      "Sous answered, but the voice connection didn't come up. A firewall or VPN may be " +
      "blocking it. Check your network, then try again.",
    action: "Try again",
  },
  "not-signed-in": {
    title: "Sign-in needed",
    message:
      "This Sous server only talks to signed-in cooks, and it did not accept your sign-in " +
      "(or it has expired). Sign in again, then try again.",
    action: "Try again",
  },
  rejected: {
    title: "Sous couldn't start",
    message: "The server turned down the request. Reloading the page usually fixes this.",
    action: "Try again",
  },
  unexpected: {
    title: "Something went wrong",
    message: "Try again; if it keeps happening, reload the page.",
    action: "Try again",
  },
};

export function describeFailure(failure: SessionFailure): FailureView {
  return views[failure.cause];
}

function errorName(error: unknown): string {
  return error instanceof Error || error instanceof DOMException ? error.name : "";
}

function errorMessage(error: unknown): string | null {
  return error instanceof Error || error instanceof DOMException ? error.message || null : null;
}

/** Maps a `getUserMedia` rejection to its cause. */
export function failureFromMediaError(error: unknown): SessionFailure {
  const detail = errorMessage(error);
  switch (errorName(error)) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return { cause: "permission-denied", detail };
    case "NotFoundError":
    case "OverconstrainedError":
    case "DevicesNotFoundError":
      return { cause: "no-microphone", detail };
    case "NotSupportedError":
      return { cause: "unsupported", detail };
    case "NotReadableError":
    case "AbortError":
    case "TrackStartError":
      return { cause: "microphone-busy", detail };
    default:
      return { cause: "unexpected", detail };
  }
}

/**
 * Maps a failed signaling request to its cause. A 5xx without the service's own `{"detail"}`
 * came from a proxy or load balancer in front of it, so the service itself is down.
 */
export function failureFromSignaling(error: SignalingError): SessionFailure {
  const { status, detail } = error;
  if (status === null) return { cause: "signaling-down", detail: error.message };
  if (status === 401 || status === 403) return { cause: "not-signed-in", detail };
  if (status === 404 || status === 410) return { cause: "session-gone", detail };
  if (status === 429) return { cause: "too-many-sessions", detail };
  if (status === 503 && detail !== null) return { cause: "agent-busy", detail };
  if (status >= 500 && detail === null) return { cause: "signaling-down", detail: error.message };
  if (status >= 400 && status < 500) return { cause: "rejected", detail: detail ?? error.message };
  return { cause: "unexpected", detail: detail ?? error.message };
}

/** Maps anything an attempt threw to its cause. */
export function failureFromError(error: unknown): SessionFailure {
  if (error instanceof SignalingError) return failureFromSignaling(error);
  return { cause: "unexpected", detail: errorMessage(error) };
}

import type { SessionState } from "../session/machine";
import "./StatusLine.css";

interface Props {
  session: SessionState;
  maxAttempts: number;
}

const labels: Record<SessionState["phase"], string> = {
  idle: "Ready",
  connecting: "Connecting…",
  listening: "Listening",
  thinking: "Thinking…",
  speaking: "Speaking",
  reconnecting: "Reconnecting…",
  error: "Not connected",
};

function hint(
  { phase, attempt, reconnectReason, microphone }: SessionState,
  maxAttempts: number,
): string {
  if (microphone === "requesting") return "Allow the microphone if your browser asks.";
  switch (phase) {
    case "idle":
      return "Press the button or the space bar, then ask away.";
    case "connecting":
    case "reconnecting": {
      const tries = attempt > 1 ? ` Try ${attempt} of ${maxAttempts}.` : "";
      const why = reconnectReason ? ` The agent said: ${reconnectReason}.` : "";
      return phase === "connecting"
        ? `Waking up your sous-chef.${tries}`
        : `Getting you a fresh connection.${why}${tries}`;
    }
    case "listening":
      return "Ask for a recipe, a timer, a conversion or nutrition facts.";
    case "thinking":
      return "Working on it.";
    case "speaking":
      return "Talk over Sous any time to interrupt.";
    case "error":
      return "See below for what to do.";
  }
}

/** What the session is doing, in a word and a sentence. */
export function StatusLine({ session, maxAttempts }: Props) {
  return (
    <div className="status" data-phase={session.phase}>
      <p
        className="status-state"
        role="status"
        data-testid="session-state"
        data-state={session.phase}
      >
        <span className="status-dot" aria-hidden="true" />
        {labels[session.phase]}
      </p>
      <p className="status-hint">{hint(session, maxAttempts)}</p>
    </div>
  );
}

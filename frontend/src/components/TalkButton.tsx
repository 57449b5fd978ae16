import type { Phase } from "../session/machine";
import { isActive } from "../session/machine";
import "./TalkButton.css";

interface Props {
  phase: Phase;
  onStart: () => void;
  onStop: () => void;
}

function MicIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="talk-icon">
      <rect x="9" y="3" width="6" height="11" rx="3" />
      <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" fill="none" />
    </svg>
  );
}

function StopIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className="talk-icon">
      <rect x="6" y="6" width="12" height="12" rx="2.5" />
    </svg>
  );
}

/** The one big button: start talking, or stop. Space bar does the same (see App). */
export function TalkButton({ phase, onStart, onStop }: Props) {
  const active = isActive(phase);
  return (
    <button
      type="button"
      className="talk"
      data-testid="talk-button"
      data-phase={phase}
      onClick={active ? onStop : onStart}
      aria-keyshortcuts="Space"
    >
      <span className="talk-ring" aria-hidden="true" />
      {active ? <StopIcon /> : <MicIcon />}
      <span className="talk-label">{active ? "Stop" : "Start talking"}</span>
    </button>
  );
}

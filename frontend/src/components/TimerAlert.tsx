import type { TimerView } from "../events";
import { capitalize, timerDoneText } from "../format";
import "./Timers.css";

interface Props {
  ringing: TimerView[];
  onDismiss: (timerId: string) => void;
}

/** An alarm clock drawn inline: an emoji would need a colour-emoji font the device may lack. */
function AlarmIcon() {
  return (
    <svg
      className="timer-alert-icon"
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <circle cx="12" cy="13" r="8" />
      <path d="M12 9v4l2.5 2.5M5 3 2 6M22 6l-3-3M6.4 19.5 5 21M17.6 19.5 19 21" />
    </svg>
  );
}

/** A banner across the top while a timer is done: seen from across the kitchen. */
export function TimerAlert({ ringing, onDismiss }: Props) {
  if (ringing.length === 0) return null;
  return (
    <div className="timer-alert" role="alert" data-testid="timer-alert">
      {ringing.map((timer) => {
        const label = capitalize(timer.label || "timer");
        return (
          <div className="timer-alert-row" key={timer.id}>
            <span className="timer-alert-text">
              <AlarmIcon />
              {timerDoneText(timer.label)}
            </span>
            <button
              type="button"
              onClick={() => {
                onDismiss(timer.id);
              }}
            >
              Dismiss <span className="visually-hidden">{label} timer</span>
            </button>
          </div>
        );
      })}
    </div>
  );
}

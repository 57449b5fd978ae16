import type { TimerView } from "../events";
import { capitalize, timerDoneText } from "../format";
import "./Timers.css";

interface Props {
  ringing: TimerView[];
  onDismiss: (timerId: string) => void;
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
              <span aria-hidden="true">⏰ </span>
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

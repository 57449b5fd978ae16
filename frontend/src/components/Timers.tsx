import { useState } from "react";
import {
  notificationPermission,
  requestNotifications,
  type NotificationPermissionState,
} from "../alerts/notifications";
import type { TimerView } from "../events";
import { capitalize, formatCountdown, formatDuration } from "../format";
import { isRinging, remainingMs } from "../timers";
import "./Timers.css";

interface Props {
  timers: TimerView[];
  now: number;
  onCancel: (timerId: string) => void;
  onDismiss: (timerId: string) => void;
}

function spokenRemaining(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds <= 0 ? "done" : `${formatDuration(seconds)} left`;
}

function TimerRow({
  timer,
  now,
  onCancel,
  onDismiss,
}: { timer: TimerView } & Omit<Props, "timers">) {
  const left = remainingMs(timer, now);
  const ringing = isRinging(timer, now);
  const label = capitalize(timer.label || "timer");
  const progress = timer.durationSeconds > 0 ? 1 - left / (timer.durationSeconds * 1000) : 1;
  const status = ringing ? "ringing" : timer.status;
  return (
    <li
      className="timer"
      data-testid="timer"
      data-timer-id={timer.id}
      data-status={status}
      data-remaining-seconds={Math.ceil(left / 1000)}
    >
      <div className="timer-text">
        <span className="timer-label" data-testid="timer-label">
          {label}
        </span>
        <span className="timer-of">
          {ringing
            ? "Done!"
            : timer.status === "paused"
              ? "Paused"
              : `of ${formatDuration(timer.durationSeconds)}`}
        </span>
      </div>
      <time
        className="timer-remaining"
        data-testid="timer-remaining"
        dateTime={`PT${Math.ceil(left / 1000)}S`}
        aria-label={spokenRemaining(left)}
      >
        {formatCountdown(left)}
      </time>
      {ringing ? (
        <button
          type="button"
          className="timer-button dismiss"
          onClick={() => {
            onDismiss(timer.id);
          }}
        >
          Dismiss <span className="visually-hidden">{label} timer</span>
        </button>
      ) : (
        <button
          type="button"
          className="timer-button"
          aria-label={`Cancel ${label} timer`}
          onClick={() => {
            onCancel(timer.id);
          }}
        >
          {timer.cancelRequested ? "Cancelling…" : "Cancel"}
        </button>
      )}
      <div className="timer-progress" aria-hidden="true">
        <div style={{ width: `${Math.min(100, Math.max(0, progress * 100))}%` }} />
      </div>
    </li>
  );
}

function NotificationOffer() {
  const [permission, setPermission] = useState<NotificationPermissionState>(notificationPermission);
  if (permission !== "default") return null;
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => {
        void requestNotifications().then(setPermission);
      }}
    >
      Notify me when a timer is done, even from another tab
    </button>
  );
}

/** Running timers with live countdowns; done ones ring until dismissed. */
export function Timers({ timers, now, onCancel, onDismiss }: Props) {
  return (
    <section className="panel timers" aria-labelledby="timers-title">
      <h2 id="timers-title">Timers</h2>
      {timers.length === 0 ? (
        <p className="empty">No timers yet. Try “set a timer for 8 minutes for the pasta”.</p>
      ) : (
        <>
          <ul className="timer-list" data-testid="timers">
            {timers.map((timer) => (
              <TimerRow
                key={timer.id}
                timer={timer}
                now={now}
                onCancel={onCancel}
                onDismiss={onDismiss}
              />
            ))}
          </ul>
          <NotificationOffer />
        </>
      )}
    </section>
  );
}

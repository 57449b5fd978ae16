import { useEffect, useMemo, useRef } from "react";
import { AlarmSound } from "../alerts/sound";
import { notify } from "../alerts/notifications";
import { flashTitle } from "../alerts/title";
import type { TimerView } from "../events";
import { capitalize, timerDoneText } from "../format";
import { isRinging } from "../timers";

export interface TimerAlerts {
  ringing: TimerView[];
  /** Call from a user gesture (the Start click) so the alarm may make sound later. */
  unlockSound: () => void;
}

function alertText(timers: TimerView[]): string {
  if (timers.length === 1 && timers[0]) return timerDoneText(timers[0].label);
  return `${timers.map((t) => capitalize(t.label || "timer")).join(", ")} timers are done`;
}

/**
 * Rings for timers that are done: a beep until dismissed, a flashing tab title, and one system
 * notification per timer where permitted.
 */
export function useTimerAlerts(timers: TimerView[], now: number): TimerAlerts {
  const sound = useMemo(() => new AlarmSound(), []);
  const notified = useRef(new Set<string>());
  const ringing = useMemo(() => timers.filter((t) => isRinging(t, now)), [timers, now]);
  const message = ringing.length > 0 ? `⏰ ${alertText(ringing)}` : null;

  useEffect(() => {
    if (message === null) return;
    sound.start();
    const restoreTitle = flashTitle(message);
    return () => {
      sound.stop();
      restoreTitle();
    };
  }, [message, sound]);

  useEffect(() => {
    for (const timer of ringing) {
      if (notified.current.has(timer.id)) continue;
      notified.current.add(timer.id);
      notify(timerDoneText(timer.label), "Sous timer", timer.id);
    }
  }, [ringing]);

  return {
    ringing,
    unlockSound: () => {
      sound.unlock();
    },
  };
}

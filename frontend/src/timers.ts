/** Reading a timer at a given moment: how long is left, and whether it rings. */
import type { TimerView } from "./events";

/** Time left, never more than the timer's length (`now` may lag a tick behind). */
export function remainingMs(timer: TimerView, now: number): number {
  if (timer.status === "fired") return 0;
  const left = timer.status === "paused" ? (timer.pausedRemainingMs ?? 0) : timer.endsAtMs - now;
  return Math.min(Math.max(0, left), timer.durationSeconds * 1000);
}

/**
 * A timer rings once the agent says it fired, or as soon as its countdown reaches zero here,
 * whichever comes first, so the alarm still sounds if the connection dropped meanwhile.
 */
export function isRinging(timer: TimerView, now: number): boolean {
  return timer.status === "fired" || (timer.status === "running" && timer.endsAtMs <= now);
}

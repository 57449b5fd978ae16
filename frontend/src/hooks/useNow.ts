import { useEffect, useState } from "react";

/** The current time, refreshed every `intervalMs` while `active` (for live countdowns). */
export function useNow(intervalMs: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const tick = () => {
      setNow(Date.now());
    };
    // Catch up at once: the time may be stale from before the countdowns appeared.
    const first = setTimeout(tick, 0);
    const interval = setInterval(tick, intervalMs);
    return () => {
      clearTimeout(first);
      clearInterval(interval);
    };
  }, [intervalMs, active]);
  return now;
}

/** How times and numbers read on the cook's screen. */

/** A countdown: "7:59", "1:02:03". Rounds up so a fresh 8-minute timer reads 8:00. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** A length of time in words: "45 s", "8 min", "1 h 30 min". */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours} h`);
  if (minutes > 0) parts.push(`${minutes} min`);
  if (rest > 0 && hours === 0) parts.push(`${rest} s`);
  return parts.join(" ");
}

/** A latency: "612 ms" below a second, "1.4 s" above. */
export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A nutrient amount with its unit: "6.3 g", "124 mg", "143 kcal". */
export function formatAmount(value: number, unit: string): string {
  const digits = value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(value)} ${unit}`;
}

/** "pasta" → "Pasta", for labels said in lower case. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the alarm says: "Pasta timer is done" (a timer without a label: "Timer is done"). */
export function timerDoneText(label: string): string {
  return label ? `${capitalize(label)} timer is done` : "Timer is done";
}

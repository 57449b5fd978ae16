/** Flashes the tab title so a ringing timer is seen from another tab. */

const FLASH_EVERY_MS = 1_000;

/** Alternates the title with `message` until the returned function is called. */
export function flashTitle(message: string): () => void {
  const original = document.title;
  let showing = false;
  const interval = setInterval(() => {
    showing = !showing;
    document.title = showing ? message : original;
  }, FLASH_EVERY_MS);
  document.title = message;
  showing = true;
  return () => {
    clearInterval(interval);
    document.title = original;
  };
}

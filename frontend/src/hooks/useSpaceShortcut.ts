import { useEffect, useRef } from "react";

/** Elements where the space bar already means something (typing, pressing, toggling). */
const OWN_SPACE =
  "input, textarea, select, button, summary, a[href], [contenteditable], [role=button]";

function ownsSpace(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(OWN_SPACE) !== null;
}

/** Calls `action` when the space bar is pressed anywhere on the page except where it types. */
export function useSpaceShortcut(action: () => void): void {
  const latest = useRef(action);
  useEffect(() => {
    latest.current = action;
  }, [action]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.code !== "Space" && event.key !== " ") return;
      if (event.repeat || event.altKey || event.ctrlKey || event.metaKey) return;
      if (ownsSpace(event.target)) return;
      event.preventDefault();
      latest.current();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
    };
  }, []);
}

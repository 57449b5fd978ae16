/** System notifications for ringing timers, only where the cook allowed them. */

export type NotificationPermissionState = NotificationPermission | "unsupported";

export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
}

export async function requestNotifications(): Promise<NotificationPermissionState> {
  if (typeof Notification === "undefined") return "unsupported";
  return Notification.requestPermission();
}

/** Shows a notification if allowed; `tag` replaces an earlier one for the same timer. */
export function notify(title: string, body: string, tag: string): void {
  if (notificationPermission() !== "granted") return;
  try {
    new Notification(title, { body, tag });
  } catch {
    // Some mobile browsers allow notifications only from a service worker; the page alert stays.
  }
}

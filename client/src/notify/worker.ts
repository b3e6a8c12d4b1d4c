/**
 * The service worker (client/public/sw.js, served at /sw.js) that shows alert notifications while
 * the tab is hidden or the screen is off (issue 11). Registered once per tab, for staff only.
 */

/** Notifications through a worker need all three; an older or locked-down browser has none. */
export function notificationsSupported(): boolean {
  return "serviceWorker" in navigator && "Notification" in window && window.isSecureContext;
}

let registering: Promise<ServiceWorkerRegistration | null> | null = null;

/** The active registration, or null when the browser cannot (or would not) register it. */
export function workerRegistration(): Promise<ServiceWorkerRegistration | null> {
  if (!notificationsSupported()) return Promise.resolve(null);
  registering ??= navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(() => navigator.serviceWorker.ready)
    .catch(() => null);
  return registering;
}

/** The registration if one exists already (sign-out: nothing to register for). */
export async function existingRegistration(): Promise<ServiceWorkerRegistration | null> {
  if (!("serviceWorker" in navigator)) return null;
  return (await navigator.serviceWorker.getRegistration("/").catch(() => undefined)) ?? null;
}

/*
 * Holdspace's service worker (issue 11): shows alert notifications to staff when the tab is
 * hidden or the screen is off — from Web Push, or asked for by an open page. Plain JavaScript
 * that Vite copies as it is; served at /sw.js so its scope is the whole site. It caches nothing.
 *
 * A notification says only what the server (or the page) put in the generic payload
 * (shared/domain/push-payload.ts): lock screens are seen by others, so no names, no clinical detail.
 */

self.addEventListener("install", () => {
  void self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

/** Only a path of this site: a payload can never send a click to another origin. */
function sitePath(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "/";
}

function readPayload(data) {
  try {
    const p = data ? data.json() : null;
    return p && typeof p === "object" ? p : {};
  } catch {
    return {};
  }
}

self.addEventListener("push", (event) => {
  const p = readPayload(event.data);
  const tag = typeof p.tag === "string" ? p.tag : undefined;
  event.waitUntil(
    self.registration.showNotification(typeof p.title === "string" ? p.title : "Holdspace", {
      body: typeof p.body === "string" ? p.body : "Open Holdspace",
      tag,
      // An escalation replaces the first notification of its alert, and alerts again.
      renotify: tag !== undefined,
      requireInteraction: p.requireInteraction !== false,
      data: { url: sitePath(p.url) },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(sitePath(event.notification.data && event.notification.data.url), self.location.origin);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const same = windows.find((w) => new URL(w.url).pathname === target.pathname);
      if (same) return same.focus();
      const any = windows.find((w) => new URL(w.url).origin === target.origin);
      if (any && "navigate" in any) {
        const moved = await any.navigate(target.href).catch(() => null);
        if (moved) return moved.focus();
      }
      return self.clients.openWindow(target.href);
    })(),
  );
});

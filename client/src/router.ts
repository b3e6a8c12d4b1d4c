import { useSyncExternalStore, type MouseEvent } from "react";
import { isAdminPath } from "./admin/paths.js";

/**
 * A few routes do not justify a router library: the path lives in `location`, changes go
 * through history.pushState, and a custom event tells subscribers (popstate covers Back).
 */
const CHANGE = "holdspace:navigate";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("popstate", onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener("popstate", onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  window.dispatchEvent(new Event(CHANGE));
}

/** onClick for an <a href>: keeps modified clicks (new tab) working, handles plain ones in-app. */
export function linkTo(path: string) {
  return (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(path);
  };
}

export type Route =
  | { name: "home" }
  | { name: "invite"; token: string }
  | { name: "session"; sessionId: string }
  | { name: "circle"; circleId: string }
  | { name: "admin" }
  | { name: "notFound" };

export function matchRoute(path: string): Route {
  if (path === "/" || path === "") return { name: "home" };
  const invite = /^\/invite\/([^/]+)\/?$/.exec(path);
  if (invite?.[1]) return { name: "invite", token: decodeURIComponent(invite[1]) };
  const session = /^\/session\/([^/]+)\/?$/.exec(path);
  if (session?.[1]) return { name: "session", sessionId: decodeURIComponent(session[1]) };
  const circle = /^\/circle\/([^/]+)\/?$/.exec(path);
  if (circle?.[1]) return { name: "circle", circleId: decodeURIComponent(circle[1]) };
  if (isAdminPath(path)) return { name: "admin" };
  return { name: "notFound" };
}

import { useEffect, useState } from "react";
import { serverNow } from "./live/socket.js";

/** Server-clock "now" that re-renders every `everyMs`, so ages like "2 min ago" stay true. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const t = setInterval(() => { setNow(serverNow()); }, everyMs);
    return () => { clearInterval(t); };
  }, [everyMs]);
  return now;
}

/** "just now", "4 min ago", "1 h 5 min ago": words a tired facilitator reads at a glance. */
export function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return "just now";
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `${h} h ago` : `${h} h ${rest} min ago`;
}

/** Local wall-clock time of an instant, e.g. "14:05". */
export function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

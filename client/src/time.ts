import { useEffect, useState } from "react";
import { serverNow } from "./live/socket.js";

/** Server-clock "now" that re-renders every `everyMs`, so ages like "2 min ago" stay true. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const t = setInterval(() => {
      setNow(serverNow());
    }, everyMs);
    return () => {
      clearInterval(t);
    };
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

/** An instant as the server sends it (ISO), as ms since the epoch, or a Date. */
export type Instant = string | number | Date;

const CLOCK: Intl.DateTimeFormatOptions = { hour: "numeric", minute: "2-digit", timeZoneName: "short" };
const DATE_TIME: Intl.DateTimeFormatOptions = { month: "short", day: "numeric", year: "numeric", ...CLOCK };

/**
 * [SCH1] Times are shown in the viewer's zone with the zone named, e.g. "3:52 PM UTC" or
 * "7:52 AM PST", so nobody reading a room with people in several zones has to guess. The one
 * formatter for times in the client; `zone` is for tests and pages that show another zone.
 */
export function clock(at: Instant, zone?: string): string {
  return format(at, CLOCK, zone);
}

/** Date and time with the zone named, e.g. "Nov 26, 2026, 3:52 PM UTC" [SCH1]. */
export function dateTime(at: Instant, zone?: string): string {
  return format(at, DATE_TIME, zone);
}

function format(at: Instant, options: Intl.DateTimeFormatOptions, zone: string | undefined): string {
  const d = at instanceof Date ? at : new Date(at);
  return new Intl.DateTimeFormat(undefined, zone === undefined ? options : { ...options, timeZone: zone }).format(d);
}

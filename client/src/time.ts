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

/** The viewer's own IANA zone, from the browser [SCH1]. */
export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

// Parts are read from an en-US formatter for the zone's short name ("PST", "PDT", "UTC"), which
// other locales spell as offsets ("GMT-8"); the day-month order and the 24-hour clock are ours,
// so every screen reads the same, whatever the browser's language: "Tue 3 Mar, 18:00 PST".
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: "en-US" | "en-GB", zone: string): Intl.DateTimeFormat {
  const key = `${locale} ${zone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: zone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(key, f);
  }
  return f;
}

function partsIn(locale: "en-US" | "en-GB", d: Date, zone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(locale, zone).formatToParts(d)) out[p.type] = p.value;
  return out;
}

const OFFSET_NAME = /^(GMT|UTC)[+-]/;

function partsOf(at: Instant, zone: string): Record<string, string> {
  const d = at instanceof Date ? at : new Date(at);
  const out = partsIn("en-US", d, zone);
  // en-US names American zones ("PST") but spells European ones as offsets ("GMT+1"), which
  // en-GB names ("BST", "CEST"): take whichever is a name.
  if (OFFSET_NAME.test(out.timeZoneName ?? "")) {
    const gb = partsIn("en-GB", d, zone).timeZoneName;
    if (gb && !OFFSET_NAME.test(gb)) out.timeZoneName = gb;
  }
  return out;
}

/** The zone's short name at that instant: "PST", "PDT", "UTC" (an offset where it has none). */
export function zoneName(at: Instant, zone: string = viewerZone()): string {
  return partsOf(at, zone).timeZoneName ?? zone;
}

function hm(p: Record<string, string>): string {
  return `${p.hour ?? "00"}:${p.minute ?? "00"}`;
}

function day(p: Record<string, string>): string {
  return `${p.weekday ?? ""} ${p.day ?? ""} ${p.month ?? ""}`;
}

/**
 * [SCH1] The one formatter for times in the client: "18:00 PST" — 24-hour, with the zone named,
 * in the viewer's zone unless a zone is given (the program's, when the viewer switches to it).
 */
export function clock(at: Instant, zone: string = viewerZone()): string {
  const p = partsOf(at, zone);
  return `${hm(p)} ${p.timeZoneName ?? zone}`;
}

/** [SCH1] Day and time with the zone named: "Tue 3 Mar, 18:00 PST". */
export function dateTime(at: Instant, zone: string = viewerZone()): string {
  const p = partsOf(at, zone);
  return `${day(p)}, ${hm(p)} ${p.timeZoneName ?? zone}`;
}

/** [SCH1] A session's span, the zone named once: "Tue 3 Mar, 18:00–19:30 PST" (each end's name when DST turns between). */
export function timeRange(start: Instant, end: Instant, zone: string = viewerZone()): string {
  const a = partsOf(start, zone);
  const b = partsOf(end, zone);
  const sameDay = day(a) === day(b);
  const endText = sameDay ? hm(b) : `${day(b)}, ${hm(b)}`;
  if (a.timeZoneName === b.timeZoneName) return `${day(a)}, ${hm(a)}–${endText} ${b.timeZoneName ?? zone}`;
  return `${day(a)}, ${hm(a)} ${a.timeZoneName ?? zone} – ${endText} ${b.timeZoneName ?? zone}`;
}

/** [SCH1] A span within a day column (the column names the day): "18:00–19:30 PST". */
export function hoursRange(start: Instant, end: Instant, zone: string = viewerZone()): string {
  const a = partsOf(start, zone);
  const b = partsOf(end, zone);
  if (a.timeZoneName === b.timeZoneName) return `${hm(a)}–${hm(b)} ${b.timeZoneName ?? zone}`;
  return `${hm(a)} ${a.timeZoneName ?? zone} – ${hm(b)} ${b.timeZoneName ?? zone}`;
}

/** [SCH1] A calendar day heading in a zone: "Tuesday 3 March 2026". */
export function dayHeading(at: Instant, zone: string = viewerZone()): string {
  const d = at instanceof Date ? at : new Date(at);
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(d);
}

/** The day an instant falls on in a zone, as YYYY-MM-DD (for grouping by day). */
export function localDate(at: Instant, zone: string = viewerZone()): string {
  const d = at instanceof Date ? at : new Date(at);
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    d,
  );
}

/** [SCH1] A short day in a zone, for a chart's axis: "3 Mar". */
export function shortDay(at: Instant, zone: string = viewerZone()): string {
  const d = at instanceof Date ? at : new Date(at);
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "numeric", month: "short" }).format(d);
}

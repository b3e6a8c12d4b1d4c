import { DateTime, IANAZone } from "luxon";
import type { SessionKind } from "../domain/cohort.js";

/**
 * [SCH9] A small RFC 5545 writer: CRLF lines folded at 75 octets, TEXT escaped, DTSTART/DTEND
 * with a TZID and a VTIMEZONE for every zone used. Written by hand because what we need is
 * small and the libraries that write iCalendar either skip VTIMEZONE or pull in a tz database.
 */
export interface IcsEvent {
  uid: string;
  kind: SessionKind;
  start: string;
  end: string;
  zone: string;
  /** [SCH9] How many times the session changed (0 when never): calendar apps replace an event only for a higher SEQUENCE. */
  sequence?: number;
  /** [SCH9] A cancelled session stays in the feed as STATUS:CANCELLED so subscribers drop it. */
  cancelled?: boolean;
}

/** [SCH9] No clinical detail: a calendar may be seen by family or synced to a work account. */
const SUMMARY: Record<SessionKind, string> = {
  preparation: "Holdspace: individual session",
  dosing: "Holdspace: group session",
  circle: "Holdspace: circle",
};

export function escapeText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** Fold one content line to at most 75 octets per physical line, never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const enc = new TextEncoder();
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with one space
    if (bytes + n > limit) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join("\r\n ");
}

const utcStamp = (ms: number) => DateTime.fromMillis(ms, { zone: "UTC" }).toFormat("yyyyLLdd'T'HHmmss'Z'");
const localStamp = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat("yyyyLLdd'T'HHmmss");

function offset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, "0")}${String(a % 60).padStart(2, "0")}`;
}

/** Offset changes of a zone between two instants, found by stepping and then halving. */
function transitions(zone: string, fromMs: number, toMs: number): { at: number; from: number; to: number }[] {
  const z = new IANAZone(zone);
  const STEP = 6 * 3_600_000;
  const out = [];
  let t = fromMs;
  let prev = z.offset(t);
  while (t < toMs) {
    const next = t + STEP;
    const o = z.offset(next);
    if (o !== prev) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (z.offset(mid) === prev) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, from: prev, to: o });
      prev = o;
    }
    t = next;
  }
  return out;
}

/** A VTIMEZONE with one observance per change in the years the events span (plus one either side). */
export function vtimezone(zone: string, fromMs: number, toMs: number): string[] {
  const from = DateTime.fromMillis(fromMs, { zone: "UTC" }).startOf("year").minus({ years: 1 }).toMillis();
  const to = DateTime.fromMillis(toMs, { zone: "UTC" }).endOf("year").plus({ years: 1 }).toMillis();
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  const changes = transitions(zone, from, to);
  if (changes.length === 0) {
    const o = new IANAZone(zone).offset(fromMs);
    lines.push(
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      `TZOFFSETFROM:${offset(o)}`,
      `TZOFFSETTO:${offset(o)}`,
      `TZNAME:${escapeText(new IANAZone(zone).offsetName(fromMs, { format: "short" }) ?? zone)}`,
      "END:STANDARD",
    );
  }
  for (const c of changes) {
    const kind = DateTime.fromMillis(c.at, { zone }).isInDST ? "DAYLIGHT" : "STANDARD";
    const localBefore = DateTime.fromMillis(c.at + c.from * 60_000, { zone: "UTC" }).toFormat("yyyyLLdd'T'HHmmss");
    const name = new IANAZone(zone).offsetName(c.at, { format: "short" }) ?? offset(c.to);
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${localBefore}`,
      `TZOFFSETFROM:${offset(c.from)}`,
      `TZOFFSETTO:${offset(c.to)}`,
      `TZNAME:${escapeText(name)}`,
      `END:${kind}`,
    );
  }
  lines.push("END:VTIMEZONE");
  return lines;
}

/** The whole calendar as text with CRLF line ends. `stampMs` is DTSTAMP (the server's now). */
export function writeCalendar(
  events: readonly IcsEvent[],
  opts: { stampMs: number; name: string; url?: string },
): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Holdspace//Schedule 1.0//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(opts.name)}`,
  ];
  const zones = [...new Set(events.map((e) => e.zone))];
  for (const zone of zones) {
    const mine = events.filter((e) => e.zone === zone);
    const times = mine.flatMap((e) => [Date.parse(e.start), Date.parse(e.end)]);
    lines.push(...vtimezone(zone, Math.min(...times), Math.max(...times)));
  }
  for (const e of events) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${utcStamp(opts.stampMs)}`,
      `DTSTART;TZID=${e.zone}:${localStamp(e.start, e.zone)}`,
      `DTEND;TZID=${e.zone}:${localStamp(e.end, e.zone)}`,
      `SUMMARY:${escapeText(SUMMARY[e.kind])}`,
      `DESCRIPTION:${escapeText(opts.url ? `Details are in Holdspace: ${opts.url}` : "Details are in Holdspace.")}`,
      `SEQUENCE:${e.sequence ?? 0}`,
      e.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED",
      e.cancelled ? "TRANSP:TRANSPARENT" : "TRANSP:OPAQUE",
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

import { DateTime, IANAZone } from "luxon";

/** [SCH1] Whether a zone is a real IANA name (not an offset or an abbreviation like "PST"). */
export function isValidZone(zone: string): boolean {
  // Area/Location names only (plus UTC): abbreviations such as "PST" are ambiguous across the world.
  return (zone === "UTC" || /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone)) && IANAZone.isValidZone(zone);
}

export const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
export const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

/** A wall-clock date and time that exists on the calendar (no 31 February, no 24:00). */
export function isCalendarDateTime(s: string): boolean {
  const m = LOCAL_DATE_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  return DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi }, { zone: "UTC" }).isValid;
}

export function isCalendarDate(s: string): boolean {
  return LOCAL_DATE.test(s) && DateTime.fromISO(s, { zone: "UTC" }).isValid;
}

export type Resolution =
  | { kind: "exact"; instant: string }
  /** [SCH3] fall-back: the wall-clock time happens twice; this is the earlier instant. */
  | { kind: "ambiguous"; instant: string }
  /** [SCH3] spring-forward: the time does not exist; `instant` is moved forward by the gap. */
  | { kind: "gap"; instant: string; gapMinutes: number };

/** Wall-clock "YYYY-MM-DDTHH:MM" read as if it were UTC, in ms. */
function wallMs(local: string): number {
  return Date.parse(`${local}:00Z`);
}

/**
 * [SCH1][SCH3] The UTC instant of a wall-clock time in a zone. Done by hand rather than with
 * luxon's fromObject so the gap and the ambiguous hour are seen and named, not silently picked.
 * Every offset change in the tz database is more than a day apart, so the offsets a day either
 * side are the only candidates.
 */
export function resolveLocal(local: string, zone: string): Resolution {
  const z = new IANAZone(zone);
  const wall = wallMs(local);
  const DAY = 86_400_000;
  const before = z.offset(wall - DAY);
  const after = z.offset(wall + DAY);
  const valid = [...new Set([before, after])]
    .map((o) => wall - o * 60_000)
    .filter((t) => z.offset(t) * 60_000 === wall - t)
    .sort((a, b) => a - b);
  const first = valid[0];
  if (first === undefined) {
    // In the gap: read it with the offset in force before the change, which lands the gap's length later.
    return {
      kind: "gap",
      instant: new Date(wall - before * 60_000).toISOString(),
      gapMinutes: Math.abs(after - before),
    };
  }
  return { kind: valid.length > 1 ? "ambiguous" : "exact", instant: new Date(first).toISOString() };
}

/** An instant's wall-clock time in a zone as "YYYY-MM-DDTHH:MM". */
export function toLocal(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** [SCH1] "Tue 10 Mar 2026, 18:00 PDT" — with the zone named, as every shown time must be. */
export function formatInZone(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
}

export function formatTimeInZone(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).toFormat("HH:mm");
}

/** Long zone name, e.g. "Pacific Daylight Time", for the instant (differs across DST). */
export function zoneLongName(instant: string, zone: string): string {
  return DateTime.fromISO(instant, { zone }).toFormat("ZZZZZ");
}

export function minutesBetween(start: string, end: string): number {
  return Math.round((Date.parse(end) - Date.parse(start)) / 60_000);
}

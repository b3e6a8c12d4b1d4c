import { DateTime } from "luxon";
import { resolveLocal } from "./time.js";

/** Most occurrences one series may have (two years of weekly circles). */
export const SERIES_MAX = 104;

export interface SeriesSpec {
  firstDate: string; // YYYY-MM-DD, local
  time: string; // HH:MM, local
  durationMinutes: number;
  everyWeeks: number;
  until: string; // YYYY-MM-DD, local, inclusive
  zone: string;
}

export interface Occurrence {
  index: number;
  localDate: string;
  start: string;
  end: string;
  /** [SCH3] The wall-clock time fell in a spring-forward gap and was moved forward by the gap. */
  shifted: boolean;
}

/**
 * [SCH2] A weekly (or every-N-weeks) series keeps its wall-clock time: each occurrence is the
 * same local time on its own date, resolved in the zone on that date, so 18:00 stays 18:00 on
 * both sides of a DST change. [SCH3] An occurrence in a gap moves forward and is marked.
 */
export function expandSeries(spec: SeriesSpec): Occurrence[] {
  const first = DateTime.fromISO(spec.firstDate, { zone: "UTC" });
  const last = DateTime.fromISO(spec.until, { zone: "UTC" });
  const out: Occurrence[] = [];
  for (let i = 0; ; i++) {
    const date = first.plus({ weeks: i * spec.everyWeeks });
    if (date > last) break;
    const localDate = date.toISODate() ?? spec.firstDate;
    const r = resolveLocal(`${localDate}T${spec.time}`, spec.zone);
    const startMs = Date.parse(r.instant);
    out.push({
      index: i,
      localDate,
      start: r.instant,
      end: new Date(startMs + spec.durationMinutes * 60_000).toISOString(),
      shifted: r.kind === "gap",
    });
    if (out.length > SERIES_MAX) break;
  }
  return out;
}

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

/**
 * [SCH2] What a series made, in words an admin checks at a glance: "6 circles, 18:00 PST →
 * 18:00 PDT from 8 March" — the wall-clock time kept and the date the zone's name changes —
 * plus how many occurrences moved forward out of a spring-forward gap [SCH3].
 */
export function seriesSummary(occurrences: readonly { start: string; shifted: boolean }[], zone: string): string {
  const at = (iso: string) => DateTime.fromISO(iso, { zone }).setLocale("en-US");
  const first = occurrences[0];
  if (!first) return "No circles were created.";
  const n = occurrences.length;
  const parts = [`${n} ${n === 1 ? "circle" : "circles"}`];
  const change = occurrences.find((o) => at(o.start).toFormat("ZZZZ") !== at(first.start).toFormat("ZZZZ"));
  const label = (iso: string) => `${at(iso).toFormat("HH:mm")} ${at(iso).toFormat("ZZZZ")}`;
  parts.push(
    change
      ? `${label(first.start)} → ${label(change.start)} from ${at(change.start).toFormat("d LLLL")}`
      : label(first.start),
  );
  const last = occurrences.at(-1) ?? first;
  parts.push(`${at(first.start).toFormat("ccc d LLL")} to ${at(last.start).toFormat("ccc d LLL yyyy")}`);
  const moved = occurrences.filter((o) => o.shifted).length;
  if (moved > 0) parts.push(`${moved} moved forward out of a clock change`);
  return parts.join(", ");
}

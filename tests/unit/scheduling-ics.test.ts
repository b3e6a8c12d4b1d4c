import { describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { escapeText, foldLine, writeCalendar, type IcsEvent } from "../../shared/scheduling/ics.js";
import { expandSeries } from "../../shared/scheduling/series.js";

const STAMP = Date.parse("2026-11-26T18:00:00Z");

/** Parse with ical.js as a calendar app would: register the file's own VTIMEZONEs, then read instants. */
function parse(text: string) {
  const cal = ICAL.Component.fromString(text);
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  return cal.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      tzid: String(v.getFirstProperty("dtstart")?.getParameter("tzid")),
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      stamp: v.getFirstPropertyValue("dtstamp")?.toString(),
    };
  });
}

function series(zone: string, firstDate: string, until: string): IcsEvent[] {
  return expandSeries({ firstDate, until, time: "18:00", durationMinutes: 90, everyWeeks: 1, zone }).map((o) => ({
    uid: `sr_x_${o.index}@holdspace`,
    kind: "circle",
    start: o.start,
    end: o.end,
    zone,
  }));
}

describe("[SCH9] iCalendar export", () => {
  it.each([
    ["America/Los_Angeles", "2026-10-25", "2026-11-08"],
    ["America/Los_Angeles", "2026-03-01", "2026-03-15"],
    ["Europe/London", "2026-03-22", "2026-04-05"],
    ["Australia/Sydney", "2026-03-29", "2026-04-12"],
    ["Australia/Sydney", "2026-09-27", "2026-10-11"],
  ])(
    "[SCH9] [SCH2] a %s series from %s round-trips through ical.js with DST-correct instants",
    (zone, first, until) => {
      const events = series(zone, first, until);
      const text = writeCalendar(events, { stampMs: STAMP, name: "My Holdspace sessions" });
      const parsed = parse(text);
      expect(parsed.map((p) => p.start)).toEqual(events.map((e) => new Date(e.start).toISOString()));
      expect(parsed.map((p) => p.end)).toEqual(events.map((e) => new Date(e.end).toISOString()));
      for (const p of parsed) {
        expect(p.tzid).toBe(zone);
        expect(p.stamp).toBe("2026-11-26T18:00:00Z");
        expect(p.uid).toMatch(/^sr_x_\d+@holdspace$/);
      }
      expect(new Set(parsed.map((p) => p.uid)).size).toBe(parsed.length);
      expect(text).toContain(`BEGIN:VTIMEZONE\r\nTZID:${zone}\r\n`);
    },
  );

  it("[SCH9] no clinical detail in SUMMARY or DESCRIPTION; lines are CRLF and at most 75 octets", () => {
    const text = writeCalendar(
      [
        {
          uid: "ss_1@holdspace",
          kind: "dosing",
          start: "2026-12-10T17:00:00.000Z",
          end: "2026-12-10T23:00:00.000Z",
          zone: "America/Los_Angeles",
        },
      ],
      {
        stampMs: STAMP,
        name: "Ava's sessions",
        url: "https://holdspace.example/schedule?with=a,very;long\\query-string-that-needs-folding-across-lines",
      },
    );
    const [event] = parse(text);
    expect(event?.summary).toBe("Holdspace: group session");
    expect(event?.description).toBe(
      "Details are in Holdspace: https://holdspace.example/schedule?with=a,very;long\\query-string-that-needs-folding-across-lines",
    );
    expect(text).not.toMatch(/dos(e|ing)|mg|psilocybin/i);
    for (const line of text.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("[SCH9] escaping and folding follow RFC 5545", () => {
    expect(escapeText("a,b;c\\d\ne")).toBe("a\\,b\\;c\\\\d\\ne");
    const long = "DESCRIPTION:" + "é".repeat(60);
    const folded = foldLine(long);
    expect(folded.split("\r\n ").join("")).toBe(long);
    for (const part of folded.split("\r\n")) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
  });

  it("[SCH9] a zone without DST still gets a VTIMEZONE that parses", () => {
    const text = writeCalendar(
      [
        {
          uid: "u1@holdspace",
          kind: "preparation",
          start: "2026-12-10T01:00:00.000Z",
          end: "2026-12-10T02:00:00.000Z",
          zone: "Asia/Tokyo",
        },
      ],
      { stampMs: STAMP, name: "x" },
    );
    expect(parse(text)[0]?.start).toBe("2026-12-10T01:00:00.000Z");
    expect(text).toContain("DTSTART;TZID=Asia/Tokyo:20261210T100000");
  });
});

import { describe, expect, it } from "vitest";
import { expandSeries } from "../../shared/scheduling/series.js";
import { formatInZone, isValidZone, resolveLocal, toLocal } from "../../shared/scheduling/time.js";
import { SeriesSchedule, SessionSchedule } from "../../shared/protocol/admin.js";
import { cohortWith, refusal, schedule } from "./scheduling-support.js";

const weekly = (zone: string, firstDate: string, until: string, time = "18:00") =>
  expandSeries({ firstDate, until, time, durationMinutes: 90, everyWeeks: 1, zone });

describe("scheduling across time zones", () => {
  it("[SCH1] keeps UTC instants plus the zone and shows them with the zone named", () => {
    expect(resolveLocal("2026-12-03T18:00", "America/Los_Angeles")).toEqual({
      kind: "exact",
      instant: "2026-12-04T02:00:00.000Z",
    });
    expect(formatInZone("2026-12-04T02:00:00.000Z", "America/Los_Angeles")).toBe("Thu 3 Dec 2026, 18:00 PST");
    expect(formatInZone("2026-12-04T02:00:00.000Z", "Europe/London")).toBe("Fri 4 Dec 2026, 02:00 GMT");
    expect(isValidZone("America/Los_Angeles")).toBe(true);
    expect(isValidZone("Australia/Sydney")).toBe(true);
    for (const bad of ["PST", "Mars/Olympus", "", "+05:00", "../etc"]) expect(isValidZone(bad), bad).toBe(false);
  });

  it("[SCH2] a weekly 18:00 circle in America/Los_Angeles stays 18:00 across the March and November changes", () => {
    const spring = weekly("America/Los_Angeles", "2026-03-01", "2026-03-15");
    expect(spring.map((o) => o.start)).toEqual([
      "2026-03-02T02:00:00.000Z",
      "2026-03-09T01:00:00.000Z",
      "2026-03-16T01:00:00.000Z",
    ]);
    const fall = weekly("America/Los_Angeles", "2026-10-25", "2026-11-08");
    expect(fall.map((o) => o.start)).toEqual([
      "2026-10-26T01:00:00.000Z",
      "2026-11-02T02:00:00.000Z",
      "2026-11-09T02:00:00.000Z",
    ]);
    for (const o of [...spring, ...fall]) expect(toLocal(o.start, "America/Los_Angeles").slice(11)).toBe("18:00");
    expect([...spring, ...fall].every((o) => !o.shifted)).toBe(true);
  });

  it("[SCH2] Europe/London: 18:00 is 18:00 GMT in winter and 18:00 BST in summer", () => {
    expect(weekly("Europe/London", "2026-03-22", "2026-04-05").map((o) => o.start)).toEqual([
      "2026-03-22T18:00:00.000Z",
      "2026-03-29T17:00:00.000Z",
      "2026-04-05T17:00:00.000Z",
    ]);
    expect(weekly("Europe/London", "2026-10-18", "2026-10-25").map((o) => o.start)).toEqual([
      "2026-10-18T17:00:00.000Z",
      "2026-10-25T18:00:00.000Z",
    ]);
  });

  it("[SCH2] Australia/Sydney (southern hemisphere): DST ends in April and starts in October", () => {
    const april = weekly("Australia/Sydney", "2026-03-29", "2026-04-05");
    expect(april.map((o) => o.start)).toEqual(["2026-03-29T07:00:00.000Z", "2026-04-05T08:00:00.000Z"]);
    const october = weekly("Australia/Sydney", "2026-09-27", "2026-10-04");
    expect(october.map((o) => o.start)).toEqual(["2026-09-27T08:00:00.000Z", "2026-10-04T07:00:00.000Z"]);
    for (const o of [...april, ...october]) expect(toLocal(o.start, "Australia/Sydney").slice(11)).toBe("18:00");
  });

  it("[SCH2] every-N-weeks series step N weeks and end on the end date", () => {
    const s = expandSeries({
      firstDate: "2026-03-01",
      until: "2026-04-12",
      time: "18:00",
      durationMinutes: 60,
      everyWeeks: 2,
      zone: "America/Los_Angeles",
    });
    expect(s.map((o) => o.localDate)).toEqual(["2026-03-01", "2026-03-15", "2026-03-29", "2026-04-12"]);
    expect(s[1]?.end).toBe("2026-03-16T02:00:00.000Z");
  });

  it.each([
    ["America/Los_Angeles", "2026-03-08T02:30", "2026-03-08T10:30:00.000Z", 60],
    ["Europe/London", "2026-03-29T01:30", "2026-03-29T01:30:00.000Z", 60],
    ["Australia/Sydney", "2026-10-04T02:30", "2026-10-03T16:30:00.000Z", 60],
  ])(
    "[SCH3] %s %s is in a spring-forward gap: named as such, moved forward by the gap",
    (zone, local, instant, gap) => {
      expect(resolveLocal(local, zone)).toEqual({ kind: "gap", instant, gapMinutes: gap });
      expect(toLocal(instant, zone).slice(11)).toBe(`0${Number(local.slice(12, 13)) + 1}:30`);
    },
  );

  it.each([
    ["America/Los_Angeles", "2026-11-01T01:30", "2026-11-01T08:30:00.000Z"],
    ["Europe/London", "2026-10-25T01:30", "2026-10-25T00:30:00.000Z"],
    ["Australia/Sydney", "2026-04-05T02:30", "2026-04-04T15:30:00.000Z"],
  ])("[SCH3] %s %s happens twice (fall-back hour): the earlier instant is taken", (zone, local, instant) => {
    expect(resolveLocal(local, zone)).toEqual({ kind: "ambiguous", instant });
  });

  it("[SCH3] a one-off session in the gap is refused naming the time and zone", () => {
    const err = refusal(() =>
      schedule(cohortWith(), {
        kind: "circle",
        start: "2026-03-08T02:30",
        end: "2026-03-08T04:00",
        participants: ["p1", "p2"],
      }),
    );
    expect(err.message).toContain("2026-03-08 02:30 does not exist in America/Los_Angeles");
    expect(err.code).toBe("RULE_VIOLATION");
  });

  it("[SCH3] a series occurrence in the gap moves forward by the gap and is marked shifted", () => {
    const s = expandSeries({
      firstDate: "2026-03-01",
      until: "2026-03-15",
      time: "02:30",
      durationMinutes: 60,
      everyWeeks: 1,
      zone: "America/Los_Angeles",
    });
    expect(s.map((o) => o.shifted)).toEqual([false, true, false]);
    expect(toLocal(s[1]?.start ?? "", "America/Los_Angeles")).toBe("2026-03-08T03:30");
    expect(toLocal(s[2]?.start ?? "", "America/Los_Angeles")).toBe("2026-03-15T02:30");
  });

  it("[AC5] malformed dates, end before start and a series without an end are refused by the shared schema", () => {
    const base = { id: "x1", kind: "circle", facilitators: ["f1"], participants: ["p1"] };
    const bad = (body: unknown) => SessionSchedule.safeParse(body).success;
    expect(bad({ ...base, start: "2026-02-30T18:00", end: "2026-03-01T19:00" })).toBe(false);
    expect(bad({ ...base, start: "2026-03-01 18:00", end: "2026-03-01T19:00" })).toBe(false);
    expect(bad({ ...base, start: "2026-03-01T25:00", end: "2026-03-01T26:00" })).toBe(false);
    const r = SessionSchedule.safeParse({ ...base, start: "2026-03-01T19:00", end: "2026-03-01T18:00" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("The end must be after the start.");
    const s = SeriesSchedule.safeParse({
      id: "x2",
      kind: "circle",
      firstDate: "2026-03-01",
      time: "18:00",
      durationMinutes: 90,
      facilitators: ["f1"],
      participants: ["p1"],
    });
    expect(s.success).toBe(false);
    expect(s.error?.issues.map((i) => i.message)).toContain("A series needs an end date.");
  });
});

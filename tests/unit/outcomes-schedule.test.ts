import { describe, expect, it } from "vitest";
import {
  AssessmentSchedule,
  DEFAULT_SCHEDULE,
  dueItems,
  isOpen,
  visitKey,
  type DueItem,
} from "../../shared/outcomes/schedule.js";

const LA = "America/Los_Angeles";
// The first dosing: Friday 30 October 2026, 10:00 PDT. Daylight saving ends on Sunday 1 November.
const FIRST_DOSING = "2026-10-30T17:00:00.000Z";
const none = new Map<string, string>();
const t = (iso: string) => Date.parse(iso);

function at(now: string, firstDosing: string | null = FIRST_DOSING, done: ReadonlyMap<string, string> = none) {
  return dueItems(DEFAULT_SCHEDULE, firstDosing, LA, t(now), done);
}
const item = (items: DueItem[], visitId: string, instrument = "phq9" as const): DueItem | undefined =>
  items.find((i) => i.visitId === visitId && i.instrument === instrument);
const status = (now: string, visitId: string) => item(at(now), visitId)?.status;

describe("the assessment schedule", () => {
  it("[OUT5] the default: baseline, then days 1, 7, 14, 28 and 42 after the first dosing, both questionnaires", () => {
    expect(DEFAULT_SCHEDULE.visits.map((v) => v.day)).toEqual([null, 1, 7, 14, 28, 42]);
    expect(AssessmentSchedule.parse(DEFAULT_SCHEDULE)).toEqual(DEFAULT_SCHEDULE);
    const items = at("2026-10-20T12:00:00.000Z");
    expect(items.map((i) => visitKey(i.visitId, i.instrument))).toEqual(
      DEFAULT_SCHEDULE.visits.flatMap((v) => [`${v.id}/phq9`, `${v.id}/qids-sr16`]),
    );
  });

  it("[OUT5] the baseline is due before the first dosing, and missed from the moment it starts", () => {
    expect(item(at("2026-10-01T00:00:00.000Z"), "baseline")).toMatchObject({
      status: "due",
      opensAt: null,
      dueBy: FIRST_DOSING,
    });
    expect(status("2026-10-30T16:59:59.999Z", "baseline")).toBe("due");
    expect(status(FIRST_DOSING, "baseline")).toBe("missed");
    expect(status("2026-11-20T00:00:00.000Z", "baseline")).toBe("missed");
    expect(isOpen("missed")).toBe(false);
    expect(isOpen("due")).toBe(true);
  });

  it("[OUT5] a day-N visit opens at midnight of the Nth day in the program's zone: upcoming, due, overdue at their edges", () => {
    // Day 1 = Saturday 31 October, 00:00 PDT (07:00Z); due for 3 days, overdue from 3 November 00:00 PST (08:00Z).
    expect(item(at("2026-10-30T18:00:00.000Z"), "day-1")).toMatchObject({
      status: "upcoming",
      opensAt: "2026-10-31T07:00:00.000Z",
      dueBy: "2026-11-03T08:00:00.000Z",
    });
    expect(status("2026-10-31T06:59:59.999Z", "day-1")).toBe("upcoming");
    expect(status("2026-10-31T07:00:00.000Z", "day-1")).toBe("due");
    // The window crosses the change back to PST: 3 calendar days are 73 hours here.
    expect(status("2026-11-03T07:59:59.999Z", "day-1")).toBe("due");
    expect(status("2026-11-03T08:00:00.000Z", "day-1")).toBe("overdue");
    expect(status("2027-02-01T00:00:00.000Z", "day-1")).toBe("overdue");
    expect(isOpen("overdue")).toBe(true);
    expect(isOpen("upcoming")).toBe(false);
  });

  it("[OUT5] day 7 after the clocks go back opens at 00:00 PST, not 24 × 7 hours after midnight PDT", () => {
    expect(item(at("2026-11-01T12:00:00.000Z"), "day-7")).toMatchObject({
      opensAt: "2026-11-06T08:00:00.000Z",
      dueBy: "2026-11-09T08:00:00.000Z",
    });
    // 07:30Z on 6 November is 23:30 PST on the 5th: still day 6 where the program is.
    expect(status("2026-11-06T07:30:00.000Z", "day-7")).toBe("upcoming");
    expect(status("2026-11-06T08:00:00.000Z", "day-7")).toBe("due");
    expect(status("2026-11-09T08:00:00.000Z", "day-7")).toBe("overdue");
    const later = at("2026-10-30T18:00:00.000Z");
    expect(["day-14", "day-28", "day-42"].map((v) => item(later, v)?.opensAt)).toEqual([
      "2026-11-13T08:00:00.000Z",
      "2026-11-27T08:00:00.000Z",
      "2026-12-11T08:00:00.000Z",
    ]);
  });

  it("[OUT5] the first dosing's day is its date in the program's zone, not in UTC", () => {
    // 20:00 PDT on 30 October is already 31 October in UTC; day 1 is still 31 October in Oregon.
    const evening = dueItems(DEFAULT_SCHEDULE, "2026-10-31T03:00:00.000Z", LA, t("2026-10-31T04:00:00.000Z"), none);
    expect(item(evening, "day-1")?.opensAt).toBe("2026-10-31T07:00:00.000Z");
    expect(item(evening, "baseline")?.status).toBe("missed");
  });

  it("[OUT5] a submission makes its visit done, whatever the clock says, for that instrument only", () => {
    const done = new Map([
      [visitKey("baseline", "phq9"), "sub-b"],
      [visitKey("day-1", "phq9"), "sub-1"],
    ]);
    const items = at("2026-11-20T00:00:00.000Z", FIRST_DOSING, done);
    expect(item(items, "baseline")).toMatchObject({ status: "done", submissionId: "sub-b" });
    expect(item(items, "day-1")).toMatchObject({ status: "done", submissionId: "sub-1" });
    expect(items.find((i) => i.visitId === "baseline" && i.instrument === "qids-sr16")).toMatchObject({
      status: "missed",
      submissionId: null,
    });
    expect(item(items, "day-7")?.status).toBe("overdue");
    expect(item(at("2026-10-01T00:00:00.000Z", FIRST_DOSING, done), "day-7")?.status).toBe("upcoming");
    expect(isOpen("done")).toBe(false);
  });

  it("[OUT5] no dosing scheduled: the baseline is due with no deadline, every later visit upcoming", () => {
    const items = at("2026-12-01T00:00:00.000Z", null);
    expect(item(items, "baseline")).toMatchObject({ status: "due", dueBy: null, opensAt: null });
    for (const v of ["day-1", "day-7", "day-14", "day-28", "day-42"])
      expect(item(items, v)).toMatchObject({ status: "upcoming", opensAt: null, dueBy: null });
  });

  it("[OUT5] an edited schedule: refused without visits, with two baselines, twice the same id, or a bad id", () => {
    const v = (id: string, day: number | null) => ({ id, label: id, day });
    const base = { instruments: ["phq9"], windowDays: 2 };
    expect(AssessmentSchedule.safeParse({ ...base, visits: [] }).error?.issues[0]?.message).toBe(
      "A schedule has at least one visit.",
    );
    expect(
      AssessmentSchedule.safeParse({ ...base, visits: [v("a", null), v("b", null)] }).error?.issues[0]?.message,
    ).toBe("A schedule has at most one baseline.");
    expect(AssessmentSchedule.safeParse({ ...base, visits: [v("a", 1), v("a", 2)] }).error?.issues[0]?.message).toBe(
      "Each visit needs its own id.",
    );
    expect(AssessmentSchedule.safeParse({ ...base, visits: [v("Day 1", 1)] }).error?.issues[0]?.message).toBe(
      "A visit id is lower-case letters, digits and dashes.",
    );
    const custom = AssessmentSchedule.parse({ ...base, visits: [v("day-0", 0), v("day-3", 3)] });
    const items = dueItems(custom, FIRST_DOSING, LA, t("2026-10-30T08:00:00.000Z"), none);
    // Day 0 opens at midnight of the dosing day itself; a 2-day window.
    expect(items.map((i) => [i.visitId, i.status, i.opensAt, i.dueBy])).toEqual([
      ["day-0", "due", "2026-10-30T07:00:00.000Z", "2026-11-01T07:00:00.000Z"],
      ["day-3", "upcoming", "2026-11-02T08:00:00.000Z", "2026-11-04T08:00:00.000Z"],
    ]);
  });
});

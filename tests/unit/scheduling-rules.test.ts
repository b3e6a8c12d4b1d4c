import { describe, expect, it } from "vitest";
import type { ScheduledSession } from "../../shared/domain/cohort.js";
import { resolveLocal, toLocal } from "../../shared/scheduling/time.js";
import type { Booked } from "../../shared/scheduling/checks.js";
import { decideCancelSession } from "../../shared/scheduling/decide.js";
import { LA, admin, applyDrafts, cohortWith, ctx, facs, parts, refusal, schedule } from "./scheduling-support.js";

const dosing = (dose: number, f: number, p: number, hours = 6) => ({
  kind: "dosing",
  start: "2026-12-10T09:00",
  end: `2026-12-10T${String(9 + Math.floor(hours)).padStart(2, "0")}:${hours % 1 === 0 ? "00" : String(Math.round((hours % 1) * 60)).padStart(2, "0")}`,
  plannedDoseMg: dose,
  facilitators: facs(f),
  participants: parts(p),
});

describe("scheduling rules", () => {
  // 25 participants (room for 25): facilitators needed = ceil(25 / cap) at each edge of the table.
  it.each([
    [4.99, 25, 1],
    [5, 25, 1],
    [5.01, 15, 2],
    [9.99, 15, 2],
    [10, 8, 4],
    [14.99, 8, 4],
    [15, 6, 5],
    [24.99, 6, 5],
    [25, 4, 7],
    [34.99, 4, 7],
    [35, 4, 7],
    [35.01, 2, 13],
    [49.99, 2, 13],
    [50, 2, 13],
  ])(
    "[SCH6] at %s mg (cap %s) 25 participants need %s facilitators; one fewer is refused naming the numbers",
    (dose, cap, needed) => {
      const cohort = cohortWith({ capacity: 25, participants: 25 });
      expect(schedule(cohort, dosing(dose, needed, 25))).toHaveLength(1);
      if (needed > 1) {
        const err = refusal(() => schedule(cohort, dosing(dose, needed - 1, 25)));
        expect(err.message).toBe(
          `At ${dose} mg one facilitator may look after at most ${cap} participants, so 25 participants need ${needed} facilitators; this session has ${needed - 1}.`,
        );
      }
    },
  );

  it.each([50.01, 51, 100])("[SCH6] a planned dose of %s mg is over 50 mg and refused", (dose) => {
    const err = refusal(() => schedule(cohortWith(), dosing(dose, 15, 2)));
    expect(err.code).toBe("RULE_VIOLATION");
    expect(err.message).toBe(`A planned dose of ${dose} mg is over the 50 mg limit and cannot be scheduled.`);
  });

  it.each([
    [2.49, false, 60],
    [2.49, true, 30],
    [2.5, true, 60],
    [4.99, false, 60],
    [5, false, 120],
    [9.99, false, 120],
    [10, false, 240],
    [14.99, false, 240],
    [15, false, 240],
    [24.99, false, 240],
    [25, false, 300],
    [35, false, 300],
    [35.01, false, 360],
    [50, false, 360],
  ])(
    "[SCH7] at %s mg (returning client: %s) a dosing session lasts at least %s min; a minute less is refused",
    (dose, returning, minutes) => {
      const cohort = cohortWith();
      const at = (m: number) => ({
        ...dosing(dose, 1, 1),
        end: toLocal(new Date(Date.parse(resolveLocal("2026-12-10T09:00", LA).instant) + m * 60_000).toISOString(), LA),
      });
      // Returning: p1 was dosed in this program three months before.
      const context = ctx([], LA, returning ? { p1: ["2026-09-10T17:00:00.000Z"] } : {});
      expect(schedule(cohort, at(minutes), context)).toHaveLength(1);
      const err = refusal(() => schedule(cohort, at(minutes - 1), context));
      expect(err.message).toMatch(
        new RegExp(`^A dosing session at ${dose} mg lasts at least .+; this one is planned for .+\\.$`),
      );
      expect(err.fields?.end).toBeDefined();
    },
  );

  it("[SCH5] a group session holds at most min(25, the room's capacity)", () => {
    expect(
      schedule(cohortWith({ capacity: 30, participants: 30 }), {
        kind: "circle",
        start: "2026-12-10T18:00",
        end: "2026-12-10T19:30",
        participants: parts(25),
      }),
    ).toHaveLength(1);
    const over25 = refusal(() =>
      schedule(cohortWith({ capacity: 30, participants: 30 }), {
        kind: "circle",
        start: "2026-12-10T18:00",
        end: "2026-12-10T19:30",
        participants: parts(26),
      }),
    );
    expect(over25.message).toBe(
      "A group session holds at most 25 participants (the lesser of 25 and the room's capacity of 30); this one has 26.",
    );
    const overRoom = refusal(() =>
      schedule(cohortWith({ capacity: 10, participants: 12 }), {
        kind: "dosing",
        start: "2026-12-10T09:00",
        end: "2026-12-10T15:00",
        plannedDoseMg: 5,
        participants: parts(11),
      }),
    );
    expect(overRoom.message).toContain("at most 10 participants");
    expect(overRoom.message).toContain("this one has 11");
  });

  it("[SCH8] a preparation session is individual", () => {
    const err = refusal(() =>
      schedule(cohortWith(), {
        kind: "preparation",
        start: "2026-12-01T10:00",
        end: "2026-12-01T11:00",
        participants: ["p1", "p2"],
      }),
    );
    expect(err.message).toBe("A preparation session is individual: it has exactly 1 participant, not 2.");
  });

  describe("[SCH8] the preparation window: at least 24 h and at most 90 days before the first dosing", () => {
    const dosingStart = resolveLocal("2027-01-20T09:00", LA).instant;
    const withDosing = () =>
      applyDrafts(
        cohortWith(),
        schedule(cohortWith(), {
          kind: "dosing",
          start: "2027-01-20T09:00",
          end: "2027-01-20T15:00",
          plannedDoseMg: 20,
          facilitators: facs(1),
          participants: ["p1"],
        }),
      );
    const prepAt = (msBefore: number) => {
      const start = new Date(Date.parse(dosingStart) - msBefore).toISOString();
      return {
        kind: "preparation",
        start: toLocal(start, LA),
        end: toLocal(new Date(Date.parse(start) + 3_600_000).toISOString(), LA),
      };
    };
    const H = 3_600_000;
    const MIN = 60_000;
    it.each([
      ["exactly 24 h", 24 * H, true],
      ["24 h less one minute", 24 * H - MIN, false],
      ["24 h and one minute", 24 * H + MIN, true],
      ["exactly 90 days", 90 * 24 * H, true],
      ["90 days and one minute", 90 * 24 * H + MIN, false],
      ["90 days less one minute", 90 * 24 * H - MIN, true],
    ])("[SCH8] %s before is %s", (_label, before, ok) => {
      const cohort = withDosing();
      if (ok) expect(schedule(cohort, prepAt(before))).toHaveLength(1);
      else
        expect(refusal(() => schedule(cohort, prepAt(before))).message).toMatch(
          before < 48 * H
            ? /at least 24 h before the first dosing session; it starts 23 h 59 min before it/
            : /at most 90 days before the first dosing session; it is 90 d 0 h 1 min|90 d 1 min before it/,
        );
    });
    it("[SCH8] scheduling a dosing session too soon after an existing preparation is refused too", () => {
      const prep = applyDrafts(
        cohortWith(),
        schedule(cohortWith(), { kind: "preparation", start: "2027-01-19T10:00", end: "2027-01-19T11:00" }),
      );
      expect(
        refusal(() =>
          schedule(prep, { kind: "dosing", start: "2027-01-20T09:00", end: "2027-01-20T15:00", plannedDoseMg: 20 }),
        ).message,
      ).toContain("at least 24 h");
      expect(
        schedule(prep, { kind: "dosing", start: "2027-01-20T10:00", end: "2027-01-20T16:00", plannedDoseMg: 20 }),
      ).toHaveLength(1);
    });
  });

  describe("[SCH4] facilitator double-booking across the program's cohorts", () => {
    const other = (start: string, end: string, f = ["f1"]): Booked => ({
      id: "other-1",
      kind: "circle",
      title: "Thursday circle",
      start,
      end,
      zone: LA,
      facilitators: f,
      cohortName: "Winter cohort",
    });
    const body = { kind: "circle", start: "2026-12-10T18:00", end: "2026-12-10T19:30", participants: ["p1", "p2"] };
    it("[SCH4] an overlap is refused and the error names the other session", () => {
      const err = refusal(() =>
        schedule(cohortWith(), body, ctx([other("2026-12-11T03:00:00.000Z", "2026-12-11T04:00:00.000Z")])),
      );
      expect(err.message).toBe(
        'Facilitator f1 is already booked into "Thursday circle" (Winter cohort) from Thu 10 Dec 2026, 19:00 PST to Thu 10 Dec 2026, 20:00 PST, which overlaps this time.',
      );
    });
    it("[SCH4] back-to-back sessions and other facilitators do not conflict", () => {
      expect(
        schedule(cohortWith(), body, ctx([other("2026-12-11T03:30:00.000Z", "2026-12-11T04:30:00.000Z")])),
      ).toHaveLength(1);
      expect(
        schedule(cohortWith(), body, ctx([other("2026-12-11T03:00:00.000Z", "2026-12-11T04:00:00.000Z", ["f2"])])),
      ).toHaveLength(1);
    });
    it("[SCH4] a cancelled session no longer blocks its facilitators", () => {
      const once = applyDrafts(cohortWith(), schedule(cohortWith(), body));
      const id = once.schedule[0]?.id ?? "";
      const cancelled = applyDrafts(once, decideCancelSession(once, { id: "cancel-1", sessionId: id }, admin, LA));
      expect(cancelled.schedule).toEqual([]);
      expect(
        schedule(cancelled, body, ctx(cancelled.schedule.map((x) => ({ ...x, cohortName: "Spring cohort" })))),
      ).toHaveLength(1);
      expect(refusal(() => decideCancelSession(cancelled, { id: "cancel-2", sessionId: id }, admin, LA)).code).toBe(
        "NOT_FOUND",
      );
    });
    it("[SCH4] a session already in the cohort counts too", () => {
      const once = applyDrafts(cohortWith(), schedule(cohortWith(), body));
      const booked: Booked[] = once.schedule.map((s: ScheduledSession) => ({ ...s, cohortName: once.name }));
      expect(
        refusal(() => schedule(once, { ...body, start: "2026-12-10T19:00", end: "2026-12-10T20:00" }, ctx(booked)))
          .message,
      ).toContain("(Spring cohort)");
    });
  });
});

import { describe, expect, it } from "vitest";
import ICAL from "ical.js";
import type { Booked } from "../../shared/scheduling/checks.js";
import { decideCancelSession, decideUpdateSession } from "../../shared/scheduling/decide.js";
import { expandSeries, seriesSummary } from "../../shared/scheduling/series.js";
import { SessionUpdate } from "../../shared/protocol/admin.js";
import { writeCalendar } from "../../shared/scheduling/ics.js";
import type { CohortState, ScheduledSession } from "../../shared/domain/cohort.js";
import { LA, admin, applyDrafts, cohortWith, ctx, refusal, schedule } from "./scheduling-support.js";

const body = { kind: "circle", start: "2026-12-10T18:00", end: "2026-12-10T19:30", participants: ["p1", "p2"] };

function scheduled(): { cohort: CohortState; session: ScheduledSession } {
  const cohort = applyDrafts(cohortWith(), schedule(cohortWith(), body));
  const session = cohort.schedule[0];
  if (!session) throw new Error("not scheduled");
  return { cohort, session };
}

/** The whole new plan, as the edit form sends it. */
function change(session: ScheduledSession, patch: Record<string, unknown>) {
  return SessionUpdate.parse({
    id: `chg-${Math.random()}`,
    sessionId: session.id,
    sequence: session.sequence,
    title: session.title,
    start: "2026-12-10T18:00",
    end: "2026-12-10T19:30",
    facilitators: session.facilitators,
    participants: session.participants,
    ...patch,
  });
}

function feed(sessions: ScheduledSession[], cancelled: boolean) {
  const text = writeCalendar(
    sessions.map((s) => ({ uid: `${s.id}@holdspace`, ...s, cancelled })),
    { stampMs: Date.parse("2026-12-01T00:00:00Z"), name: "Holdspace" },
  );
  const cal = ICAL.Component.fromString(text);
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  return cal.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      sequence: e.sequence,
      status: String(v.getFirstPropertyValue("status")),
      start: e.startDate.toJSDate().toISOString(),
    };
  });
}

describe("changing a scheduled session", () => {
  it("[SCH9] a reschedule is an event with SEQUENCE 1, and a cancellation keeps it in the feed as STATUS:CANCELLED, SEQUENCE 2 (parsed with ical.js)", () => {
    const { cohort, session } = scheduled();
    expect(feed(cohort.schedule, false)).toEqual([
      { uid: `${session.id}@holdspace`, sequence: 0, status: "CONFIRMED", start: "2026-12-11T02:00:00.000Z" },
    ]);
    const drafts = decideUpdateSession(
      cohort,
      change(session, { start: "2026-12-10T19:00", end: "2026-12-10T20:30" }),
      admin,
      ctx(),
    );
    expect(drafts.map((d) => d.type)).toEqual(["session.rescheduled"]);
    const moved = applyDrafts(cohort, drafts);
    expect(feed(moved.schedule, false)).toEqual([
      { uid: `${session.id}@holdspace`, sequence: 1, status: "CONFIRMED", start: "2026-12-11T03:00:00.000Z" },
    ]);
    const movedSession = moved.schedule[0];
    if (!movedSession) throw new Error("lost");
    const gone = applyDrafts(
      moved,
      decideCancelSession(moved, { id: "c1", sessionId: session.id, sequence: 1 }, admin, LA),
    );
    expect(gone.schedule).toEqual([]);
    expect(feed(gone.cancelled, true)).toEqual([
      { uid: `${session.id}@holdspace`, sequence: 2, status: "CANCELLED", start: "2026-12-11T03:00:00.000Z" },
    ]);
  });

  it("[SCH9] an edit with the same times is session.edited; a change that changes nothing writes nothing", () => {
    const { cohort, session } = scheduled();
    const edit = decideUpdateSession(cohort, change(session, { title: "Thursday circle" }), admin, ctx());
    expect(edit.map((d) => [d.type, d.data.title, d.data.sequence])).toEqual([
      ["session.edited", "Thursday circle", 1],
    ]);
    expect(decideUpdateSession(cohort, change(session, {}), admin, ctx())).toEqual([]);
  });

  it("[SCH3] a reschedule into the spring-forward gap is refused, naming the time and zone", () => {
    const { cohort, session } = scheduled();
    const err = refusal(() =>
      decideUpdateSession(
        cohort,
        change(session, { start: "2027-03-14T02:30", end: "2027-03-14T04:00" }),
        admin,
        ctx(),
      ),
    );
    expect(err.message).toBe(
      "2027-03-14 02:30 does not exist in America/Los_Angeles: the clocks move forward 60 minutes that night. Choose another time.",
    );
  });

  it("[SCH4] a reschedule onto another booking of its facilitator is refused and names the other session; its own old slot is no conflict", () => {
    const { cohort, session } = scheduled();
    const other: Booked = {
      id: "ss_other",
      kind: "circle",
      title: "Friday circle",
      start: "2026-12-12T03:00:00.000Z",
      end: "2026-12-12T04:00:00.000Z",
      zone: LA,
      facilitators: ["f1"],
      cohortName: "Winter cohort",
    };
    const booked = [other, { ...session, cohortName: cohort.name }];
    const err = refusal(() =>
      decideUpdateSession(
        cohort,
        change(session, { start: "2026-12-11T18:30", end: "2026-12-11T20:00" }),
        admin,
        ctx(booked),
      ),
    );
    expect(err.message).toBe(
      'Facilitator f1 is already booked into "Friday circle" (Winter cohort) from Fri 11 Dec 2026, 19:00 PST to Fri 11 Dec 2026, 20:00 PST, which overlaps this time.',
    );
    // Moving by half an hour overlaps only its own old slot, which does not count.
    expect(
      decideUpdateSession(
        cohort,
        change(session, { start: "2026-12-10T18:30", end: "2026-12-10T20:00" }),
        admin,
        ctx(booked),
      ),
    ).toHaveLength(1);
  });

  it("[SCH5] [SCH8] a change is held to the same rules as scheduling: a preparation stays individual", () => {
    const prep = applyDrafts(
      cohortWith(),
      schedule(cohortWith(), { kind: "preparation", start: "2026-12-01T10:00", end: "2026-12-01T11:00" }),
    );
    const session = prep.schedule[0];
    if (!session) throw new Error("not scheduled");
    expect(
      refusal(() =>
        decideUpdateSession(
          prep,
          change(session, { start: "2026-12-01T10:00", end: "2026-12-01T11:00", participants: ["p1", "p2"] }),
          admin,
          ctx(),
        ),
      ).message,
    ).toBe("A preparation session is individual: it has exactly 1 participant, not 2.");
  });

  it("[SCH4] a change made on a plan someone else has since changed is refused as a CONFLICT naming the plan as it is now", () => {
    const { cohort, session } = scheduled();
    const first = applyDrafts(
      cohort,
      decideUpdateSession(
        cohort,
        change(session, { start: "2026-12-10T19:00", end: "2026-12-10T20:30" }),
        admin,
        ctx(),
      ),
    );
    const err = refusal(() =>
      decideUpdateSession(first, change(session, { start: "2026-12-10T17:00", end: "2026-12-10T18:30" }), admin, ctx()),
    );
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain("Someone changed this session while you were editing it");
    expect(err.message).toContain("Thu 10 Dec 2026, 19:00 PST");
    expect(
      refusal(() => decideCancelSession(first, { id: "c", sessionId: session.id, sequence: 0 }, admin, LA)).code,
    ).toBe("CONFLICT");
  });

  it("[SCH2] a series says what it made: the count, the wall-clock time kept across the change, the dates", () => {
    const occ = expandSeries({
      firstDate: "2026-02-17",
      time: "18:00",
      durationMinutes: 90,
      everyWeeks: 1,
      until: "2026-03-24",
      zone: LA,
    });
    expect(seriesSummary(occ, LA)).toBe(
      "6 circles, 18:00 PST → 18:00 PDT from 10 March, Tue 17 Feb to Tue 24 Mar 2026",
    );
  });
});

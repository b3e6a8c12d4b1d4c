import { afterEach, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { seedProgram, type PersonSpec } from "../../server/demo/seed.js";
import { streamName } from "../../shared/log.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { startApp, type Running } from "../support/harness.js";
import { Http, errorOf } from "./admin-support.js";

type Node = Running & { tag: string };

/** The feed a calendar app would read, parsed with ical.js: uid → SEQUENCE, STATUS, start. */
async function feedOf(
  node: Node,
  who: Http,
): Promise<Map<string, { sequence: number; status: string; start: string }>> {
  const url = String((await who.post("/api/calendar-feed", {})).json.url);
  const text = await (await fetch(`${node.url}${new URL(url).pathname}`)).text();
  const cal = ICAL.Component.fromString(text);
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  const out = new Map<string, { sequence: number; status: string; start: string }>();
  for (const v of cal.getAllSubcomponents("vevent")) {
    const e = new ICAL.Event(v);
    out.set(e.uid, {
      sequence: e.sequence,
      status: String(v.getFirstPropertyValue("status")),
      start: e.startDate.toJSDate().toISOString(),
    });
  }
  return out;
}

describe("edit, reschedule and cancel a scheduled session over HTTP (Redis)", () => {
  let node: Node;
  afterEach(async () => node.stop());

  async function setup() {
    node = await startApp("redis");
    const tag = node.tag;
    const admin = await Http.as(node.url, tag, "admin");
    const cohortId = `cohort-${tag}`;
    const fac1 = await node.app.services.users.byEmail(`fac1.${tag}@example.test`);
    const fac2 = await node.app.services.users.byEmail(`fac2.${tag}@example.test`);
    const p1 = await node.app.services.users.byEmail(`p1.${tag}@example.test`);
    const ids = { fac1: fac1?.id ?? "", fac2: fac2?.id ?? "", p1: p1?.id ?? "" };
    const plan = {
      kind: "circle",
      title: "Thursday circle",
      start: "2027-01-14T18:00",
      end: "2027-01-14T19:30",
      facilitators: [ids.fac1],
      participants: [ids.p1],
    };
    const made = await admin.post(`/api/admin/cohorts/${cohortId}/sessions`, plan);
    expect(made.status).toBe(201);
    return { tag, admin, cohortId, ids, plan, sessionId: String(made.json.sessionId) };
  }

  /** A second admin of the same program: the same authority, another person. */
  async function secondAdmin(tag: string): Promise<Http> {
    const { liveSession: _none, ...rest } = mainCohort(tag);
    const person: PersonSpec = {
      key: "admin2",
      role: "admin",
      name: "Second admin",
      email: `admin2.${tag}@example.test`,
    };
    await seedProgram(node.app.services, {
      ...rest,
      cohortId: `cohort2-${tag}`,
      cohortName: "Second",
      people: [person],
    });
    return new Http(node.url, await signIn(node.url, person.email, TEST_PASSWORD));
  }

  it("[SCH9] [LOG1] a reschedule and a cancellation are events on the cohort's log; the feed says SEQUENCE 1, then STATUS:CANCELLED with SEQUENCE 2", async () => {
    const { admin, cohortId, plan, sessionId } = await setup();
    const fac = await Http.as(node.url, node.tag, "fac1");
    const uid = `${sessionId}@holdspace`;
    expect((await feedOf(node, fac)).get(uid)).toEqual({
      sequence: 0,
      status: "CONFIRMED",
      start: "2027-01-15T02:00:00.000Z",
    });

    const moved = await admin.post(`/api/admin/cohorts/${cohortId}/session-changes`, {
      ...plan,
      kind: undefined,
      sessionId,
      sequence: 0,
      start: "2027-01-14T19:00",
      end: "2027-01-14T20:30",
    });
    expect(moved.status).toBe(200);
    expect(moved.json.sequence).toBe(1);
    expect((await feedOf(node, fac)).get(uid)).toEqual({
      sequence: 1,
      status: "CONFIRMED",
      start: "2027-01-15T03:00:00.000Z",
    });

    const gone = await admin.post(`/api/admin/cohorts/${cohortId}/cancellations`, { sessionId, sequence: 1 });
    expect(gone.status).toBe(200);
    expect((await feedOf(node, fac)).get(uid)).toEqual({
      sequence: 2,
      status: "CANCELLED",
      start: "2027-01-15T03:00:00.000Z",
    });

    const log = await node.stores.log.read(streamName("cohort", cohortId), 0, 1000);
    const mine = log.events.filter((e) => e.data.sessionId === sessionId).map((e) => e.type);
    expect(mine).toEqual(["session.scheduled", "session.rescheduled", "session.cancelled"]);
    // Gone from the schedule the screens show; a second cancel says so.
    const again = await admin.post(`/api/admin/cohorts/${cohortId}/cancellations`, { sessionId });
    expect(errorOf(again)).toEqual({ code: "NOT_FOUND", message: "That session has already been cancelled." });
  });

  it("[SCH3] [SCH4] a reschedule has the checks of scheduling: a gap time and an overlap (naming the other) are refused, nothing written", async () => {
    const { admin, cohortId, ids, plan, sessionId } = await setup();
    const other = await admin.post(`/api/admin/cohorts/${cohortId}/sessions`, {
      ...plan,
      title: "Friday circle",
      start: "2027-01-15T18:00",
      end: "2027-01-15T19:30",
      facilitators: [ids.fac1, ids.fac2],
    });
    expect(other.status).toBe(201);
    const head = await node.stores.log.head(streamName("cohort", cohortId));
    const change = (patch: Record<string, unknown>) =>
      admin.post(`/api/admin/cohorts/${cohortId}/session-changes`, {
        ...plan,
        kind: undefined,
        sessionId,
        sequence: 0,
        ...patch,
      });

    const gap = await change({ start: "2027-03-14T02:30", end: "2027-03-14T04:00" });
    expect(gap.status).toBe(422);
    expect(errorOf(gap).message).toBe(
      "2027-03-14 02:30 does not exist in America/Los_Angeles: the clocks move forward 60 minutes that night. Choose another time.",
    );
    const clash = await change({ start: "2027-01-15T19:00", end: "2027-01-15T20:00" });
    expect(clash.status).toBe(422);
    expect(errorOf(clash).message).toBe(
      `fac1 ${node.tag} is already booked into "Friday circle" (Main cohort) from Fri 15 Jan 2027, 18:00 PST to Fri 15 Jan 2027, 19:30 PST, which overlaps this time.`,
    );
    expect(await node.stores.log.head(streamName("cohort", cohortId))).toEqual(head);
  });

  it("[SCH4] two admins rescheduling the same session at once: one wins, the other gets a clear CONFLICT and nothing of theirs is written", async () => {
    const { admin, cohortId, plan, sessionId, tag } = await setup();
    const admin2 = await secondAdmin(tag);
    const body = { ...plan, kind: undefined, sessionId, sequence: 0 };
    const [a, b] = await Promise.all([
      admin.post(`/api/admin/cohorts/${cohortId}/session-changes`, {
        ...body,
        start: "2027-01-14T17:00",
        end: "2027-01-14T18:30",
      }),
      admin2.post(`/api/admin/cohorts/${cohortId}/session-changes`, {
        ...body,
        start: "2027-01-14T20:00",
        end: "2027-01-14T21:30",
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect(errorOf(lost).code).toBe("CONFLICT");
    expect(errorOf(lost).message).toContain("Someone changed this session while you were editing it");
    expect(won.json.sequence).toBe(1);
    const state = await node.app.services.streams.state("cohort", cohortId);
    const now = state.schedule.find((s) => s.id === sessionId);
    expect(now?.sequence).toBe(1);
    expect(now?.start).toBe(won === a ? "2027-01-15T01:00:00.000Z" : "2027-01-15T04:00:00.000Z");
    expect(errorOf(lost).message).toContain(won === a ? "17:00 PST" : "20:00 PST");
  });

  it("[LOG2] an id chosen by another admin cannot name, and so overwrite, a session someone else scheduled", async () => {
    const { admin, cohortId, plan, sessionId, tag } = await setup();
    const admin2 = await secondAdmin(tag);
    // The same command id as the first admin's: refused as someone else's id (DUPLICATE_ID), nothing overwritten.
    const firstId = "the-same-command-id";
    const mine = await admin.call("POST", `/api/admin/cohorts/${cohortId}/sessions`, {
      ...plan,
      id: firstId,
      start: "2027-01-20T18:00",
      end: "2027-01-20T19:30",
    });
    const theirs = await admin2.call("POST", `/api/admin/cohorts/${cohortId}/sessions`, {
      ...plan,
      id: firstId,
      title: "Overwritten?",
      start: "2027-01-21T18:00",
      end: "2027-01-21T19:30",
    });
    expect([mine.status, theirs.status]).toEqual([201, 409]);
    expect(errorOf(theirs).code).toBe("DUPLICATE_ID");
    // Nor can an id that spells a session id name it: the server derives ids from sender and command.
    const spelled = await admin2.call("POST", `/api/admin/cohorts/${cohortId}/sessions`, {
      ...plan,
      id: sessionId.replace(/^ss_/, ""),
      start: "2027-01-22T18:00",
      end: "2027-01-22T19:30",
    });
    expect(spelled.status).toBe(201);
    expect(spelled.json.sessionId).not.toBe(sessionId);
    const state = await node.app.services.streams.state("cohort", cohortId);
    expect(state.schedule.find((s) => s.id === mine.json.sessionId)?.title).toBe("Thursday circle");
    expect(state.schedule.find((s) => s.id === sessionId)?.start).toBe("2027-01-15T02:00:00.000Z");
    expect(state.schedule).toHaveLength(3);
  });

  it("[SCH5] a cohort's capacity over the profile's 25-person group limit is refused, naming the limit", async () => {
    node = await startApp("redis");
    const admin = await Http.as(node.url, node.tag, "admin");
    const r = await admin.post("/api/admin/cohorts", { programId: `prog-${node.tag}`, name: "Too big", capacity: 30 });
    expect(r.status).toBe(422);
    expect(errorOf(r).message).toBe(
      "A group session holds at most 25 participants under the Oregon (OAR 333-333, 2025) rules, so a cohort's capacity can be at most 25; this one asks for 30.",
    );
  });

  it("[AC2] [LOG1] a facilitator starts the live room from a scheduled dosing session: the room carries its plan, a second start joins it, others cannot start it", async () => {
    const { admin, cohortId, ids } = await setup();
    const dosing = await admin.post(`/api/admin/cohorts/${cohortId}/sessions`, {
      kind: "dosing",
      title: "Dosing day 2",
      start: "2027-02-01T09:00",
      end: "2027-02-01T16:00",
      plannedDoseMg: 25,
      facilitators: [ids.fac1],
      participants: [ids.p1],
    });
    expect(dosing.status).toBe(201);
    const scheduledId = String(dosing.json.sessionId);
    const fac1 = new TestClient(node.url, (await Http.as(node.url, node.tag, "fac1")).cookie);
    const fac2 = new TestClient(node.url, (await Http.as(node.url, node.tag, "fac2")).cookie);
    try {
      await Promise.all([fac1.connected(), fac2.connected()]);
      const opened = await fac1.ok<{ sessionId: string }>("session:open", { id: "open-1", cohortId, scheduledId });
      const live = await node.app.services.streams.state("session", opened.sessionId);
      expect(live.title).toBe("Dosing day 2");
      expect(live.scheduled).toEqual({
        sessionId: scheduledId,
        start: "2027-02-01T17:00:00.000Z",
        end: "2027-02-02T00:00:00.000Z",
        participants: [ids.p1],
      });
      const cohort = await node.app.services.streams.state("cohort", cohortId);
      expect(cohort.sessions.find((s) => s.id === opened.sessionId)?.scheduledId).toBe(scheduledId);
      // Pressing start again (another tab, a new command id) goes to the same room.
      expect(
        (await fac1.ok<{ sessionId: string }>("session:open", { id: "open-2", cohortId, scheduledId })).sessionId,
      ).toBe(opened.sessionId);
      const refused = await fac2.send("session:open", { id: "open-3", cohortId, scheduledId });
      expect(refused.ok ? null : refused.error).toEqual({
        code: "FORBIDDEN",
        message: "Only a facilitator scheduled for this session can start it.",
      });
    } finally {
      fac1.socket.close();
      fac2.socket.close();
    }
  });
});

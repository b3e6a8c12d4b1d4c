import { afterEach, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { z } from "zod";
import { CohortOverview, ReadinessRow } from "../../shared/protocol/admin-views.js";
import { streamName } from "../../shared/log.js";
import { TestClient } from "../support/client.js";
import { ManualClock, startApp, type Running, type StoreKind } from "../support/harness.js";
import { anyString } from "../support/matchers.js";
import { CLEAN_SCREENING, Http, enrol, errorOf } from "./admin-support.js";

type Node = Running & { tag: string };

/** An admin's cohort in the seeded program, with fac1 assigned and `n` participants enrolled by link. */
async function cohortWithPeople(node: Node, admin: Http, n: number, capacity = 10) {
  const created = await admin.post("/api/admin/cohorts", {
    programId: `prog-${node.tag}`,
    name: "Spring cohort",
    capacity,
  });
  expect(created.status).toBe(201);
  const cohortId = String(created.json.cohortId);
  const fac1 = await node.app.services.users.byEmail(`fac1.${node.tag}@example.test`);
  expect((await admin.post(`/api/admin/cohorts/${cohortId}/facilitators`, { userId: fac1?.id })).status).toBe(200);
  const participants: { id: string; cookie: string }[] = [];
  for (let i = 0; i < n; i++) {
    const inv = await admin.post(`/api/admin/cohorts/${cohortId}/invites`, { ttlHours: 24 });
    const r = await enrol(node.url, String(inv.json.token), `New person ${i}`, `new${i}.${node.tag}@example.test`);
    expect(r.status).toBe(201);
    const user = await node.app.services.users.byEmail(`new${i}.${node.tag}@example.test`);
    participants.push({ id: user?.id ?? "", cookie: r.cookie ?? "" });
  }
  return { cohortId, fac1Id: fac1?.id ?? "", participants };
}

describe.each<StoreKind>(["embedded", "redis"])("programs and cohorts on the %s store", (kind) => {
  let node: Node;
  afterEach(async () => node.stop());

  it("[LOG1] [AC1] an admin creates a cohort and enrols a participant by a one-time, expiring invite link", async () => {
    const clock = new ManualClock();
    node = await startApp(kind, { clock });
    const admin = await Http.as(node.url, node.tag, "admin");
    const { cohortId, participants } = await cohortWithPeople(node, admin, 1, 2);
    const stream = streamName("cohort", cohortId);
    const inv = await admin.post(`/api/admin/cohorts/${cohortId}/invites`, { ttlHours: 1 });
    expect(inv.status).toBe(201);
    const token = String(inv.json.token);
    const info = await new Http(node.url, null).get(`/api/auth/enrol/${token}`);
    expect(info.json).toMatchObject({ cohortName: "Spring cohort", programName: "Test program" });

    // Expired: an hour and a second later the link is refused and nothing is written.
    clock.advance(3_601_000);
    const head = await node.stores.log.head(stream);
    const late = await enrol(node.url, token, "Late", `late.${node.tag}@example.test`);
    expect(late.status).toBe(410);
    expect(late.json).toMatchObject({ error: { code: "INVITE_INVALID" } });
    expect(await node.stores.log.head(stream)).toEqual(head);
    expect(await node.app.services.users.byEmail(`late.${node.tag}@example.test`)).toBeNull();

    // Used twice: the second use is refused.
    const again = await admin.post(`/api/admin/cohorts/${cohortId}/invites`, { ttlHours: 1 });
    const spare = await admin.post(`/api/admin/cohorts/${cohortId}/invites`, { ttlHours: 1 });
    expect((await enrol(node.url, String(again.json.token), "Second", `second.${node.tag}@example.test`)).status).toBe(
      201,
    );
    const twice = await enrol(node.url, String(again.json.token), "Third", `third.${node.tag}@example.test`);
    expect(twice.status).toBe(410);
    expect(errorOf(twice).message).toContain("already been used or has expired");

    // Over capacity (room of 2, 2 enrolled): the spare link is refused, nothing written, no account made.
    const before = await node.stores.log.head(stream);
    const full = await enrol(node.url, String(spare.json.token), "Fourth", `fourth.${node.tag}@example.test`);
    expect(full.status).toBe(422);
    expect(errorOf(full)).toEqual({
      code: "RULE_VIOLATION",
      message: "This cohort is full: its room holds 2 participants and 2 are enrolled.",
    });
    expect(await node.stores.log.head(stream)).toEqual(before);
    expect(await node.app.services.users.byEmail(`fourth.${node.tag}@example.test`)).toBeNull();

    // [LOG1] The cohort's stream is its whole history.
    const { events } = await node.stores.log.read(stream, 0, 100);
    expect(events.map((e) => e.type)).toEqual([
      "cohort.created",
      "facilitator.assigned",
      "invite.created",
      "participant.enrolled",
      "invite.created",
      "invite.created",
      "invite.created",
      "participant.enrolled",
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // [AC2] The new participant sees their facilitators and themselves, no one else.
    const me = new Http(node.url, participants[0]?.cookie ?? null);
    const overview = await me.get(`/api/cohorts/${cohortId}`);
    expect(overview.status).toBe(200);
    expect(JSON.stringify(overview.json.people)).not.toContain("Second");
  });
});

describe.each<StoreKind>(["embedded", "redis"])("[SCH4] concurrent booking on the %s store", (kind) => {
  let node: Node;
  afterEach(async () => node.stop());

  it("[SCH4] two admins booking one facilitator into two cohorts at the same instant: exactly one lands", async () => {
    node = await startApp(kind);
    const admin = await Http.as(node.url, node.tag, "admin");
    const { cohortId, fac1Id } = await cohortWithPeople(node, admin, 0);
    const body = {
      kind: "circle",
      start: "2027-05-06T18:00",
      end: "2027-05-06T19:30",
      facilitators: [fac1Id],
      participants: [],
    };
    const results = await Promise.all([
      ...Array.from({ length: 3 }, () => admin.post(`/api/admin/cohorts/${cohortId}/sessions`, body)),
      ...Array.from({ length: 3 }, () => admin.post(`/api/admin/cohorts/cohort-${node.tag}/sessions`, body)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    for (const r of results.filter((x) => x.status === 422))
      expect(errorOf(r).message).toContain("is already booked into");
  });
});

describe("scheduling over HTTP", () => {
  let node: Node;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await node.stop();
  });

  it("[SCH2] [SCH4] [AC5] a weekly series keeps 18:00; double-booking across cohorts and bad input are refused with nothing written", async () => {
    node = await startApp("redis");
    const admin = await Http.as(node.url, node.tag, "admin");
    const { cohortId, fac1Id, participants } = await cohortWithPeople(node, admin, 3);
    const pids = participants.map((p) => p.id);
    const series = await admin.post(`/api/admin/cohorts/${cohortId}/series`, {
      kind: "circle",
      title: "Thursday circle",
      firstDate: "2027-03-04",
      time: "18:00",
      durationMinutes: 90,
      everyWeeks: 1,
      until: "2027-03-25",
      facilitators: [fac1Id],
      participants: pids,
    });
    expect(series.status).toBe(201);
    expect(series.json.sessions).toBe(4);
    const overview = await admin.get(`/api/cohorts/${cohortId}`);
    const schedule = CohortOverview.parse(overview.json).schedule;
    const starts = schedule.map((x) => x.start);
    expect(starts).toEqual([
      "2027-03-05T02:00:00.000Z",
      "2027-03-12T02:00:00.000Z",
      "2027-03-19T01:00:00.000Z",
      "2027-03-26T01:00:00.000Z",
    ]);

    // [SCH4] fac1 is also in the seeded main cohort: a session there at an overlapping time is refused.
    const main = `cohort-${node.tag}`;
    const mainStream = streamName("cohort", main);
    const head = await node.stores.log.head(mainStream);
    const clash = await admin.post(`/api/admin/cohorts/${main}/sessions`, {
      kind: "circle",
      start: "2027-03-18T17:30",
      end: "2027-03-18T18:30",
      facilitators: [fac1Id],
      participants: [],
    });
    expect(clash.status).toBe(422);
    expect(errorOf(clash).message).toBe(
      `fac1 ${node.tag} is already booked into "Thursday circle" (Spring cohort) from Thu 18 Mar 2027, 18:00 PDT to Thu 18 Mar 2027, 19:30 PDT, which overlaps this time.`,
    );

    const stream = streamName("cohort", cohortId);
    const before = await node.stores.log.head(stream);
    const bad: [string, string, Record<string, unknown>, number, string, string][] = [
      [
        "unknown zone",
        "/api/admin/programs",
        { name: "X", zone: "Mars/Olympus_Mons" },
        400,
        "INVALID_PAYLOAD",
        "Unknown time zone",
      ],
      [
        "malformed date",
        `/api/admin/cohorts/${cohortId}/sessions`,
        {
          kind: "circle",
          start: "2027-02-30T10:00",
          end: "2027-03-01T11:00",
          facilitators: [fac1Id],
          participants: pids,
        },
        400,
        "INVALID_PAYLOAD",
        "YYYY-MM-DDTHH:MM",
      ],
      [
        "end before start",
        `/api/admin/cohorts/${cohortId}/sessions`,
        {
          kind: "circle",
          start: "2027-04-01T11:00",
          end: "2027-04-01T10:00",
          facilitators: [fac1Id],
          participants: pids,
        },
        400,
        "INVALID_PAYLOAD",
        "The end must be after the start.",
      ],
      [
        "series with no end",
        `/api/admin/cohorts/${cohortId}/series`,
        {
          kind: "circle",
          firstDate: "2027-04-01",
          time: "18:00",
          durationMinutes: 60,
          facilitators: [fac1Id],
          participants: pids,
        },
        400,
        "INVALID_PAYLOAD",
        "A series needs an end date.",
      ],
      [
        "dose over 50 mg",
        `/api/admin/cohorts/${cohortId}/sessions`,
        {
          kind: "dosing",
          start: "2027-04-01T09:00",
          end: "2027-04-01T16:00",
          plannedDoseMg: 51,
          facilitators: [fac1Id],
          participants: pids,
        },
        422,
        "RULE_VIOLATION",
        "A planned dose of 51 mg is over the 50 mg limit",
      ],
      [
        "[SCH3] time in the gap",
        `/api/admin/cohorts/${cohortId}/sessions`,
        {
          kind: "circle",
          start: "2027-03-14T02:30",
          end: "2027-03-14T04:00",
          facilitators: [fac1Id],
          participants: pids,
        },
        422,
        "RULE_VIOLATION",
        "2027-03-14 02:30 does not exist in America/Los_Angeles",
      ],
      [
        "[SCH6] too few facilitators",
        `/api/admin/cohorts/${cohortId}/sessions`,
        {
          kind: "dosing",
          start: "2027-04-01T09:00",
          end: "2027-04-01T16:00",
          plannedDoseMg: 40,
          facilitators: [fac1Id],
          participants: pids,
        },
        422,
        "RULE_VIOLATION",
        "need 2 facilitators; this session has 1",
      ],
      [
        "unknown field",
        `/api/admin/cohorts/${cohortId}/sessions`,
        {
          kind: "circle",
          start: "2027-04-01T09:00",
          end: "2027-04-01T10:00",
          facilitators: [fac1Id],
          participants: pids,
          room: "x",
        },
        400,
        "INVALID_PAYLOAD",
        "Invalid request",
      ],
    ];
    for (const [what, path, body, status, code, text] of bad) {
      const r = await admin.post(path, body);
      expect(r.status, what).toBe(status);
      expect(errorOf(r).code, what).toBe(code);
      expect(errorOf(r).message, what).toContain(text);
    }
    expect(await node.stores.log.head(stream)).toEqual(before);
    expect(await node.stores.log.head(mainStream)).toEqual(head);

    // [SCH9] the .ics of one session parses and carries the zone; a private feed can be revoked.
    const sessionId = schedule[2]?.id ?? "";
    const fac = await Http.as(node.url, node.tag, "fac1");
    const ics = await fac.get(`/api/calendar/${cohortId}/${sessionId}.ics`);
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    const cal = ICAL.Component.fromString(ics.text);
    for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
    const vevent = cal.getFirstSubcomponent("vevent");
    if (!vevent) throw new Error("no VEVENT");
    expect(new ICAL.Event(vevent).startDate.toJSDate().toISOString()).toBe("2027-03-19T01:00:00.000Z");
    expect(new ICAL.Event(vevent).uid).toBe(`${sessionId}@holdspace`);
    const feed = await fac.post("/api/calendar-feed", {});
    const url = String(feed.json.url);
    const path = new URL(url).pathname;
    const got = await fetch(`${node.url}${path}`);
    expect(got.status).toBe(200);
    expect((await got.text()).match(/BEGIN:VEVENT/g)?.length).toBe(4);
    await fac.call("DELETE", "/api/calendar-feed");
    expect((await fetch(`${node.url}${path}`)).status).toBe(404);
    // A participant's .ics of someone else's session does not exist for them.
    const p = new Http(node.url, participants[0]?.cookie ?? null);
    expect((await p.get(`/api/calendar/${main}/whatever.ics`)).status).toBe(404);
  });

  it("[AC3] [RDY1] screening answers reach staff live and never another participant's socket or HTTP response", async () => {
    node = await startApp("redis");
    const admin = await Http.as(node.url, node.tag, "admin");
    const { cohortId, participants } = await cohortWithPeople(node, admin, 2);
    const [a, b] = participants;
    if (!a || !b) throw new Error("participants missing");
    const stream = streamName("cohort", cohortId);
    const fac = new TestClient(node.url, (await Http.as(node.url, node.tag, "fac1")).cookie);
    const other = new TestClient(node.url, a.cookie);
    clients.push(fac, other);
    await Promise.all([fac.connected(), other.connected()]);
    await fac.ok("stream:sync", { stream, epoch: null, seq: 0 });
    await other.ok("stream:sync", { stream, epoch: null, seq: 0 });

    const bHttp = new Http(node.url, b.cookie);
    const sent = await bHttp.post(`/api/cohorts/${cohortId}/screening`, {
      answers: { ...CLEAN_SCREENING, ssriSnri: true, lithiumLastTaken: "2026-01-02" },
    });
    expect(sent.status).toBe(200);
    const seq = Number(sent.json.seq);
    await fac.until(
      () => fac.events.some((m) => m.stream === stream && m.event.seq === seq && !("hidden" in m.event)),
      5000,
      "facilitator got the screening",
    );
    await other.until(
      () => other.events.some((m) => m.stream === stream && m.event.seq === seq),
      5000,
      "participant got the position",
    );
    expect(other.events.find((m) => m.event.seq === seq)?.event).toEqual({ seq, epoch: anyString(), hidden: true });
    expect(JSON.stringify(other.received)).not.toMatch(/answers|lithium|ssri/i);

    // HTTP: the board is staff-only; another participant's view has none of it.
    const aHttp = new Http(node.url, a.cookie);
    expect((await aHttp.get(`/api/cohorts/${cohortId}/readiness`)).status).toBe(403);
    for (const path of [`/api/cohorts/${cohortId}`, `/api/cohorts/${cohortId}/my-record`, "/api/me/schedule"]) {
      const r = await aHttp.get(path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toMatch(/lithium|ssri|2026-01-02/i);
    }
    // The facilitator's board shows what is missing, by name, and the review flag.
    const board = await new Http(node.url, (await Http.as(node.url, node.tag, "fac1")).cookie).get(
      `/api/cohorts/${cohortId}/readiness`,
    );
    const row = z
      .array(ReadinessRow)
      .parse(board.json.rows)
      .find((r) => r.participant.id === b.id);
    expect(row?.missing.map((m) => m.item)).toEqual(["screening_review", "consent", "transport", "preparation"]);
    expect(row?.flags).toEqual(["Takes an SSRI or SNRI"]);
    // A participant cannot fill in someone else's form: identity comes from the session [AC1].
    expect((await aHttp.post(`/api/cohorts/${cohortId}/reviews`, { participantId: b.id })).status).toBe(403);
  });
});

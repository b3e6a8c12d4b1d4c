import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { seedProgram } from "../../server/demo/seed.js";
import { NOTES_TEXT } from "../../shared/domain/notes.js";
import { streamName } from "../../shared/log.js";
import { mainCohort, otherCohort } from "../support/fixtures.js";
import { ManualClock, startApp, type Running } from "../support/harness.js";
import { CLEAN_SCREENING, phoneMark } from "./admin-support.js";
import { RecordingHttp, foreignProgram, leaked, witness, type Witness } from "./privacy-support.js";

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString("base64");

/**
 * The privacy sweep: one realistic run across enrolment, readiness, a dosing day, a circle and the
 * calendar, with every socket push, every ack and every HTTP reply of every person recorded in
 * full. Each sensitive value is a unique marker; the test then asserts that no marker reached
 * anyone it does not belong to [AC2][AC3][AC4][CIR5][CIR6].
 */
describe("privacy sweep (one node, Redis)", () => {
  let node: Running & { tag: string };
  const everyone: Witness[] = [];
  afterEach(async () => {
    for (const w of everyone.splice(0)) w.socket.close();
    await node.stop();
  });

  it("[AC2] [AC3] [AC4] [CIR5] [CIR6] [SCH9] nothing sensitive reaches another participant, another cohort's facilitator or another program's admin", async () => {
    const clock = new ManualClock();
    node = await startApp("redis", { clock });
    const tag = node.tag;
    await seedProgram(node.app.services, foreignProgram(tag));
    const idOf = async (email: string) => (await node.app.services.users.byEmail(email))?.id ?? "";
    const join = async (spec: typeof mainCohort, key: string) => {
      const w = await witness(node.url, spec(tag), key, idOf);
      everyone.push(w);
      return w;
    };
    const [admin, fac1, p1, p2, p3] = [
      await join(mainCohort, "admin"),
      await join(mainCohort, "fac1"),
      await join(mainCohort, "p1"),
      await join(mainCohort, "p2"),
      await join(mainCohort, "p3"),
    ];
    const [ofac, op1, xadmin] = [
      await join(otherCohort, "ofac"),
      await join(otherCohort, "op1"),
      await join(foreignProgram, "xadmin"),
    ];
    const cohortId = `cohort-${tag}`;
    const sessionId = `live-${tag}`;
    const M = (what: string) => `SECRET-${what}-${tag}`;

    // The secrets, by whom they belong to.
    const P1 = {
      checkin: M("CHECKIN-P1"),
      lithium: "2011-02-13",
      driver: M("DRIVER-P1"),
      contact: phoneMark(tag, 1),
      tnotes: M("TNOTES-P1"),
      journal: M("JOURNAL-P1"),
      /** [LIVE10] Who takes p1 home after a change of plan: told to p1's own phone, nobody else's. */
      ride: M("RIDE-P1"),
    };
    const P2 = {
      checkin: M("CHECKIN-P2"),
      lithium: "2012-03-14",
      driver: M("DRIVER-P2"),
      contact: phoneMark(tag, 2),
      tnotes: M("TNOTES-P2"),
      journal: M("JOURNAL-P2"),
      support: "Pressed",
    };
    const STAFF = {
      vitals: "187/119",
      heartRate: '"heartRate"',
      systolic: '"systolic"',
      dose: "13.37",
      planned: "17.37",
      adverse: M("ADVERSE"),
      transfer: M("TRANSFER"),
      plan: M("PLANCHANGE"),
      flags: '"flags"',
    };
    const FNOTE = { group: M("FNOTE-GROUP"), aboutP1: M("FNOTE-P1") };
    const CIRCLE = { shared: M("SHARED-JOURNAL-P1"), awareness: b64(M("AWARENESS-P1")) };
    const title = M("DOSING-TITLE");
    const vals = (o: Record<string, string>) => Object.values(o);

    // Everyone asks for the cohort's stream; members get live events from here on [AC4].
    for (const w of [admin, fac1, p1, p2, p3])
      await w.ok("stream:sync", { stream: streamName("cohort", cohortId), epoch: null, seq: 0 });
    for (const w of [ofac, op1, xadmin])
      expect(await w.code("stream:sync", { stream: streamName("cohort", cohortId), epoch: null, seq: 0 })).toBe(
        "NOT_FOUND",
      );

    // Enrolment records and readiness [RDY1]: screening, consent and transport of p1 and p2.
    for (const [w, s] of [
      [p1, P1],
      [p2, P2],
    ] as const) {
      expect(
        (
          await w.post(`/api/cohorts/${cohortId}/screening`, {
            answers: { ...CLEAN_SCREENING, lithiumLastTaken: s.lithium, ssriSnri: true },
          })
        ).status,
      ).toBe(200);
      expect((await w.post(`/api/cohorts/${cohortId}/consent`, { agreed: true })).status).toBe(200);
      expect(
        (await w.post(`/api/cohorts/${cohortId}/transport`, { driver: s.driver, contact: s.contact, notes: s.tnotes }))
          .status,
      ).toBe(200);
      expect((await fac1.post(`/api/cohorts/${cohortId}/reviews`, { participantId: w.id })).status).toBe(200);
    }

    // A dosing day: check-ins with words, admission, a dose, vitals past the limit, an adverse event, support, release.
    for (const w of [fac1, admin, p1, p2, p3]) await w.ok("session:join", { sessionId, since: null });
    for (const w of [ofac, op1, xadmin])
      expect(await w.code("session:join", { sessionId, since: null })).toBe("NOT_FOUND");
    expect(await p1.code("session:join", { sessionId: `other-live-${tag}`, since: null })).toBe("NOT_FOUND");
    await p1.ok("checkin:send", { id: randomUUID(), sessionId, status: "struggling", intensity: 7, text: P1.checkin });
    await p2.ok("checkin:send", { id: randomUUID(), sessionId, status: "ok", intensity: 2, text: P2.checkin });
    for (const w of [p1, p2]) await fac1.ok("participant:admit", { id: randomUUID(), sessionId, participantId: w.id });
    await fac1.ok("dose:record", { id: randomUUID(), sessionId, participantId: p1.id, mg: 13.37, kind: "primary" });
    await fac1.ok("vitals:record", {
      id: randomUUID(),
      sessionId,
      participantId: p1.id,
      systolic: 187,
      diastolic: 119,
      heartRate: 143,
    });
    await fac1.ok("adverse:record", {
      id: randomUUID(),
      sessionId,
      participantId: p1.id,
      kind: "medical",
      severity: "moderate",
      emergencyServicesCalled: false,
      description: STAFF.adverse,
    });
    const help = await p2.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId });
    // Unacknowledged past 15 s it escalates to the staff inboxes [LIVE6]; never to a participant.
    clock.advance(16_000);
    await node.app.tick();
    await fac1.socket.until(
      () => fac1.socket.received.some((m) => m.name === "alert:notice"),
      5000,
      "escalation notice",
    );
    await fac1.ok("alert:ack", { id: randomUUID(), sessionId, alertId: help.alertId });
    await fac1.ok("release:record", {
      id: randomUUID(),
      sessionId,
      participantId: p1.id,
      transportBy: P1.ride,
      planConfirmed: false,
      planChange: STAFF.plan,
      medicalTransferReason: STAFF.transfer,
    });
    expect(await fac1.code("live:context", { sessionId })).toBe("ok");
    for (const w of [p1, p2, p3]) expect(await w.code("live:context", { sessionId })).toBe("FORBIDDEN");

    // An integration circle: p1 and p2 accept the agreement, p3 does not [CIR1].
    const { circleId } = await fac1.ok<{ circleId: string }>("circle:start", {
      id: randomUUID(),
      cohortId,
      title: "Week 1",
    });
    await fac1.ok("circle:join", { circleId });
    for (const w of [p1, p2]) {
      await w.ok("circle:agree", { id: randomUUID(), circleId });
      await w.ok("circle:join", { circleId });
      await w.ok("stream:sync", { stream: streamName("notes", circleId), epoch: null, seq: 0 });
    }
    await fac1.ok("stream:sync", { stream: streamName("notes", circleId), epoch: null, seq: 0 });
    await p3.ok("circle:join", { circleId });
    expect(await p3.code("stream:sync", { stream: streamName("notes", circleId), epoch: null, seq: 0 })).toBe(
      "RULE_VIOLATION",
    );
    expect(await p3.code("stream:sync", { stream: streamName("circle", circleId), epoch: null, seq: 0 })).toBe(
      "RULE_VIOLATION",
    );
    await fac1.ok("stream:sync", { stream: streamName("fnote", circleId), epoch: null, seq: 0 });
    await fac1.ok("fnote:save", { id: randomUUID(), circleId, about: null, text: FNOTE.group });
    await fac1.ok("fnote:save", { id: randomUUID(), circleId, about: p1.id, text: FNOTE.aboutP1 });
    for (const [w, text] of [
      [p1, P1.journal],
      [p2, P2.journal],
    ] as const) {
      await w.ok("stream:sync", { stream: streamName("journal", w.id), epoch: null, seq: 0 });
      await w.ok("journal:write", { id: randomUUID(), text, circleId });
    }
    const entry = await p1.ok<{ entryId: string }>("journal:write", {
      id: randomUUID(),
      text: CIRCLE.shared,
      circleId,
    });
    await p1.ok("journal:share", { id: randomUUID(), entryId: entry.entryId, circleId });
    const doc = new Y.Doc();
    doc.getText(NOTES_TEXT).insert(0, M("NOTES-P1"));
    const noteUpdate = b64(Y.encodeStateAsUpdate(doc));
    doc.destroy();
    await p1.ok("notes:update", { id: randomUUID(), circleId, update: noteUpdate });
    await p1.ok("notes:awareness", { circleId, update: CIRCLE.awareness });
    await p2.socket.until(
      () => JSON.stringify(p2.socket.received).includes(CIRCLE.awareness),
      5000,
      "awareness relayed to a member",
    );

    // Everyone but the cohort's facilitators is refused every private stream [CIR5][CIR6].
    const refused = [
      ...[ofac, op1, xadmin].flatMap(
        (w) =>
          [
            [w, streamName("session", sessionId)],
            [w, streamName("circle", circleId)],
            [w, streamName("notes", circleId)],
            [w, streamName("program", `prog-${tag}`)],
          ] as const,
      ),
      ...[admin, fac1, p2, p3, ofac].map((w) => [w, streamName("journal", p1.id)] as const),
      ...[admin, p1, p2, p3, ofac].map((w) => [w, streamName("fnote", circleId)] as const),
    ];
    for (const w of [p1, fac1, admin, ofac]) refused.push([w, streamName("index", "live")]);
    for (const [w, stream] of refused)
      expect(`${w.key} ${stream} ${await w.code("stream:sync", { stream, epoch: null, seq: 0 })}`).toMatch(
        / (NOT_FOUND|FORBIDDEN)$/,
      );
    for (const w of [ofac, op1, xadmin]) {
      expect(await w.code("circle:join", { circleId })).toBe("NOT_FOUND");
      expect(await w.code("notes:awareness", { circleId, update: b64("peek") })).toBe("NOT_FOUND");
      expect(await w.code("journal:share", { id: randomUUID(), entryId: entry.entryId, circleId })).toBe("NOT_FOUND");
      expect(await w.code("live:context", { sessionId })).toBe("NOT_FOUND");
    }

    // The schedule and the calendar [SCH9]: a dosing day for p1 and p2 with a planned dose.
    const booked = await admin.post(`/api/admin/cohorts/${cohortId}/sessions`, {
      kind: "dosing",
      title,
      start: "2027-01-10T09:00",
      end: "2027-01-10T16:00",
      facilitators: [fac1.id],
      participants: [p1.id, p2.id],
      plannedDoseMg: 17.37,
    });
    expect(booked.status).toBe(201);
    const dosingId = String(booked.json.sessionId);
    const feeds: Record<string, string> = {};
    for (const w of [admin, fac1, p1, p2, p3, ofac, op1, xadmin]) {
      for (const path of [
        "/api/me",
        "/api/me/schedule",
        `/api/cohorts/${cohortId}`,
        `/api/cohorts/${cohortId}/readiness`,
        `/api/cohorts/${cohortId}/my-record`,
        `/api/calendar/${cohortId}/${dosingId}.ics`,
        `/api/admin/programs/prog-${tag}`,
        "/api/admin/programs",
      ]) {
        await w.http.get(path);
      }
      const feed = await w.post("/api/calendar-feed", {});
      feeds[w.key] = new URL(String(feed.json.url)).pathname;
      await w.http.get(feeds[w.key] ?? "");
    }
    const anonymous = new RecordingHttp(node.url, null);
    const p1Ics = (await anonymous.get(feeds.p1 ?? "")).text;
    expect(p1Ics).toContain("BEGIN:VEVENT");
    for (const line of p1Ics.split("\r\n").filter((l) => /^(SUMMARY|DESCRIPTION|LOCATION)/.test(l)))
      expect(line).toMatch(/^(SUMMARY:Holdspace: group session|DESCRIPTION:Details are in Holdspace\.)$/);
    expect(leaked(p1Ics, [title, STAFF.planned, "p1 ", "p2 ", "fac1 "])).toEqual([]);
    for (const w of [ofac, op1, xadmin]) {
      expect((await w.http.get(`/api/cohorts/${cohortId}`)).status).toBe(404);
      expect((await w.http.get(`/api/calendar/${cohortId}/${dosingId}.ics`)).status).toBe(404);
    }
    expect((await p1.http.get(`/api/cohorts/${cohortId}/readiness`)).status).toBe(403);
    expect((await fac1.http.get(`/api/admin/programs/prog-${tag}`)).status).toBe(404);

    // The facilitators did get it all: the sweep below is not vacuous.
    const facSaw = fac1.seen();
    expect(
      leaked(facSaw, [
        ...vals(STAFF),
        ...vals(FNOTE),
        P1.checkin,
        P2.checkin,
        P1.lithium,
        P1.driver,
        P1.ride,
        CIRCLE.shared,
        noteUpdate,
        CIRCLE.awareness,
      ]),
    ).toHaveLength(vals(STAFF).length + vals(FNOTE).length + 8);
    expect(leaked(p1.seen(), [P1.checkin, P1.lithium, P1.driver, P1.journal, P1.ride])).toHaveLength(5);
    expect(leaked(p2.seen(), [CIRCLE.shared, noteUpdate, title])).toHaveLength(3);

    const circleShared = [...vals(CIRCLE), noteUpdate];
    const forbidden: [Witness, string[]][] = [
      [p1, [...vals(P2), ...vals(STAFF), ...vals(FNOTE)]],
      [p2, [...vals(P1), ...vals(STAFF), ...vals(FNOTE)]],
      [p3, [...vals(P1), ...vals(P2), ...vals(STAFF), ...vals(FNOTE), ...circleShared, title]],
      [ofac, [...vals(P1), ...vals(P2), ...vals(STAFF), ...vals(FNOTE), ...circleShared, title]],
      [op1, [...vals(P1), ...vals(P2), ...vals(STAFF), ...vals(FNOTE), ...circleShared, title]],
      [xadmin, [...vals(P1), ...vals(P2), ...vals(STAFF), ...vals(FNOTE), ...circleShared, title]],
      // [CIR5] journals are their owner's alone; [CIR6] facilitator notes are for the cohort's facilitators only.
      [fac1, [P1.journal, P2.journal]],
      [admin, [P1.journal, P2.journal, ...vals(FNOTE)]],
    ];
    for (const w of [p1, p2, p3, op1, ofac, xadmin])
      expect(`${w.key} ${w.socket.received.filter((m) => m.name === "alert:notice").length}`).toBe(`${w.key} 0`);
    for (const [w, secrets] of forbidden)
      expect(`${w.key}: ${leaked(w.seen(), secrets).join(", ")}`).toBe(`${w.key}: `);
  });
});

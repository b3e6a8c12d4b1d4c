import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName } from "../../shared/log.js";
import type { CircleJoined } from "../../shared/protocol/circle.js";
import { otherCohort } from "../support/fixtures.js";
import { useClockedNode } from "../support/pool.js";
import { Http } from "./admin-support.js";
import { NotesPeer } from "./circle-support.js";
import { codeOf, sid, squatting, update } from "./id-squatting-support.js";

/**
 * Issue 8, finding 3 ("Ids nobody can squat") for a room: arrivals and departures, the notes'
 * seal, the cohort's list and derived session and circle ids. The rule every id-squatting file
 * checks is in id-squatting-support.ts.
 */

describe("ids nobody can squat: rooms, notes and lists (one node, Redis, moved clock)", () => {
  const t = useClockedNode("redis");
  const { pool, tag, sessionId, cohortId, logOf, head, session, idOf, join, squat, squatHttp, serverIdsOnly } =
    squatting(t);

  it("[PR5] [LIVE3] [LOG2] a participant sending arrived:/left:<user>:at:<seq> first cannot keep a person's arrival or departure out of the log", async () => {
    await join("fac1");
    const p1 = await pool.connect("p1");
    const [p2Id, fac2Id] = [await idOf("p2"), await idOf("fac2")];
    const squatNext = async (way: "arrived" | "left", userId: string): Promise<string> => {
      // The transition will be decided on the state right after this squat lands.
      const at = (await head()) + 1;
      const landed = await squat(
        p1,
        "checkin:send",
        [`${way}:${userId}:at:${at}`, sid(way, userId, "at", at)],
        (id) => ({ id, sessionId: sessionId(), status: "ok" }),
      );
      expect(landed).toHaveLength(1);
      return sid(way, userId, "at", at);
    };
    const transitions = async (userId: string) =>
      (await logOf())
        .filter((e) => e.data.userId === userId && /\.(arrived|left)$/.test(e.type))
        .map((e) => `${e.type} ${e.id}`);

    const p2Arrives = await squatNext("arrived", p2Id);
    const p2 = await join("p2");
    expect(await transitions(p2Id)).toEqual([`participant.arrived ${p2Arrives}`]);
    expect((await session()).inRoom).toContain(p2Id);

    const p2Leaves = await squatNext("left", p2Id);
    await p2.ok("session:leave", { sessionId: sessionId() });
    expect(await transitions(p2Id)).toEqual([`participant.arrived ${p2Arrives}`, `participant.left ${p2Leaves}`]);
    expect((await session()).inRoom).not.toContain(p2Id);

    // A facilitator's arrival counts for the ratio [LIVE3]: it must be logged too.
    const fac2Arrives = await squatNext("arrived", fac2Id);
    await join("fac2");
    expect(await transitions(fac2Id)).toEqual([`facilitator.arrived ${fac2Arrives}`]);
    expect((await session()).live.facilitatorsInRoom).toContain(fac2Id);
    await serverIdsOnly();
  });

  it("[CIR4] [LOG2] a participant's notes:update with id notes-seal locks nothing: everyone keeps editing, and the real lock still seals the notes with $notes-seal", async () => {
    const fac = await pool.connect("fac1");
    const { circleId } = await fac.ok<{ circleId: string }>("circle:start", {
      id: randomUUID(),
      cohortId: cohortId(),
      title: "Week 1 circle",
    });
    await fac.ok("circle:join", { circleId });
    const member = async (key: string) => {
      const c = await pool.connect(key);
      await c.ok("circle:agree", { id: randomUUID(), circleId });
      const joined = await c.ok<CircleJoined>("circle:join", { circleId });
      expect(joined.needsAgreement).toBe(false);
      return c;
    };
    const [p1, p2] = [await member("p1"), await member("p2")];
    const notes = () => streamName("notes", circleId);
    const landed = await squat(
      p1,
      "notes:update",
      ["notes-seal", sid("notes-seal")],
      (id) => ({ id, circleId, update: update("ZZP1 ") }),
      notes,
    );
    expect(landed).toEqual(["notes-seal"]);
    // Another member edits after it, and so does its sender.
    await p2.ok("notes:update", { id: randomUUID(), circleId, update: update("ZZP2 ") });
    await p1.ok("notes:update", { id: randomUUID(), circleId, update: update("ZZP1AGAIN ") });
    const reader = new NotesPeer(await member("p3"), circleId);
    await reader.sync();
    expect(reader.sealedAt).toBeNull();
    for (const text of ["ZZP1 ", "ZZP2 ", "ZZP1AGAIN "]) expect(reader.text.toJSON()).toContain(text);

    await fac.ok("circle:lock", { id: randomUUID(), circleId });
    const sealed = (await logOf(notes())).filter((e) => e.type === "notes.sealed");
    expect(sealed.map((e) => e.id)).toEqual([sid("notes-seal")]);
    expect(codeOf(await p2.send("notes:update", { id: randomUUID(), circleId, update: update("LATE") }))).toBe(
      "RULE_VIOLATION",
    );
    const after = new NotesPeer(await member("p3"), circleId);
    await after.sync();
    expect(after.sealedAt).toBe(sealed[0]?.seq);
    expect(after.text.toJSON()).not.toContain("LATE");
    for (const text of ["ZZP1 ", "ZZP2 ", "ZZP1AGAIN "]) expect(after.text.toJSON()).toContain(text);
    reader.destroy();
    after.destroy();
  });

  it("[LOG2] [AC2] a participant sending listed:s_<id> / circle-listed:c_<id> first cannot keep a new session or circle off the cohort's list", async () => {
    const fac = await pool.connect("fac1");
    const p1Http = await Http.as(t.node.url, tag(), "p1");
    const [openId, circleCmd] = [randomUUID(), randomUUID()];
    const [sessionOf, circleOf] = [`s_${openId}`, `c_${circleCmd}`];
    const cohortStream = streamName("cohort", cohortId());
    const before = await head(cohortStream);
    const ids = [
      `listed:${sessionOf}`,
      `circle-listed:${circleOf}`,
      sid("listed", sessionOf),
      sid("circle-listed", circleOf),
    ];
    const landed = await squatHttp(p1Http, `/api/cohorts/${cohortId()}/consent`, ids, { agreed: true }, 200);
    expect(await head(cohortStream)).toBe(before + landed.length);

    const opened = await fac.ok<{ sessionId: string }>("session:open", {
      id: openId,
      cohortId: cohortId(),
      title: "Second dosing day",
    });
    expect(opened.sessionId).toBe(sessionOf);
    // A circle linked to the new session: only a session on the cohort's list can be linked.
    const started = await fac.send<{ circleId: string }>("circle:start", {
      id: circleCmd,
      cohortId: cohortId(),
      title: "Its circle",
      sessionId: sessionOf,
    });
    expect(started.ok ? started.data.circleId : `${codeOf(started)} ${started.error.message}`).toBe(circleOf);

    const cohort = await t.node.app.services.streams.state("cohort", cohortId());
    expect(cohort.sessions.map((x) => x.id)).toContain(sessionOf);
    expect(cohort.circles.map((x) => x.id)).toContain(circleOf);
    const events = await logOf(cohortStream);
    expect(events.filter((e) => e.id === sid("listed", sessionOf)).map((e) => e.type)).toEqual(["session.opened"]);
    expect(events.filter((e) => e.id === sid("circle-listed", circleOf)).map((e) => e.type)).toEqual(["circle.listed"]);
    for (const id of landed)
      expect(
        events.filter((e) => e.id === id).map((e) => e.type),
        id,
      ).toEqual(["consent.recorded"]);
    // The participant's home screen lists both.
    const me = JSON.stringify((await p1Http.get("/api/me")).json);
    expect(me).toContain(sessionOf);
    expect(me).toContain(circleOf);
  });

  it("[AC4] [LOG2] a facilitator of another cohort opening a session or starting a circle with an id fac1 used gets DUPLICATE_ID and reaches nothing of fac1's", async () => {
    const fac1 = await pool.connect("fac1");
    const ofac = await pool.connect("ofac", otherCohort);
    const p1 = await pool.connect("p1");
    const other = `other-${tag()}`;
    const [openId, circleCmd] = [randomUUID(), randomUUID()];
    const opened = await fac1.ok<{ sessionId: string; seq: number }>("session:open", {
      id: openId,
      cohortId: cohortId(),
      title: "ZZFAC1 session",
    });
    const { circleId } = await fac1.ok<{ circleId: string }>("circle:start", {
      id: circleCmd,
      cohortId: cohortId(),
      title: "ZZFAC1 circle",
    });
    const otherBefore = await head(streamName("cohort", other));

    expect(codeOf(await ofac.send("session:open", { id: openId, cohortId: other, title: "Mine" }))).toBe(
      "DUPLICATE_ID",
    );
    expect(codeOf(await ofac.send("circle:start", { id: circleCmd, cohortId: other, title: "Mine" }))).toBe(
      "DUPLICATE_ID",
    );
    // A participant of fac1's own cohort reusing the id is not fac1 either.
    expect(codeOf(await p1.send("session:open", { id: openId, cohortId: cohortId(), title: "Mine" }))).toBe(
      "DUPLICATE_ID",
    );
    expect(await head(streamName("cohort", other))).toBe(otherBefore);
    // A look-alike command id derives other ids (one-to-one): the other facilitator's own session and circle.
    const ownSession = await ofac.ok<{ sessionId: string }>("session:open", {
      id: `${openId}.`,
      cohortId: other,
      title: "Mine",
    });
    const ownCircle = await ofac.ok<{ circleId: string }>("circle:start", {
      id: `${circleCmd}.`,
      cohortId: other,
      title: "Mine",
    });
    expect(ownSession.sessionId).not.toBe(opened.sessionId);
    expect(ownCircle.circleId).not.toBe(circleId);
    const otherCohortState = await t.node.app.services.streams.state("cohort", other);
    expect(otherCohortState.sessions.map((x) => x.id)).not.toContain(opened.sessionId);
    expect(otherCohortState.circles.map((x) => x.id)).not.toContain(circleId);
    expect(await t.node.app.services.streams.state("session", opened.sessionId)).toMatchObject({
      cohortId: cohortId(),
      title: "ZZFAC1 session",
      openedBy: await idOf("fac1"),
    });
    expect(await t.node.app.services.streams.state("circle", circleId)).toMatchObject({ cohortId: cohortId() });

    expect(codeOf(await ofac.send("session:join", { sessionId: opened.sessionId, since: null }))).toBe("NOT_FOUND");
    expect(codeOf(await ofac.send("circle:join", { circleId }))).toBe("NOT_FOUND");
    expect(JSON.stringify(ofac.received)).not.toContain("ZZFAC1");
    // [LOG2] fac1's own retry still gets its first answer.
    expect(
      await fac1.ok<{ sessionId: string; seq: number }>("session:open", {
        id: openId,
        cohortId: cohortId(),
        title: "ZZFAC1 session",
      }),
    ).toEqual(opened);
  });
});

import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { seedProgram, type PersonSpec } from "../../server/demo/seed.js";
import { visibleAlerts, type Alert } from "../../shared/domain/alerts.js";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { CircleJoined } from "../../shared/protocol/circle.js";
import type { Ack } from "../../shared/protocol/errors.js";
import type { AlertNotice } from "../../shared/protocol/live.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort, otherCohort } from "../support/fixtures.js";
import { useClockedNode } from "../support/pool.js";
import { Http, enrol, errorOf } from "./admin-support.js";
import { NotesPeer } from "./circle-support.js";
import { foreignProgram } from "./privacy-support.js";

/**
 * Issue 8, finding 3 ("Ids nobody can squat"): a client that sends, first, a command whose id is
 * one the server would derive for a safety event changes nothing about that event. For every
 * derived-id form a client can reach, the `$` spelling (the server's own, `serverId`) is refused
 * as input, and the old spelling without `$` lands only as the sender's own harmless event; then
 * the real event still happens, under its `$…` id. Derived stream ids (`s_`, `c_`, `co_`, `pg_`,
 * `inv_`, `finv_`) are protected by the batch owner: someone else's command id is DUPLICATE_ID.
 */

/** A server-made id as `serverId` spells it: `$` + parts joined by `:` (shared/log.ts). */
const sid = (...parts: (string | number)[]): string => `$${parts.join(":")}`;
const codeOf = (r: Ack<unknown>): string => (r.ok ? "ok" : r.error.code);
const fullEvents = (c: TestClient, type: string): StoredEvent[] => c.events.map((m) => m.event).filter((e): e is StoredEvent => "type" in e && e.type === type);
const isNotice = (x: unknown): x is AlertNotice => typeof x === "object" && x !== null && "alertId" in x && "tier" in x && "kind" in x;
const notices = (c: TestClient): AlertNotice[] => c.received.filter((r) => r.name === "alert:notice").map((r) => r.payload).filter(isNotice);
const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const update = (text: string): string => {
  const d = new Y.Doc();
  d.getText("notes").insert(0, text);
  const u = b64(Y.encodeStateAsUpdate(d));
  d.destroy();
  return u;
};

describe("ids nobody can squat (one node, Redis, moved clock)", () => {
  const t = useClockedNode("redis");
  const pool = t.pool;

  const tag = () => t.node.tag;
  const sessionId = () => `live-${tag()}`;
  const cohortId = () => `cohort-${tag()}`;
  const stream = () => streamName("session", sessionId());
  const logOf = async (s = stream()): Promise<StoredEvent[]> => (await t.node.stores.log.read(s, 0, 1000)).events;
  const head = async (s = stream()): Promise<number> => (await t.node.stores.log.head(s)).seq;
  const session = () => t.node.app.services.streams.state("session", sessionId());
  const idOf = async (key: string, cohort = mainCohort): Promise<string> => {
    const u = await t.node.app.services.users.byEmail(cohort(tag()).people.find((p) => p.key === key)?.email ?? "");
    if (!u) throw new Error(`no user ${key}`);
    return u.id;
  };
  const join = async (key: string, cohort = mainCohort, sessionOf = sessionId): Promise<TestClient> => {
    const c = await pool.connect(key, cohort);
    await c.ok("session:join", { sessionId: sessionOf(), since: null });
    return c;
  };
  const tick = () => t.node.app.tick();
  const ofType = async (type: string, s = stream()): Promise<StoredEvent[]> => (await logOf(s)).filter((e) => e.type === type);
  const supportAlertOf = async (participantId: string): Promise<Alert> => {
    const a = Object.values((await session()).live.alerts).find((x) => x.kind === "support" && x.participantId === participantId);
    if (!a) throw new Error(`no support alert for ${participantId}`);
    return a;
  };

  /**
   * Send `name` once per id, first: an id with `$` in it is refused as input (INVALID_PAYLOAD) and
   * writes nothing; any other id lands as the sender's own event. Returns the ids that landed.
   */
  async function squat(c: TestClient, name: string, ids: readonly string[], payload: (id: string) => Record<string, unknown>, streamOf = stream): Promise<string[]> {
    const landed: string[] = [];
    for (const id of ids) {
      const before = await head(streamOf());
      const r = await c.send(name, payload(id));
      if (id.includes("$")) {
        expect(`${name} ${id}: ${codeOf(r)}`).toBe(`${name} ${id}: INVALID_PAYLOAD`);
        expect(await head(streamOf())).toBe(before);
      } else {
        expect(`${name} ${id}: ${codeOf(r)}`).toBe(`${name} ${id}: ok`);
        landed.push(id);
      }
    }
    return landed;
  }

  /** The same over HTTP: `$` ids are a 400 INVALID_PAYLOAD; the others succeed with `okStatus`. */
  async function squatHttp(who: Http, path: string, ids: readonly string[], body: Record<string, unknown>, okStatus: number): Promise<string[]> {
    const landed: string[] = [];
    for (const id of ids) {
      const r = await who.call("POST", path, { ...body, id });
      const want = id.includes("$") ? "400 INVALID_PAYLOAD" : `${okStatus} `;
      expect(`${path} ${id}: ${r.status} ${errorOf(r).code}`).toBe(`${path} ${id}: ${want}`);
      if (!id.includes("$")) landed.push(id);
    }
    return landed;
  }

  /** Each landed squat is only its sender's own check-in: no alert, no escalation, nothing of the server's. */
  async function ownCheckins(ids: readonly string[], actor: string): Promise<void> {
    const events = await logOf();
    for (const id of ids) {
      const e = events.filter((x) => x.id === id);
      expect(e.map((x) => `${x.type} by ${x.actor} alert=${String(x.data.alert ?? null)}`), id).toEqual([`checkin.recorded by ${actor} alert=null`]);
    }
  }

  /** Every server-decided alert event in the log carries a `$` id. */
  async function serverIdsOnly(): Promise<void> {
    const jobs = (await logOf()).filter((e) => ["alert.escalated", "alert.reminded", "alert.acknowledged", "alert.resolved", "checkin.prompted", "participant.arrived", "participant.left", "facilitator.arrived", "facilitator.left"].includes(e.type));
    expect(jobs.filter((e) => !e.id.startsWith("$")).map((e) => `${e.type} ${e.id}`)).toEqual([]);
  }

  it("[LIVE6] [LOG2] a participant sending escalate:<alertId>:1 first stops no escalation: both alerts in the room escalate at 15 s and 60 s, and can still be acknowledged and the session closed", async () => {
    const fac = await join("fac1");
    const admin = await pool.connect("admin");
    const p1 = await join("p1");
    const p2 = await join("p2");
    const [fac1Id, p1Id, p2Id] = [await idOf("fac1"), await idOf("p1"), await idOf("p2")];
    // The victim's alert (the button) and another participant's, raised by a need_support check-in.
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() })).alertId;
    await p2.ok("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "need_support" });
    const a2 = (await supportAlertOf(p2Id)).id;

    const ids = [`escalate:${a1}:1`, `escalate:${a1}:2`, `escalate:${a2}:1`, sid("escalate", a1, 1), sid("escalate", a1, 2), sid("escalate", a2, 1)];
    const landed = await squat(p1, "checkin:send", ids, (id) => ({ id, sessionId: sessionId(), status: "ok" }));
    await ownCheckins(landed, p1Id);

    t.clock.advance(14_000);
    await tick();
    expect(await ofType("alert.escalated")).toEqual([]);
    t.clock.advance(1_000);
    await tick();
    expect((await ofType("alert.escalated")).map((e) => e.id)).toEqual([sid("escalate", a1, 1), sid("escalate", a2, 1)]);
    await admin.until(() => [a1, a2].every((a) => notices(admin).some((n) => n.alertId === a && n.tier === 1)), 5000, "tier-1 notices of both alerts to the admin");
    await fac.until(() => [a1, a2].every((a) => notices(fac).some((n) => n.alertId === a && n.tier === 1)), 5000, "tier-1 notices of both alerts to the facilitator");

    t.clock.advance(45_000);
    await tick();
    expect((await ofType("alert.escalated")).map((e) => e.id)).toEqual([sid("escalate", a1, 1), sid("escalate", a2, 1), sid("escalate", a1, 2), sid("escalate", a2, 2)]);
    await admin.until(() => [a1, a2].every((a) => notices(admin).some((n) => n.alertId === a && n.tier === 2)), 5000, "tier-2 notices of both alerts");

    for (const alertId of [a1, a2]) expect((await fac.ok<{ by: string }>("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId })).by).toBe(fac1Id);
    const closed = await fac.send<{ closedBy: string }>("session:close", { id: randomUUID(), sessionId: sessionId() });
    expect(closed.ok ? closed.data.closedBy : codeOf(closed)).toBe(fac1Id);
    await ownCheckins(landed, p1Id);
    await serverIdsOnly();
  });

  it("[LIVE6] [LOG2] a participant sending remind:<alertId>:<n> first stops no reminder: past 60 s both alerts remind every minute", async () => {
    const admin = await pool.connect("admin");
    const p1 = await join("p1");
    const p2 = await join("p2");
    const [p1Id, p2Id] = [await idOf("p1"), await idOf("p2")];
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() })).alertId;
    await p2.ok("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "need_support" });
    const a2 = (await supportAlertOf(p2Id)).id;
    const ids = [`remind:${a1}:1`, `remind:${a1}:2`, `remind:${a2}:1`, sid("remind", a1, 1), sid("remind", a2, 1)];
    const landed = await squat(p1, "checkin:send", ids, (id) => ({ id, sessionId: sessionId(), status: "ok" }));

    t.clock.advance(60_000);
    await tick();
    expect((await ofType("alert.escalated")).map((e) => e.data.tier)).toEqual([1, 2, 1, 2]);
    for (const minute of [1, 2]) {
      t.clock.advance(60_000);
      await tick();
      await admin.until(() => [a1, a2].every((a) => notices(admin).some((n) => n.alertId === a && n.reminder === minute)), 5000, `reminder ${minute} of both alerts`);
    }
    expect((await ofType("alert.reminded")).map((e) => e.id)).toEqual([sid("remind", a1, 1), sid("remind", a2, 1), sid("remind", a1, 2), sid("remind", a2, 2)]);
    await ownCheckins(landed, p1Id);
    await serverIdsOnly();
  });

  it("[LIVE6] [LIVE8] [LOG2] a participant sending ack:<alertId> (or the alert's own id) first cannot stop an acknowledgement: the button's, a need_support check-in's and a vitals alert are acknowledged and the session closes", async () => {
    const fac = await join("fac1");
    const p1 = await join("p1");
    const p2 = await join("p2");
    const [fac1Id, p1Id, p2Id, p3Id] = [await idOf("fac1"), await idOf("p1"), await idOf("p2"), await idOf("p3")];
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() })).alertId;
    await p2.ok("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "need_support" });
    const a2 = (await supportAlertOf(p2Id)).id;
    const vitals = await fac.ok<{ alert: boolean }>("vitals:record", { id: randomUUID(), sessionId: sessionId(), participantId: p3Id, systolic: 186, diastolic: 100, heartRate: 90 });
    expect(vitals.alert).toBe(true);
    const a3 = Object.values((await session()).live.alerts).find((a) => a.kind === "vitals")?.id ?? "";
    expect(a3).not.toBe("");

    const landed = await squat(p1, "checkin:send", [`ack:${a1}`, `ack:${a2}`, `ack:${a3}`, sid("ack", a1), sid("ack", a2), sid("ack", a3)], (id) => ({ id, sessionId: sessionId(), status: "ok" }));
    await ownCheckins(landed, p1Id);
    // The alert's own id is the raising event's: reused by another person, or by its sender for another command, it is not a retry.
    const before = await head();
    const reuses: [TestClient, string][] = [[p2, a1], [p1, a1], [p1, a2]];
    for (const [c, id] of reuses) expect(`${id}: ${codeOf(await c.send("checkin:send", { id, sessionId: sessionId(), status: "ok" }))}`).toBe(`${id}: DUPLICATE_ID`);
    expect(await head()).toBe(before);

    for (const alertId of [a1, a2, a3]) {
      const ack = await fac.send<{ by: string; alertId: string }>("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId });
      expect(ack.ok ? `${ack.data.alertId} by ${ack.data.by}` : `${alertId}: ${codeOf(ack)} ${ack.error.message}`).toBe(`${alertId} by ${fac1Id}`);
    }
    expect((await ofType("alert.acknowledged")).map((e) => `${e.id} ${String(e.data.alertId)}`)).toEqual([a1, a2, a3].map((a) => `${sid("ack", a)} ${a}`));
    // The participant learns their request was answered.
    await p1.until(() => fullEvents(p1, "alert.acknowledged").some((e) => e.data.alertId === a1), 5000, "p1 told who is coming");
    const closed = await fac.send<{ closedBy: string }>("session:close", { id: randomUUID(), sessionId: sessionId() });
    expect(closed.ok ? closed.data.closedBy : `${codeOf(closed)} ${closed.error.message}`).toBe(fac1Id);
    await serverIdsOnly();
  });

  /** fac1 in the room, p1–p3 admitted: the ratio holds until a 40 mg dose (1 facilitator per 2). */
  async function roomOfThree(): Promise<{ fac: TestClient; admin: TestClient; pIds: string[] }> {
    const fac = await join("fac1");
    const admin = await pool.connect("admin");
    const pIds = [await idOf("p1"), await idOf("p2"), await idOf("p3")];
    for (const participantId of pIds) await fac.ok("participant:admit", { id: randomUUID(), sessionId: sessionId(), participantId });
    return { fac, admin, pIds };
  }

  it("[LIVE3] [LOG2] a participant sending ratio-<seq> and ratio:<n> ids first stops no ratio alert: it is raised as $ratio:1 when the ratio breaks, and every facilitator and the admin hear it", async () => {
    const { fac, admin, pIds } = await roomOfThree();
    const p1 = await pool.connect("p1");
    const h = await head();
    // Eight check-ins land at h+1..h+8; the dose that breaks the ratio lands at h+9. The ids
    // cover every seq the ratio could be decided on next (the old `ratio-<seq>`) and the
    // numbered form without `$`.
    const ids = ["ratio:1", "ratio:2", ...[0, 1, 2, 3, 4, 5].map((j) => `ratio-${h + 9 + j}`), sid("ratio", 1), sid("ratio", 2)];
    const landed = await squat(p1, "checkin:send", ids, (id) => ({ id, sessionId: sessionId(), status: "ok" }));
    expect(landed).toHaveLength(8);
    const dose = await fac.ok<{ seq: number }>("dose:record", { id: randomUUID(), sessionId: sessionId(), participantId: pIds[0], mg: 40, kind: "primary" });
    expect(dose.seq).toBe(h + 9);

    await tick();
    await fac.until(() => fullEvents(fac, "alert.raised").some((e) => e.data.kind === "ratio"), 5000, "the ratio alert on the facilitator's screen");
    await admin.until(() => notices(admin).some((n) => n.kind === "ratio"), 5000, "the ratio alert to the admin");
    const raised = (await ofType("alert.raised")).filter((e) => e.data.kind === "ratio");
    expect(raised.map((e) => e.id)).toEqual([sid("ratio", 1)]);
    expect(visibleAlerts((await session()).live.alerts).map((a) => a.id)).toEqual([sid("ratio", 1)]);
    await ownCheckins(landed, pIds[0] ?? "");
  });

  it("[LIVE3] [LOG2] a participant sending resolve:<alertId> first cannot keep a restored ratio's alert up: it is resolved as $resolve:<alertId>", async () => {
    const { fac, pIds } = await roomOfThree();
    const p1 = await pool.connect("p1");
    await fac.ok("dose:record", { id: randomUUID(), sessionId: sessionId(), participantId: pIds[0], mg: 40, kind: "primary" });
    await tick();
    const alertId = visibleAlerts((await session()).live.alerts).find((a) => a.kind === "ratio")?.id ?? "";
    expect(alertId).not.toBe("");
    // `resolve:<alertId>` itself (a `$` inside now), the server's spelling, and the form with every `$` dropped.
    const landed = await squat(p1, "checkin:send", [`resolve:${alertId}`, sid("resolve", alertId), `resolve:${alertId.replace(/\$/g, "")}`], (id) => ({ id, sessionId: sessionId(), status: "ok" }));
    expect(landed.length).toBeGreaterThan(0);

    // fac2 comes in: 2 facilitators for 3 participants at 40 mg, the ratio holds again.
    await join("fac2");
    await tick();
    await fac.until(() => fullEvents(fac, "alert.resolved").some((e) => e.data.alertId === alertId), 5000, "the ratio alert resolved on the facilitator's screen");
    expect((await ofType("alert.resolved")).map((e) => `${e.id} ${String(e.data.alertId)}`)).toEqual([`${sid("resolve", alertId)} ${alertId}`]);
    expect(visibleAlerts((await session()).live.alerts)).toEqual([]);
    await ownCheckins(landed, pIds[0] ?? "");
  });

  it("[LIVE4] [LOG2] a participant sending break-<seq> / break:<seq> first stops no break alert: a break past 5 minutes raises $break:<seq>, and its end resolves it as $resolve:$break:<seq>", async () => {
    const fac1 = await join("fac1");
    const fac2 = await join("fac2");
    const p1 = await pool.connect("p1");
    const [fac1Id, p1Id] = [await idOf("fac1"), await idOf("p1")];
    const started = await fac1.ok<{ seq: number; onBreak: boolean }>("break:set", { id: randomUUID(), sessionId: sessionId(), onBreak: true });
    expect(started.onBreak).toBe(true);
    const b = started.seq;
    const breakId = sid("break", b);
    const ids = [`break-${b}`, `break:${b}`, `resolve:break-${b}`, `resolve:break:${b}`, breakId, sid("resolve", breakId)];
    const landed = await squat(p1, "checkin:send", ids, (id) => ({ id, sessionId: sessionId(), status: "ok" }));

    t.clock.advance(5 * 60_000 + 1000);
    await tick();
    await fac2.until(() => fullEvents(fac2, "alert.raised").some((e) => e.data.kind === "break" && e.data.subjectId === fac1Id), 5000, "the break alert on the other facilitator's screen");
    expect((await ofType("alert.raised")).filter((e) => e.data.kind === "break").map((e) => e.id)).toEqual([breakId]);
    await fac1.ok("break:set", { id: randomUUID(), sessionId: sessionId(), onBreak: false });
    expect((await ofType("alert.resolved")).map((e) => `${e.id} ${String(e.data.alertId)}`)).toEqual([`${sid("resolve", breakId)} ${breakId}`]);
    expect(visibleAlerts((await session()).live.alerts)).toEqual([]);
    await ownCheckins(landed, p1Id);
  });

  it("[LIVE7] [LOG2] a participant sending prompt:1 first stops no check-in prompt: each round lands at its 30-minute interval as $prompt:<round> and reaches every participant", async () => {
    const p1 = await join("p1");
    const p2 = await join("p2");
    const landed = await squat(p1, "checkin:send", ["prompt:1", "prompt:2", sid("prompt", 1), sid("prompt", 2)], (id) => ({ id, sessionId: sessionId(), status: "ok" }));
    t.clock.advance(30 * 60_000 - 1000);
    await tick();
    expect(await ofType("checkin.prompted")).toEqual([]);
    t.clock.advance(1000);
    await tick();
    for (const c of [p1, p2]) await c.until(() => fullEvents(c, "checkin.prompted").length === 1, 5000, "round 1");
    t.clock.advance(30 * 60_000);
    await tick();
    for (const c of [p1, p2]) await c.until(() => fullEvents(c, "checkin.prompted").length === 2, 5000, "round 2");
    expect((await ofType("checkin.prompted")).map((e) => `${e.id} ${String(e.data.round)}`)).toEqual([`${sid("prompt", 1)} 1`, `${sid("prompt", 2)} 2`]);
    await ownCheckins(landed, await idOf("p1"));
  });

  it("[PR5] [LIVE3] [LOG2] a participant sending arrived:/left:<user>:at:<seq> first cannot keep a person's arrival or departure out of the log", async () => {
    await join("fac1");
    const p1 = await pool.connect("p1");
    const [p2Id, fac2Id] = [await idOf("p2"), await idOf("fac2")];
    const squatNext = async (way: "arrived" | "left", userId: string): Promise<string> => {
      // The transition will be decided on the state right after this squat lands.
      const at = (await head()) + 1;
      const landed = await squat(p1, "checkin:send", [`${way}:${userId}:at:${at}`, sid(way, userId, "at", at)], (id) => ({ id, sessionId: sessionId(), status: "ok" }));
      expect(landed).toHaveLength(1);
      return sid(way, userId, "at", at);
    };
    const transitions = async (userId: string) => (await logOf()).filter((e) => e.data.userId === userId && /\.(arrived|left)$/.test(e.type)).map((e) => `${e.type} ${e.id}`);

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
    const { circleId } = await fac.ok<{ circleId: string }>("circle:start", { id: randomUUID(), cohortId: cohortId(), title: "Week 1 circle" });
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
    const landed = await squat(p1, "notes:update", ["notes-seal", sid("notes-seal")], (id) => ({ id, circleId, update: update("ZZP1 ") }), notes);
    expect(landed).toEqual(["notes-seal"]);
    // Another member edits after it, and so does its sender.
    await p2.ok("notes:update", { id: randomUUID(), circleId, update: update("ZZP2 ") });
    await p1.ok("notes:update", { id: randomUUID(), circleId, update: update("ZZP1AGAIN ") });
    const reader = new NotesPeer(await member("p3"), circleId);
    await reader.sync();
    expect(reader.sealedAt).toBeNull();
    for (const text of ["ZZP1 ", "ZZP2 ", "ZZP1AGAIN "]) expect(reader.text.toString()).toContain(text);

    await fac.ok("circle:lock", { id: randomUUID(), circleId });
    const sealed = (await logOf(notes())).filter((e) => e.type === "notes.sealed");
    expect(sealed.map((e) => e.id)).toEqual([sid("notes-seal")]);
    expect(codeOf(await p2.send("notes:update", { id: randomUUID(), circleId, update: update("LATE") }))).toBe("RULE_VIOLATION");
    const after = new NotesPeer(await member("p3"), circleId);
    await after.sync();
    expect(after.sealedAt).toBe(sealed[0]?.seq);
    expect(after.text.toString()).not.toContain("LATE");
    for (const text of ["ZZP1 ", "ZZP2 ", "ZZP1AGAIN "]) expect(after.text.toString()).toContain(text);
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
    const ids = [`listed:${sessionOf}`, `circle-listed:${circleOf}`, sid("listed", sessionOf), sid("circle-listed", circleOf)];
    const landed = await squatHttp(p1Http, `/api/cohorts/${cohortId()}/consent`, ids, { agreed: true }, 200);
    expect(await head(cohortStream)).toBe(before + landed.length);

    const opened = await fac.ok<{ sessionId: string }>("session:open", { id: openId, cohortId: cohortId(), title: "Second dosing day" });
    expect(opened.sessionId).toBe(sessionOf);
    // A circle linked to the new session: only a session on the cohort's list can be linked.
    const started = await fac.send<{ circleId: string }>("circle:start", { id: circleCmd, cohortId: cohortId(), title: "Its circle", sessionId: sessionOf });
    expect(started.ok ? started.data.circleId : `${codeOf(started)} ${started.error.message}`).toBe(circleOf);

    const cohort = await t.node.app.services.streams.state("cohort", cohortId());
    expect(cohort.sessions.map((x) => x.id)).toContain(sessionOf);
    expect(cohort.circles.map((x) => x.id)).toContain(circleOf);
    const events = await logOf(cohortStream);
    expect(events.filter((e) => e.id === sid("listed", sessionOf)).map((e) => e.type)).toEqual(["session.opened"]);
    expect(events.filter((e) => e.id === sid("circle-listed", circleOf)).map((e) => e.type)).toEqual(["circle.listed"]);
    for (const id of landed) expect(events.filter((e) => e.id === id).map((e) => e.type), id).toEqual(["consent.recorded"]);
    // The participant's home screen lists both.
    const me = JSON.stringify((await p1Http.get("/api/me")).json);
    expect(me).toContain(sessionOf);
    expect(me).toContain(circleOf);
  });

  /** A second admin of the seeded program (another person with the same authority). */
  async function secondAdmin(): Promise<Http> {
    const { liveSession: _none, ...rest } = mainCohort(tag());
    const person: PersonSpec = { key: "admin2", role: "admin", name: `admin2 ${tag()}`, email: `admin2.${tag()}@example.test` };
    await seedProgram(t.node.app.services, { ...rest, cohortId: `cohort2-${tag()}`, cohortName: "Second cohort", people: [person] });
    return new Http(t.node.url, await signIn(t.node.url, person.email, TEST_PASSWORD));
  }

  it("[LOG2] [AC1] [AC2] invite ids: enrol:inv_<id> / assign:finv_<id> from a participant and joined:finv_<id> from another admin, sent first, change nothing; the invite's command id from someone else is DUPLICATE_ID", async () => {
    const admin = await Http.as(t.node.url, tag(), "admin");
    const admin2 = await secondAdmin();
    const p1Http = await Http.as(t.node.url, tag(), "p1");
    const programId = `prog-${tag()}`;
    const [inviteCmd, facInviteCmd] = [randomUUID(), randomUUID()];
    const [inviteId, facInviteId] = [`inv_${inviteCmd}`, `finv_${facInviteCmd}`];
    const invite = await admin.post(`/api/admin/cohorts/${cohortId()}/invites`, { id: inviteCmd, ttlHours: 24 });
    expect(invite.status).toBe(201);
    const facInvite = await admin.post(`/api/admin/programs/${programId}/facilitator-invites`, { id: facInviteCmd, cohortId: cohortId(), ttlHours: 24 });
    expect(facInvite.status).toBe(201);

    const squatted = await squatHttp(p1Http, `/api/cohorts/${cohortId()}/consent`, [`enrol:${inviteId}`, `assign:${facInviteId}`, sid("enrol", inviteId), sid("assign", facInviteId)], { agreed: true }, 200);
    const squattedByAdmin = await squatHttp(admin2, `/api/admin/programs/${programId}/facilitator-invites`, [`joined:${facInviteId}`, sid("joined", facInviteId)], { ttlHours: 24 }, 201);
    // The invite's own command id, from someone else (another command, or the same command by another admin).
    const cohortStream = streamName("cohort", cohortId());
    const before = await head(cohortStream);
    const reused = await p1Http.post(`/api/cohorts/${cohortId()}/consent`, { id: inviteCmd, agreed: true });
    expect(`${reused.status} ${errorOf(reused).code}`).toBe("409 DUPLICATE_ID");
    const again = await admin2.post(`/api/admin/cohorts/${cohortId()}/invites`, { id: inviteCmd, ttlHours: 24 });
    expect(`${again.status} ${errorOf(again).code}`).toBe("409 DUPLICATE_ID");
    expect(again.json.token).toBeUndefined();
    expect(await head(cohortStream)).toBe(before);

    // The new participant is enrolled by the link.
    const email = `joiner.${tag()}@example.test`;
    expect((await enrol(t.node.url, String(invite.json.token), "Joiner", email)).status).toBe(201);
    const joiner = await t.node.app.services.users.byEmail(email);
    const cohort = await t.node.app.services.streams.state("cohort", cohortId());
    expect(cohort.participants).toContain(joiner?.id);
    const cohortEvents = await logOf(cohortStream);
    expect(cohortEvents.filter((e) => e.id === sid("enrol", inviteId)).map((e) => `${e.type} ${String(e.data.userId)}`)).toEqual([`participant.enrolled ${joiner?.id}`]);

    // The new facilitator joins the program and is assigned to the cohort the link named.
    const facEmail = `newfac.${tag()}@example.test`;
    const joined = await enrol(t.node.url, String(facInvite.json.token), "Robin", facEmail);
    expect(joined.status).toBe(201);
    const robin = await t.node.app.services.users.byEmail(facEmail);
    const program = await t.node.app.services.streams.state("program", programId);
    expect(program.facilitators).toContain(robin?.id);
    expect((await t.node.app.services.streams.state("cohort", cohortId())).facilitators).toContain(robin?.id);
    const programEvents = await logOf(streamName("program", programId));
    expect(programEvents.filter((e) => e.id === sid("joined", facInviteId)).map((e) => e.type)).toEqual(["facilitator.joined"]);
    expect((await logOf(cohortStream)).filter((e) => e.id === sid("assign", facInviteId)).map((e) => e.type)).toEqual(["facilitator.assigned"]);
    expect((await new Http(t.node.url, joined.cookie).get(`/api/cohorts/${cohortId()}/readiness`)).status).toBe(200);

    // The squats are what their senders asked for, nothing more.
    for (const id of squatted) expect(cohortEvents.filter((e) => e.id === id).map((e) => e.type), id).toEqual(["consent.recorded"]);
    for (const id of squattedByAdmin) expect(programEvents.filter((e) => e.id === id).map((e) => e.type), id).toEqual(["facilitator.invited"]);
  });

  // Found by this suite: invite ids used to drop `.`/`:` from the command id, so `X` and `X.` made
  // two links with one invite id, and the second acceptance was taken for a retry of the first.
  // Derived ids are one-to-one now (server/domain/derived-id.ts).
  it("[LOG2] [AC1] [AC2] two links whose command ids differ only in characters the invite id drops (X, X. / X:) are two links: each person gets their own account, enrolled or assigned", async () => {
    const admin = await Http.as(t.node.url, tag(), "admin");
    const admin2 = await secondAdmin();
    const cmd = randomUUID();
    const accept = async (token: unknown, who: string): Promise<string> => {
      const email = `${who}.${tag()}@example.test`;
      expect((await enrol(t.node.url, String(token), who, email)).status).toBe(201);
      return (await t.node.app.services.users.byEmail(email))?.id ?? "";
    };
    // Enrolment links: the other admin's look-alike is used first.
    const theirs = await admin2.post(`/api/admin/cohorts/${cohortId()}/invites`, { id: `${cmd}.`, ttlHours: 24 });
    const mine = await admin.post(`/api/admin/cohorts/${cohortId()}/invites`, { id: cmd, ttlHours: 24 });
    expect([theirs.status, mine.status]).toEqual([201, 201]);
    const early = await accept(theirs.json.token, "early");
    const victim = await accept(mine.json.token, "victim");
    // Facilitator links, the same way.
    const theirsF = await admin2.post(`/api/admin/programs/prog-${tag()}/facilitator-invites`, { id: `${cmd}:`, cohortId: cohortId(), ttlHours: 24 });
    const mineF = await admin.post(`/api/admin/programs/prog-${tag()}/facilitator-invites`, { id: cmd, cohortId: cohortId(), ttlHours: 24 });
    expect([theirsF.status, mineF.status]).toEqual([201, 201]);
    const earlyFac = await accept(theirsF.json.token, "earlyfac");
    const victimFac = await accept(mineF.json.token, "victimfac");

    const cohort = await t.node.app.services.streams.state("cohort", cohortId());
    const program = await t.node.app.services.streams.state("program", `prog-${tag()}`);
    expect({
      distinctAccounts: new Set([early, victim]).size === 2 && new Set([earlyFac, victimFac]).size === 2,
      enrolled: [early, victim].map((id) => cohort.participants.includes(id)),
      assigned: [earlyFac, victimFac].map((id) => cohort.facilitators.includes(id)),
      joined: [earlyFac, victimFac].map((id) => program.facilitators.includes(id)),
    }).toEqual({ distinctAccounts: true, enrolled: [true, true], assigned: [true, true], joined: [true, true] });
  });

  it("[AC2] [AC4] [LOG2] an admin of program B sending POST /api/admin/cohorts with the command id program A used gets DUPLICATE_ID: A's cohort stays out of B's program, and B's facilitator cannot read A's readiness board or join A's live session", async () => {
    const foreign = foreignProgram(tag());
    await seedProgram(t.node.app.services, foreign);
    const adminA = await Http.as(t.node.url, tag(), "admin");
    const adminB = new Http(t.node.url, await signIn(t.node.url, `xadmin.${tag()}@example.test`, TEST_PASSWORD));
    const [programA, programB] = [`prog-${tag()}`, foreign.programId];

    // Program A: a cohort, fac1 assigned, one participant enrolled, a live session open.
    const cmd = randomUUID();
    const created = await adminA.post("/api/admin/cohorts", { id: cmd, programId: programA, name: "Spring cohort", capacity: 8 });
    expect(created.status).toBe(201);
    const cohortA = String(created.json.cohortId);
    expect((await adminA.post(`/api/admin/cohorts/${cohortA}/facilitators`, { userId: await idOf("fac1") })).status).toBe(200);
    const inv = await adminA.post(`/api/admin/cohorts/${cohortA}/invites`, { ttlHours: 24 });
    expect((await enrol(t.node.url, String(inv.json.token), "ZZSPRING participant", `spring.${tag()}@example.test`)).status).toBe(201);
    const fac1 = await pool.connect("fac1");
    const { sessionId: liveA } = await fac1.ok<{ sessionId: string }>("session:open", { id: randomUUID(), cohortId: cohortA, title: "Spring dosing day" });

    // Program B's admin reuses the command id (visible in the cohort id): refused, nothing written.
    // A look-alike spelling derives another cohort id (derived ids are one-to-one): B's own cohort.
    const programBHead = await head(streamName("program", programB));
    const squat = await adminB.post("/api/admin/cohorts", { id: cmd, programId: programB, name: "Mine now", capacity: 8 });
    expect(`${squat.status} ${errorOf(squat).code}`).toBe("409 DUPLICATE_ID");
    expect(await head(streamName("program", programB))).toBe(programBHead);
    const lookAlike = await adminB.post("/api/admin/cohorts", { id: `${cmd}.`, programId: programB, name: "Mine now", capacity: 8 });
    expect(lookAlike.status).toBe(201);
    expect(lookAlike.json.cohortId).not.toBe(cohortA);
    expect((await t.node.app.services.streams.state("program", programB)).cohorts).not.toContain(cohortA);
    expect(await t.node.app.services.streams.state("cohort", cohortA)).toMatchObject({ programId: programA, name: "Spring cohort" });
    expect((await t.node.app.services.streams.state("program", programA)).cohorts).toContain(cohortA);

    // B cannot invite a facilitator into A's cohort; one invited into B's own cohort sees nothing of A's.
    const intoA = await adminB.post(`/api/admin/programs/${programB}/facilitator-invites`, { cohortId: cohortA, ttlHours: 24 });
    expect(intoA.status).toBe(404);
    expect(intoA.json.token).toBeUndefined();
    const intoB = await adminB.post(`/api/admin/programs/${programB}/facilitator-invites`, { cohortId: foreign.cohortId, ttlHours: 24 });
    expect(intoB.status).toBe(201);
    const joined = await enrol(t.node.url, String(intoB.json.token), "Bea", `bea.${tag()}@example.test`);
    expect(joined.status).toBe(201);
    const bea = new Http(t.node.url, joined.cookie);
    for (const who of [bea, adminB]) {
      const board = await who.get(`/api/cohorts/${cohortA}/readiness`);
      expect(`${board.status} ${errorOf(board).code}`).toBe("404 NOT_FOUND");
      expect(board.text).not.toContain("ZZSPRING");
      expect((await who.get(`/api/cohorts/${cohortA}`)).status).toBe(404);
      expect(JSON.stringify((await who.get("/api/me")).json)).not.toContain(cohortA);
    }
    const beaSocket = pool.track(new TestClient(t.node.url, joined.cookie));
    await beaSocket.connected();
    const tried = await beaSocket.send("session:join", { sessionId: liveA, since: null });
    expect(codeOf(tried)).toBe("NOT_FOUND");
    expect(JSON.stringify(beaSocket.received)).not.toContain("Spring dosing day");
  });

  it("[AC2] [LOG2] an admin of program B sending POST /api/admin/programs with the command id program A used gets DUPLICATE_ID and nothing of program A", async () => {
    await seedProgram(t.node.app.services, foreignProgram(tag()));
    const adminA = await Http.as(t.node.url, tag(), "admin");
    const adminB = new Http(t.node.url, await signIn(t.node.url, `xadmin.${tag()}@example.test`, TEST_PASSWORD));
    const cmd = randomUUID();
    const created = await adminA.post("/api/admin/programs", { id: cmd, name: "A's second program", zone: "UTC" });
    expect(created.status).toBe(201);
    const programId = String(created.json.programId);
    expect((await adminA.post("/api/admin/cohorts", { programId, name: "ZZAUTUMN cohort", capacity: 8 })).status).toBe(201);
    const before = await head(streamName("program", programId));

    const squat = await adminB.post("/api/admin/programs", { id: cmd, name: "B's program", zone: "UTC" });
    expect(`${squat.status} ${errorOf(squat).code}`).toBe("409 DUPLICATE_ID");
    expect(await head(streamName("program", programId))).toBe(before);
    // A look-alike spelling derives another program id (one-to-one): B's own program.
    const lookAlike = await adminB.post("/api/admin/programs", { id: `${cmd}.`, name: "B's program", zone: "UTC" });
    expect(lookAlike.status).toBe(201);
    expect(lookAlike.json.programId).not.toBe(programId);
    expect(await head(streamName("program", programId))).toBe(before);
    const adminAId = (await t.node.app.services.users.byEmail(`admin.${tag()}@example.test`))?.id;
    expect(await t.node.app.services.streams.state("program", programId)).toMatchObject({ name: "A's second program", admins: [adminAId] });

    expect(JSON.stringify((await adminB.get("/api/admin/programs")).json)).not.toContain(programId);
    expect(JSON.stringify((await adminB.get("/api/me")).json)).not.toContain("ZZAUTUMN");
    expect((await adminB.get(`/api/admin/programs/${programId}`)).status).toBe(404);
    expect((await adminB.post("/api/admin/cohorts", { programId, name: "Sneaky", capacity: 8 })).status).toBe(404);
    expect((await adminB.post(`/api/admin/programs/${programId}/facilitator-invites`, { ttlHours: 24 })).status).toBe(404);
  });

  it("[AC4] [LOG2] a facilitator of another cohort opening a session or starting a circle with an id fac1 used gets DUPLICATE_ID and reaches nothing of fac1's", async () => {
    const fac1 = await pool.connect("fac1");
    const ofac = await pool.connect("ofac", otherCohort);
    const p1 = await pool.connect("p1");
    const other = `other-${tag()}`;
    const [openId, circleCmd] = [randomUUID(), randomUUID()];
    const opened = await fac1.ok<{ sessionId: string; seq: number }>("session:open", { id: openId, cohortId: cohortId(), title: "ZZFAC1 session" });
    const { circleId } = await fac1.ok<{ circleId: string }>("circle:start", { id: circleCmd, cohortId: cohortId(), title: "ZZFAC1 circle" });
    const otherBefore = await head(streamName("cohort", other));

    expect(codeOf(await ofac.send("session:open", { id: openId, cohortId: other, title: "Mine" }))).toBe("DUPLICATE_ID");
    expect(codeOf(await ofac.send("circle:start", { id: circleCmd, cohortId: other, title: "Mine" }))).toBe("DUPLICATE_ID");
    // A participant of fac1's own cohort reusing the id is not fac1 either.
    expect(codeOf(await p1.send("session:open", { id: openId, cohortId: cohortId(), title: "Mine" }))).toBe("DUPLICATE_ID");
    expect(await head(streamName("cohort", other))).toBe(otherBefore);
    // A look-alike command id derives other ids (one-to-one): the other facilitator's own session and circle.
    const ownSession = await ofac.ok<{ sessionId: string }>("session:open", { id: `${openId}.`, cohortId: other, title: "Mine" });
    const ownCircle = await ofac.ok<{ circleId: string }>("circle:start", { id: `${circleCmd}.`, cohortId: other, title: "Mine" });
    expect(ownSession.sessionId).not.toBe(opened.sessionId);
    expect(ownCircle.circleId).not.toBe(circleId);
    const otherCohortState = await t.node.app.services.streams.state("cohort", other);
    expect(otherCohortState.sessions.map((x) => x.id)).not.toContain(opened.sessionId);
    expect(otherCohortState.circles.map((x) => x.id)).not.toContain(circleId);
    expect(await t.node.app.services.streams.state("session", opened.sessionId)).toMatchObject({ cohortId: cohortId(), title: "ZZFAC1 session", openedBy: await idOf("fac1") });
    expect(await t.node.app.services.streams.state("circle", circleId)).toMatchObject({ cohortId: cohortId() });

    expect(codeOf(await ofac.send("session:join", { sessionId: opened.sessionId, since: null }))).toBe("NOT_FOUND");
    expect(codeOf(await ofac.send("circle:join", { circleId }))).toBe("NOT_FOUND");
    expect(JSON.stringify(ofac.received)).not.toContain("ZZFAC1");
    // [LOG2] fac1's own retry still gets its first answer.
    expect(await fac1.ok<{ sessionId: string; seq: number }>("session:open", { id: openId, cohortId: cohortId(), title: "ZZFAC1 session" })).toEqual(opened);
  });

  it("[LIVE6] [LOG2] a job never stops at one duplicate: the first alert's tier-1 escalation already appended (by another node, after this node read the log), the second alert still escalates in the same round", async () => {
    const admin = await pool.connect("admin");
    const p1 = await join("p1");
    const p2 = await join("p2");
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() })).alertId;
    const a2 = (await p2.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() })).alertId;
    t.clock.advance(15_000);
    // This node's view of the log, just before another node appends the first escalation.
    const stale = await session();
    await t.node.app.services.streams.appendSystem(stream(), { id: sid("escalate", a1, 1), type: "alert.escalated", actor: "system", data: { alertId: a1, tier: 1 } });
    // Streams are caught up through readMany (one round trip for several streams).
    const log = t.node.stores.log;
    const readMany = log.readMany.bind(log);
    let staleReads = 0;
    log.readMany = async (reqs) => {
      const pages = await readMany(reqs);
      return pages.map((page, i) => {
        const r = reqs[i];
        if (r && r.stream === stream() && r.afterSeq === stale.seq && staleReads === 0) {
          staleReads++;
          return { epoch: page.epoch, events: [], head: stale.seq };
        }
        return page;
      });
    };
    await tick();
    log.readMany = readMany;
    expect(staleReads).toBe(1);
    expect((await ofType("alert.escalated")).map((e) => e.id)).toEqual([sid("escalate", a1, 1), sid("escalate", a2, 1)]);
    await admin.until(() => notices(admin).some((n) => n.alertId === a2 && n.tier === 1), 5000, "the second alert's tier-1 notice");
  });

  it("[LIVE6] [LOG2] a job never stops at one duplicate that never goes away: with the first alert's escalation id already taken, the second alert and the prompt still land in the same round", async () => {
    const admin = await pool.connect("admin");
    const p1 = await join("p1");
    const p2 = await join("p2");
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() })).alertId;
    const a2 = (await p2.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() })).alertId;
    // An event of a type this server does not know (a newer server's) holds the id: every round decides it, every round it is a duplicate.
    await t.node.app.services.streams.appendSystem(stream(), { id: sid("escalate", a1, 1), type: "test.id-taken", actor: "system", data: {} });
    t.clock.advance(30 * 60_000);
    await tick();
    const escalated = await ofType("alert.escalated");
    expect(escalated.filter((e) => e.data.alertId === a2).map((e) => e.id)).toEqual([sid("escalate", a2, 1), sid("escalate", a2, 2)]);
    expect((await ofType("checkin.prompted")).map((e) => e.id)).toEqual([sid("prompt", 1)]);
    await admin.until(() => notices(admin).some((n) => n.alertId === a2 && n.tier === 2), 5000, "the second alert's escalation");
    for (const c of [p1, p2]) await c.until(() => fullEvents(c, "checkin.prompted").length === 1, 5000, "the prompt");
  });
});

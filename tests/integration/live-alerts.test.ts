import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { TestClient } from "../support/client.js";
import { mainCohort, otherCohort } from "../support/fixtures.js";
import { ManualClock, startApp, type Running } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { notices } from "../support/notices.js";
import { ClientPool } from "../support/pool.js";

/**
 * Two in-process nodes on one real Redis (same prefix, Redis adapter) sharing one ManualClock, so
 * time can move 15 s and 60 s at once while both nodes run the same periodic check.
 */
describe("live alerts across two nodes", () => {
  let A: Running & { tag: string };
  let B: Running & { tag: string };
  let clock: ManualClock;
  const pool = new ClientPool(() => A);

  beforeEach(async () => {
    clock = new ManualClock();
    const prefix = freshPrefix("live");
    A = await startApp("redis", { prefix, clock });
    B = await startApp("redis", { prefix, clock, seed: false });
  });
  afterEach(async () => {
    pool.closeAll();
    await A.stop();
    await B.stop();
  });

  const sessionId = () => `live-${A.tag}`;
  const stream = () => streamName("session", sessionId());
  const on = (node: Running, key: string) => pool.connect(key, mainCohort, node.url);
  const idOf = async (key: string): Promise<string> => {
    const email = mainCohort(A.tag).people.find((p) => p.key === key)?.email ?? "";
    const u = await A.app.services.users.byEmail(email);
    if (!u) throw new Error(`no user ${key}`);
    return u.id;
  };
  const join = (c: TestClient) => c.ok("session:join", { sessionId: sessionId(), since: null });
  const logged = async (): Promise<StoredEvent[]> => (await A.stores.log.read(stream(), 0, 1000)).events;
  const fullEvents = (c: TestClient, type: string): StoredEvent[] =>
    c.events.map((m) => m.event).filter((e): e is StoredEvent => "type" in e && e.type === type);
  /** Both nodes run the check at the same moved instant, as their timers would. */
  const tickBoth = () => Promise.all([A.app.tick(), B.app.tick()]);

  it("[LIVE6] an alert raised on node A reaches node B, escalates at 15 s and 60 s exactly once with both nodes checking, and an ack on B stops it on A", async () => {
    const facB = await on(B, "fac1");
    const facA = await on(A, "fac2");
    const admin = await on(B, "admin");
    const p1 = await on(A, "p1");
    for (const c of [facB, facA, p1]) await join(c);
    const [fac1Id, p1Id] = [await idOf("fac1"), await idOf("p1")];

    const reply = await p1.ok<{ alertId: string; seq: number }>("support:request", {
      id: randomUUID(),
      sessionId: sessionId(),
    });
    await facB.until(() => facB.events.some((m) => m.event.seq === reply.seq), 5000, "the alert on node B");
    expect(fullEvents(facB, "alert.raised")[0]?.data).toMatchObject({
      alertId: reply.alertId,
      kind: "support",
      participantId: p1Id,
    });

    clock.advance(14_000);
    await tickBoth();
    expect((await logged()).filter((e) => e.type === "alert.escalated")).toHaveLength(0);
    clock.advance(1_000);
    await tickBoth();
    await tickBoth();
    await admin.until(() => notices(admin).some((n) => n.tier === 1), 5000, "tier 1 notice to the admin");
    expect((await logged()).filter((e) => e.type === "alert.escalated").map((e) => e.id)).toEqual([
      `$escalate:${reply.alertId}:1`,
    ]);

    clock.advance(45_000);
    await tickBoth();
    await tickBoth();
    await admin.until(() => notices(admin).some((n) => n.tier === 2), 5000, "tier 2 notice to the admin");
    expect((await logged()).filter((e) => e.type === "alert.escalated").map((e) => e.id)).toEqual([
      `$escalate:${reply.alertId}:1`,
      `$escalate:${reply.alertId}:2`,
    ]);

    const ack = await facB.ok<{ by: string }>("alert:ack", {
      id: randomUUID(),
      sessionId: sessionId(),
      alertId: reply.alertId,
    });
    expect(ack.by).toBe(fac1Id);
    await facA.until(() => fullEvents(facA, "alert.acknowledged").length === 1, 5000, "the ack on node A");
    await p1.until(
      () => fullEvents(p1, "alert.acknowledged").length === 1,
      5000,
      "the participant learns who is coming",
    );
    expect(fullEvents(p1, "alert.acknowledged")[0]?.data).toMatchObject({ alertId: reply.alertId, by: fac1Id });

    clock.advance(120_000);
    await tickBoth();
    // A barrier: a check-in after the ticks; once it arrives, anything the ticks sent has too.
    const barrier = await p1.ok<{ seq: number }>("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "ok",
    });
    await facA.until(() => facA.events.some((m) => m.event.seq === barrier.seq), 5000, "barrier");
    expect((await logged()).filter((e) => e.type === "alert.escalated")).toHaveLength(2);
    // The escalations said "no response"; the acknowledgement's own notice says who answered.
    expect(notices(admin).map((n) => `${n.tier} ${n.state}`)).toEqual(["1 waiting", "2 waiting", "2 answered"]);
  });

  it("[LIVE6] past 60 s an unanswered alert reminds every facilitator and the admin every minute, once per minute with both nodes checking", async () => {
    const fac = await on(A, "fac1");
    const admin = await on(B, "admin");
    const p1 = await on(A, "p1");
    for (const c of [fac, p1]) await join(c);
    const reply = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() });
    clock.advance(60_000);
    await tickBoth();
    await tickBoth();
    for (let minute = 1; minute <= 3; minute++) {
      clock.advance(60_000);
      await tickBoth();
      await tickBoth();
      await admin.until(
        () => notices(admin).some((n) => n.reminder === minute),
        5000,
        `reminder ${minute} to the admin on node B`,
      );
    }
    const reminded = (await logged()).filter((e) => e.type === "alert.reminded").map((e) => e.id);
    expect(reminded).toEqual([1, 2, 3].map((n) => `$remind:${reply.alertId}:${n}`));
    await fac.until(() => fullEvents(fac, "alert.reminded").length === 3, 5000, "reminders in the facilitator's log");
    // The alert is still pending, at its last tier, and an acknowledgement ends the reminders.
    const state = await A.app.services.streams.state("session", sessionId());
    expect(state.live.alerts[reply.alertId]).toMatchObject({ tier: 2, reminders: 3, ack: null });
    await fac.ok("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId: reply.alertId });
    clock.advance(10 * 60_000);
    await tickBoth();
    expect((await logged()).filter((e) => e.type === "alert.reminded")).toHaveLength(3);
  });

  it("[LIVE6] a facilitator or admin who connects after an escalation (their node restarted) is told at once", async () => {
    const p1 = await on(A, "p1");
    await join(p1);
    const reply = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() });
    clock.advance(15_000);
    await tickBoth();
    // Nobody staff was connected when it escalated; they come (back) now, on either node.
    const admin = await on(B, "admin");
    const fac = await on(A, "fac2");
    for (const c of [admin, fac])
      await c.until(
        () => notices(c).some((n) => n.alertId === reply.alertId && n.tier === 1),
        5000,
        "the missed escalation",
      );
    // A facilitator of another cohort hears nothing of it.
    const other = await pool.connect("ofac", otherCohort, B.url);
    const barrier = await other.ok<{ sessionId: string }>("session:join", {
      sessionId: `other-live-${A.tag}`,
      since: null,
    });
    expect(barrier.sessionId).toBe(`other-live-${A.tag}`);
    expect(notices(other)).toEqual([]);
  });

  it("[PR5] [LIVE3] both nodes reconciling a wrong 'left' at the same moment log the correction once", async () => {
    const fac = await on(B, "fac1");
    await join(fac);
    const fac1Id = await idOf("fac1");
    await A.app.services.streams.appendSystem(stream(), {
      id: "$test:stale-left",
      type: "facilitator.left",
      actor: fac1Id,
      data: { userId: fac1Id },
    });
    await tickBoth();
    await tickBoth();
    const mine = (await logged()).filter((e) => e.data.userId === fac1Id).map((e) => e.type);
    expect(mine).toEqual(["facilitator.arrived", "facilitator.left", "facilitator.arrived"]);
    expect((await A.app.services.streams.state("session", sessionId())).live.facilitatorsInRoom).toEqual([fac1Id]);
  });

  it("[LIVE6] a participant retrying the same alert after a dropped connection, on the other node, creates one alert", async () => {
    const p1 = await on(A, "p1");
    await join(p1);
    const id = randomUUID();
    const first = await p1.ok<{ alertId: string; seq: number }>("support:request", { id, sessionId: sessionId() });
    p1.close();
    const again = await on(B, "p1");
    await join(again);
    const second = await again.ok<{ alertId: string; seq: number }>("support:request", { id, sessionId: sessionId() });
    expect(second).toEqual(first);
    expect((await logged()).filter((e) => e.type === "alert.raised")).toHaveLength(1);
  });

  it("[LIVE3] [LIVE4] a break that would break the ratio is refused; a facilitator leaving breaks it and every facilitator and the admin hear it", async () => {
    const fac1 = await on(A, "fac1");
    const fac2 = await on(B, "fac2");
    const admin = await on(B, "admin");
    for (const c of [fac1, fac2]) await join(c);
    const pIds = [await idOf("p1"), await idOf("p2"), await idOf("p3")];
    for (const participantId of pIds)
      await fac1.ok("participant:admit", { id: randomUUID(), sessionId: sessionId(), participantId });
    await fac1.ok("dose:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: pIds[0],
      mg: 40,
      kind: "primary",
    });
    // 3 participants at 40 mg: 1 facilitator per 2, so both facilitators are needed.
    const refused = await fac2.send("break:set", { id: randomUUID(), sessionId: sessionId(), onBreak: true });
    expect(refused.ok ? null : refused.error.code).toBe("RULE_VIOLATION");
    expect(refused.ok ? "" : refused.error.message).toMatch(/need 2 facilitators in the room; 1 is there/);

    await fac2.ok("session:leave", { sessionId: sessionId() });
    await tickBoth();
    await fac1.until(
      () => fullEvents(fac1, "alert.raised").some((e) => e.data.kind === "ratio"),
      5000,
      "ratio alert on the facilitator",
    );
    await admin.until(() => notices(admin).some((n) => n.kind === "ratio"), 5000, "ratio alert to the admin");
    // Back in the room on a new connection, as after closing the laptop.
    await join(await on(B, "fac2"));
    await tickBoth();
    await fac1.until(() => fullEvents(fac1, "alert.resolved").length === 1, 5000, "ratio restored");
  });

  it("[LIVE4] [PR5] a break is logged, shows on_break on the other node, and alerts past 5 minutes", async () => {
    const fac1 = await on(A, "fac1");
    const fac2 = await on(B, "fac2");
    for (const c of [fac1, fac2]) await join(c);
    const fac1Id = await idOf("fac1");
    await fac1.ok("break:set", { id: randomUUID(), sessionId: sessionId(), onBreak: true });
    await fac2.until(() => fac2.presenceOf(fac1Id) === "on_break", 5000, "on_break on node B");
    clock.advance(5 * 60_000);
    await tickBoth();
    expect((await logged()).some((e) => e.type === "alert.raised")).toBe(false);
    clock.advance(1000);
    await tickBoth();
    await fac2.until(
      () => fullEvents(fac2, "alert.raised").some((e) => e.data.kind === "break" && e.data.subjectId === fac1Id),
      5000,
      "break alert",
    );
    await fac1.ok("break:set", { id: randomUUID(), sessionId: sessionId(), onBreak: false });
    const types = (await logged()).map((e) => e.type);
    expect(types).toContain("break.started");
    expect(types).toContain("break.ended");
    expect(types).toContain("alert.resolved");
  });

  it("[LIVE7] every 30 minutes (moved clock) each participant is prompted, once per round with both nodes checking", async () => {
    const p1 = await on(A, "p1");
    await join(p1);
    clock.advance(30 * 60_000);
    await tickBoth();
    await p1.until(() => fullEvents(p1, "checkin.prompted").length === 1, 5000, "first prompt");
    clock.advance(30 * 60_000);
    await tickBoth();
    await tickBoth();
    await p1.until(() => fullEvents(p1, "checkin.prompted").length === 2, 5000, "second prompt");
    expect((await logged()).filter((e) => e.type === "checkin.prompted").map((e) => e.data.round)).toEqual([1, 2]);
  });
});

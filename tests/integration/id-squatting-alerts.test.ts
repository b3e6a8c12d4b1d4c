import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { visibleAlerts } from "../../shared/domain/alerts.js";
import type { TestClient } from "../support/client.js";
import { useClockedNode } from "../support/pool.js";
import { codeOf, fullEvents, notices, sid, squatting } from "./id-squatting-support.js";

/**
 * Issue 8, finding 3 ("Ids nobody can squat") for alerts and the jobs that escalate, remind,
 * resolve and prompt: the rule every id-squatting file checks is in id-squatting-support.ts.
 */

describe("ids nobody can squat: alerts and jobs (one node, Redis, moved clock)", () => {
  const t = useClockedNode("redis");
  const {
    pool,
    sessionId,
    head,
    session,
    idOf,
    join,
    tick,
    ofType,
    supportAlertOf,
    squat,
    ownCheckins,
    serverIdsOnly,
  } = squatting(t);

  it("[LIVE6] [LOG2] a participant sending escalate:<alertId>:1 first stops no escalation: both alerts in the room escalate at 15 s and 60 s, and can still be acknowledged and the session closed", async () => {
    const fac = await join("fac1");
    const admin = await pool.connect("admin");
    const p1 = await join("p1");
    const p2 = await join("p2");
    const [fac1Id, p1Id, p2Id] = [await idOf("fac1"), await idOf("p1"), await idOf("p2")];
    // The victim's alert (the button) and another participant's, raised by a need_support check-in.
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() }))
      .alertId;
    await p2.ok("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "need_support" });
    const a2 = (await supportAlertOf(p2Id)).id;

    const ids = [
      `escalate:${a1}:1`,
      `escalate:${a1}:2`,
      `escalate:${a2}:1`,
      sid("escalate", a1, 1),
      sid("escalate", a1, 2),
      sid("escalate", a2, 1),
    ];
    const landed = await squat(p1, "checkin:send", ids, (id) => ({ id, sessionId: sessionId(), status: "ok" }));
    await ownCheckins(landed, p1Id);

    t.clock.advance(14_000);
    await tick();
    expect(await ofType("alert.escalated")).toEqual([]);
    t.clock.advance(1_000);
    await tick();
    expect((await ofType("alert.escalated")).map((e) => e.id)).toEqual([
      sid("escalate", a1, 1),
      sid("escalate", a2, 1),
    ]);
    await admin.until(
      () => [a1, a2].every((a) => notices(admin).some((n) => n.alertId === a && n.tier === 1)),
      5000,
      "tier-1 notices of both alerts to the admin",
    );
    await fac.until(
      () => [a1, a2].every((a) => notices(fac).some((n) => n.alertId === a && n.tier === 1)),
      5000,
      "tier-1 notices of both alerts to the facilitator",
    );

    t.clock.advance(45_000);
    await tick();
    expect((await ofType("alert.escalated")).map((e) => e.id)).toEqual([
      sid("escalate", a1, 1),
      sid("escalate", a2, 1),
      sid("escalate", a1, 2),
      sid("escalate", a2, 2),
    ]);
    await admin.until(
      () => [a1, a2].every((a) => notices(admin).some((n) => n.alertId === a && n.tier === 2)),
      5000,
      "tier-2 notices of both alerts",
    );

    for (const alertId of [a1, a2])
      expect(
        (await fac.ok<{ by: string }>("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId })).by,
      ).toBe(fac1Id);
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
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() }))
      .alertId;
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
      await admin.until(
        () => [a1, a2].every((a) => notices(admin).some((n) => n.alertId === a && n.reminder === minute)),
        5000,
        `reminder ${minute} of both alerts`,
      );
    }
    expect((await ofType("alert.reminded")).map((e) => e.id)).toEqual([
      sid("remind", a1, 1),
      sid("remind", a2, 1),
      sid("remind", a1, 2),
      sid("remind", a2, 2),
    ]);
    await ownCheckins(landed, p1Id);
    await serverIdsOnly();
  });

  it("[LIVE6] [LIVE8] [LOG2] a participant sending ack:<alertId> (or the alert's own id) first cannot stop an acknowledgement: the button's, a need_support check-in's and a vitals alert are acknowledged and the session closes", async () => {
    const fac = await join("fac1");
    const p1 = await join("p1");
    const p2 = await join("p2");
    const [fac1Id, p1Id, p2Id, p3Id] = [await idOf("fac1"), await idOf("p1"), await idOf("p2"), await idOf("p3")];
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() }))
      .alertId;
    await p2.ok("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "need_support" });
    const a2 = (await supportAlertOf(p2Id)).id;
    const vitals = await fac.ok<{ alert: boolean }>("vitals:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p3Id,
      systolic: 186,
      diastolic: 100,
      heartRate: 90,
    });
    expect(vitals.alert).toBe(true);
    const a3 = Object.values((await session()).live.alerts).find((a) => a.kind === "vitals")?.id ?? "";
    expect(a3).not.toBe("");

    const landed = await squat(
      p1,
      "checkin:send",
      [`ack:${a1}`, `ack:${a2}`, `ack:${a3}`, sid("ack", a1), sid("ack", a2), sid("ack", a3)],
      (id) => ({ id, sessionId: sessionId(), status: "ok" }),
    );
    await ownCheckins(landed, p1Id);
    // The alert's own id is the raising event's: reused by another person, or by its sender for another command, it is not a retry.
    const before = await head();
    const reuses: [TestClient, string][] = [
      [p2, a1],
      [p1, a1],
      [p1, a2],
    ];
    for (const [c, id] of reuses)
      expect(`${id}: ${codeOf(await c.send("checkin:send", { id, sessionId: sessionId(), status: "ok" }))}`).toBe(
        `${id}: DUPLICATE_ID`,
      );
    expect(await head()).toBe(before);

    for (const alertId of [a1, a2, a3]) {
      const ack = await fac.send<{ by: string; alertId: string }>("alert:ack", {
        id: randomUUID(),
        sessionId: sessionId(),
        alertId,
      });
      expect(ack.ok ? `${ack.data.alertId} by ${ack.data.by}` : `${alertId}: ${codeOf(ack)} ${ack.error.message}`).toBe(
        `${alertId} by ${fac1Id}`,
      );
    }
    expect((await ofType("alert.acknowledged")).map((e) => `${e.id} ${String(e.data.alertId)}`)).toEqual(
      [a1, a2, a3].map((a) => `${sid("ack", a)} ${a}`),
    );
    // The participant learns their request was answered.
    await p1.until(
      () => fullEvents(p1, "alert.acknowledged").some((e) => e.data.alertId === a1),
      5000,
      "p1 told who is coming",
    );
    const closed = await fac.send<{ closedBy: string }>("session:close", { id: randomUUID(), sessionId: sessionId() });
    expect(closed.ok ? closed.data.closedBy : `${codeOf(closed)} ${closed.error.message}`).toBe(fac1Id);
    await serverIdsOnly();
  });

  /** fac1 in the room, p1–p3 admitted: the ratio holds until a 40 mg dose (1 facilitator per 2). */
  async function roomOfThree(): Promise<{ fac: TestClient; admin: TestClient; pIds: string[] }> {
    const fac = await join("fac1");
    const admin = await pool.connect("admin");
    const pIds = [await idOf("p1"), await idOf("p2"), await idOf("p3")];
    for (const participantId of pIds)
      await fac.ok("participant:admit", { id: randomUUID(), sessionId: sessionId(), participantId });
    return { fac, admin, pIds };
  }

  it("[LIVE3] [LOG2] a participant sending ratio-<seq> and ratio:<n> ids first stops no ratio alert: it is raised as $ratio:1 when the ratio breaks, and every facilitator and the admin hear it", async () => {
    const { fac, admin, pIds } = await roomOfThree();
    const p1 = await pool.connect("p1");
    const h = await head();
    // Eight check-ins land at h+1..h+8; the dose that breaks the ratio lands at h+9. The ids
    // cover every seq the ratio could be decided on next (the old `ratio-<seq>`) and the
    // numbered form without `$`.
    const ids = [
      "ratio:1",
      "ratio:2",
      ...[0, 1, 2, 3, 4, 5].map((j) => `ratio-${h + 9 + j}`),
      sid("ratio", 1),
      sid("ratio", 2),
    ];
    const landed = await squat(p1, "checkin:send", ids, (id) => ({ id, sessionId: sessionId(), status: "ok" }));
    expect(landed).toHaveLength(8);
    const dose = await fac.ok<{ seq: number }>("dose:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: pIds[0],
      mg: 40,
      kind: "primary",
    });
    expect(dose.seq).toBe(h + 9);

    await tick();
    await fac.until(
      () => fullEvents(fac, "alert.raised").some((e) => e.data.kind === "ratio"),
      5000,
      "the ratio alert on the facilitator's screen",
    );
    await admin.until(() => notices(admin).some((n) => n.kind === "ratio"), 5000, "the ratio alert to the admin");
    const raised = (await ofType("alert.raised")).filter((e) => e.data.kind === "ratio");
    expect(raised.map((e) => e.id)).toEqual([sid("ratio", 1)]);
    expect(visibleAlerts((await session()).live.alerts).map((a) => a.id)).toEqual([sid("ratio", 1)]);
    await ownCheckins(landed, pIds[0] ?? "");
  });

  it("[LIVE3] [LOG2] a participant sending resolve:<alertId> first cannot keep a restored ratio's alert up: it is resolved as $resolve:<alertId>", async () => {
    const { fac, pIds } = await roomOfThree();
    const p1 = await pool.connect("p1");
    await fac.ok("dose:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: pIds[0],
      mg: 40,
      kind: "primary",
    });
    await tick();
    const alertId = visibleAlerts((await session()).live.alerts).find((a) => a.kind === "ratio")?.id ?? "";
    expect(alertId).not.toBe("");
    // `resolve:<alertId>` itself (a `$` inside now), the server's spelling, and the form with every `$` dropped.
    const landed = await squat(
      p1,
      "checkin:send",
      [`resolve:${alertId}`, sid("resolve", alertId), `resolve:${alertId.replace(/\$/g, "")}`],
      (id) => ({ id, sessionId: sessionId(), status: "ok" }),
    );
    expect(landed.length).toBeGreaterThan(0);

    // fac2 comes in: 2 facilitators for 3 participants at 40 mg, the ratio holds again.
    await join("fac2");
    await tick();
    await fac.until(
      () => fullEvents(fac, "alert.resolved").some((e) => e.data.alertId === alertId),
      5000,
      "the ratio alert resolved on the facilitator's screen",
    );
    expect((await ofType("alert.resolved")).map((e) => `${e.id} ${String(e.data.alertId)}`)).toEqual([
      `${sid("resolve", alertId)} ${alertId}`,
    ]);
    expect(visibleAlerts((await session()).live.alerts)).toEqual([]);
    await ownCheckins(landed, pIds[0] ?? "");
  });

  it("[LIVE4] [LOG2] a participant sending break-<seq> / break:<seq> first stops no break alert: a break past 5 minutes raises $break:<seq>, and its end resolves it as $resolve:$break:<seq>", async () => {
    const fac1 = await join("fac1");
    const fac2 = await join("fac2");
    const p1 = await pool.connect("p1");
    const [fac1Id, p1Id] = [await idOf("fac1"), await idOf("p1")];
    const started = await fac1.ok<{ seq: number; onBreak: boolean }>("break:set", {
      id: randomUUID(),
      sessionId: sessionId(),
      onBreak: true,
    });
    expect(started.onBreak).toBe(true);
    const b = started.seq;
    const breakId = sid("break", b);
    const ids = [
      `break-${b}`,
      `break:${b}`,
      `resolve:break-${b}`,
      `resolve:break:${b}`,
      breakId,
      sid("resolve", breakId),
    ];
    const landed = await squat(p1, "checkin:send", ids, (id) => ({ id, sessionId: sessionId(), status: "ok" }));

    t.clock.advance(5 * 60_000 + 1000);
    await tick();
    await fac2.until(
      () => fullEvents(fac2, "alert.raised").some((e) => e.data.kind === "break" && e.data.subjectId === fac1Id),
      5000,
      "the break alert on the other facilitator's screen",
    );
    expect((await ofType("alert.raised")).filter((e) => e.data.kind === "break").map((e) => e.id)).toEqual([breakId]);
    await fac1.ok("break:set", { id: randomUUID(), sessionId: sessionId(), onBreak: false });
    expect((await ofType("alert.resolved")).map((e) => `${e.id} ${String(e.data.alertId)}`)).toEqual([
      `${sid("resolve", breakId)} ${breakId}`,
    ]);
    expect(visibleAlerts((await session()).live.alerts)).toEqual([]);
    await ownCheckins(landed, p1Id);
  });

  it("[LIVE7] [LOG2] a participant sending prompt:1 first stops no check-in prompt: each round lands at its 30-minute interval as $prompt:<round> and reaches every participant", async () => {
    const p1 = await join("p1");
    const p2 = await join("p2");
    const landed = await squat(
      p1,
      "checkin:send",
      ["prompt:1", "prompt:2", sid("prompt", 1), sid("prompt", 2)],
      (id) => ({ id, sessionId: sessionId(), status: "ok" }),
    );
    t.clock.advance(30 * 60_000 - 1000);
    await tick();
    expect(await ofType("checkin.prompted")).toEqual([]);
    t.clock.advance(1000);
    await tick();
    for (const c of [p1, p2]) await c.until(() => fullEvents(c, "checkin.prompted").length === 1, 5000, "round 1");
    t.clock.advance(30 * 60_000);
    await tick();
    for (const c of [p1, p2]) await c.until(() => fullEvents(c, "checkin.prompted").length === 2, 5000, "round 2");
    expect((await ofType("checkin.prompted")).map((e) => `${e.id} ${String(e.data.round)}`)).toEqual([
      `${sid("prompt", 1)} 1`,
      `${sid("prompt", 2)} 2`,
    ]);
    await ownCheckins(landed, await idOf("p1"));
  });
});

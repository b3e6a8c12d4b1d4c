import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { screeningAnswers } from "../../server/demo/screening.js";
import { streamName } from "../../shared/log.js";
import type { Ack } from "../../shared/protocol/errors.js";
import type { TestClient } from "../support/client.js";
import { mainCohort, otherCohort } from "../support/fixtures.js";
import { useClockedNode } from "../support/pool.js";

/** Refusals of the dosing-day commands, and what a participant's socket may ever receive. */
describe("live session rules on one node", () => {
  const t = useClockedNode("redis");
  const pool = t.pool;

  const sessionId = () => `live-${t.node.tag}`;
  const head = async () => (await t.node.stores.log.head(streamName("session", sessionId()))).seq;
  const idOf = async (key: string, cohort = mainCohort): Promise<string> => {
    const u = await t.node.app.services.users.byEmail(
      cohort(t.node.tag).people.find((p) => p.key === key)?.email ?? "",
    );
    if (!u) throw new Error(`no user ${key}`);
    return u.id;
  };
  const codeOf = (r: Ack<unknown>): string => (r.ok ? "ok" : r.error.code);
  /** Send, expect a refusal with `code`, and check nothing was written. */
  async function refused(c: TestClient, name: string, payload: Record<string, unknown>, code: string): Promise<string> {
    const before = await head();
    const r = await c.send(name, payload);
    expect(codeOf(r)).toBe(code);
    expect(await head()).toBe(before);
    return r.ok ? "" : r.error.message;
  }

  it("[LIVE1] [LIVE2] [LIVE8] [LIVE6] [AC5] bad input and rule breaks are refused with stable codes and nothing is written", async () => {
    const fac = await pool.connect("fac1");
    const p1 = await pool.connect("p1");
    for (const c of [fac, p1]) await c.ok("session:join", { sessionId: sessionId(), since: null });
    const p1Id = await idOf("p1");
    const base = { sessionId: sessionId(), participantId: p1Id };
    await fac.ok("participant:admit", { id: randomUUID(), ...base });
    expect(
      await refused(fac, "dose:record", { id: randomUUID(), ...base, mg: 60, kind: "primary" }, "RULE_VIOLATION"),
    ).toMatch(/total to 60 mg; the most allowed .* is 50 mg/);
    await refused(fac, "dose:record", { id: randomUUID(), ...base, mg: 5000, kind: "primary" }, "INVALID_PAYLOAD");
    await refused(p1, "dose:record", { id: randomUUID(), ...base, mg: 5, kind: "primary" }, "FORBIDDEN");
    await refused(
      fac,
      "vitals:record",
      { id: randomUUID(), ...base, systolic: -5, diastolic: 80, heartRate: 70 },
      "INVALID_PAYLOAD",
    );
    await refused(
      fac,
      "vitals:record",
      { id: randomUUID(), ...base, systolic: 120, diastolic: 80, heartRate: 900 },
      "INVALID_PAYLOAD",
    );
    await fac.ok("dose:record", { id: randomUUID(), ...base, mg: 20, kind: "primary" });
    t.clock.advance(60 * 60_000);
    // Asked before the release (once released, a press says whom to call instead).
    const help = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() });
    const release = { id: randomUUID(), ...base, planConfirmed: true };
    expect(await refused(fac, "release:record", release, "RULE_VIOLATION")).toMatch(/Earliest release is/);
    await fac.ok("release:record", { ...release, medicalTransferReason: "Transferred to hospital for observation" });

    const ofac = await pool.connect("ofac", otherCohort);
    // Another room's facilitator, naming this session or their own: no such alert for them.
    await refused(ofac, "alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId: help.alertId }, "NOT_FOUND");
    const otherSession = `other-live-${t.node.tag}`;
    const r = await ofac.send("alert:ack", { id: randomUUID(), sessionId: otherSession, alertId: help.alertId });
    expect(codeOf(r)).toBe("NOT_FOUND");
    await refused(p1, "alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId: help.alertId }, "FORBIDDEN");
    const ctx = await p1.send("live:context", { sessionId: sessionId() });
    expect(codeOf(ctx)).toBe("FORBIDDEN");
  });

  it("[PR5] [LIVE3] a facilitator who leaves the room and comes back on the same connection is logged in the room again", async () => {
    const fac = await pool.connect("fac1");
    const facId = await idOf("fac1");
    await fac.ok("session:join", { sessionId: sessionId(), since: null });
    await fac.ok("session:leave", { sessionId: sessionId() });
    await fac.ok("session:join", { sessionId: sessionId(), since: null });
    const state = await t.node.app.services.streams.state("session", sessionId());
    expect(state.live.facilitatorsInRoom).toEqual([facId]);
    const types = (await t.node.stores.log.read(streamName("session", sessionId()), 0, 100)).events
      .filter((e) => e.data.userId === facId)
      .map((e) => e.type);
    expect(types).toEqual(["facilitator.arrived", "facilitator.left", "facilitator.arrived"]);
  });

  it("[RDY1] a participant who is not Ready cannot be admitted, and the refusal names what is missing", async () => {
    const fac = await pool.connect("ofac", otherCohort);
    const sid = `other-live-${t.node.tag}`;
    await fac.ok("session:join", { sessionId: sid, since: null });
    const op1 = await idOf("op1", otherCohort);
    // Withdraw readiness by recording a hard stop in a new screening.
    await t.node.app.services.streams.appendSystem(streamName("cohort", `other-${t.node.tag}`), {
      id: "$test:hard-stop",
      type: "screening.submitted",
      actor: "system",
      data: {
        participantId: op1,
        answers: screeningAnswers({ psychoticDisorder: true }),
      },
    });
    const context = await fac.ok<{ readiness: Record<string, { ready: boolean; missing: { label: string }[] }> }>(
      "live:context",
      { sessionId: sid },
    );
    expect(context.readiness[op1]?.ready).toBe(false);
    const before = (await t.node.stores.log.head(streamName("session", sid))).seq;
    const r = await fac.send("participant:admit", { id: randomUUID(), sessionId: sid, participantId: op1 });
    expect(codeOf(r)).toBe("RULE_VIOLATION");
    expect(r.ok ? "" : r.error.message).toMatch(/hard stop/i);
    expect((await t.node.stores.log.head(streamName("session", sid))).seq).toBe(before);
  });

  it("[AC3] [AC2] over a whole dosing scenario a participant's socket never receives vitals, adverse events, doses or another participant's words", async () => {
    const fac = await pool.connect("fac1");
    const p1 = await pool.connect("p1");
    const p2 = await pool.connect("p2");
    for (const c of [fac, p1, p2]) await c.ok("session:join", { sessionId: sessionId(), since: null });
    const [p1Id, p2Id] = [await idOf("p1"), await idOf("p2")];
    for (const participantId of [p1Id, p2Id])
      await fac.ok("participant:admit", { id: randomUUID(), sessionId: sessionId(), participantId });
    await fac.ok("dose:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p1Id,
      mg: 25,
      kind: "primary",
    });
    await fac.ok("vitals:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p1Id,
      systolic: 187,
      diastolic: 113,
      heartRate: 97,
    });
    await fac.ok("vitals:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p2Id,
      systolic: 131,
      diastolic: 77,
      heartRate: 61,
    });
    await fac.ok("adverse:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p1Id,
      kind: "behavioral",
      severity: "mild",
      emergencyServicesCalled: false,
      description: "ZZADVERSE wandered toward door",
    });
    await p1.ok("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "struggling",
      text: "ZZPRIVATE words of p1",
    });
    const help = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() });
    t.clock.advance(16_000);
    await t.node.app.tick();
    await fac.ok("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId: help.alertId });
    t.clock.advance(5 * 3600_000);
    await fac.ok("release:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p1Id,
      transportBy: "ZZDRIVER Sam",
      planConfirmed: false,
      planChange: "ZZPLANCHANGE the friend cannot come",
    });
    const last = await p2.ok<{ seq: number }>("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "ok",
    });
    for (const c of [p1, p2])
      await c.until(() => c.events.some((m) => m.event.seq === last.seq), 5000, "the last position");
    // A resync from zero too: the HTTP-free read path sees the same.
    for (const c of [p1, p2])
      await c.ok("stream:sync", { stream: streamName("session", sessionId()), epoch: null, seq: 0 });

    const seenBy = (c: TestClient) => JSON.stringify(c.received);
    for (const c of [p1, p2]) {
      const all = seenBy(c);
      for (const secret of [
        "systolic",
        "diastolic",
        "heartRate",
        "ZZADVERSE",
        "vitals.recorded",
        "adverse.recorded",
        "dose.recorded",
        "participant.released",
        "ZZPLANCHANGE",
      ])
        expect(all).not.toContain(secret);
    }
    // [LIVE10] p1's own phone is told who is taking them home; nobody else's is.
    expect(seenBy(p1)).toContain("ZZDRIVER Sam");
    expect(seenBy(p2)).not.toContain("ZZDRIVER");
    expect(seenBy(p2)).not.toContain("ZZPRIVATE");
    expect(seenBy(p2)).not.toContain(help.alertId);
    // The participant does learn that their request was answered.
    expect(seenBy(p1)).toContain("alert.acknowledged");
  });
});

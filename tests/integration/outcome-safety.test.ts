import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { Ack } from "../../shared/protocol/errors.js";
import type { OutcomeReplies } from "../../shared/protocol/outcomes.js";
import { seedProgram, type ProgramSpec } from "../../server/demo/seed.js";
import type { TestClient } from "../support/client.js";
import { mainCohort } from "../support/fixtures.js";
import { ManualClock, startApp, type Running } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { pushedNotices } from "../support/notices.js";
import { ClientPool } from "../support/pool.js";

/** The main cohort's people in a program of their own with NO live session at all [OUT2]. */
const quiet = (tag: string): ProgramSpec => ({ ...mainCohort(`${tag}q`), liveSession: undefined });
const ITEM9 = [0, 0, 0, 0, 0, 0, 0, 0, 1];
type Submitted = OutcomeReplies["outcome:submit"];

/**
 * Issue 12, "Done when": a participant at home answers the PHQ-9's item 9 above 0 on node A; a
 * facilitator on node B is told within a second; unanswered it escalates at 15 s and 60 s (moved
 * clock, checked on both nodes); any facilitator's answer stops it. One Redis, one ManualClock.
 */
describe("a questionnaire's safety alert", () => {
  let A: Running & { tag: string };
  let B: Running & { tag: string };
  let clock: ManualClock;
  const pool = new ClientPool(() => A);
  const cohortId = () => quiet(A.tag).cohortId;
  const on = (node: Running, key: string) => pool.connect(key, quiet, node.url);
  const tickBoth = () => Promise.all([A.app.tick(), B.app.tick()]);
  const outcomeLog = async (): Promise<StoredEvent[]> =>
    (await A.stores.log.read(streamName("outcome", cohortId()), 0, 1000)).events;
  const submit = (c: TestClient, id: string, answers: number[] = ITEM9) =>
    c.send<Submitted>("outcome:submit", { id, cohortId: cohortId(), visitId: "baseline", instrument: "phq9", answers });

  beforeEach(async () => {
    clock = new ManualClock();
    const prefix = freshPrefix("outsafe");
    A = await startApp("redis", { prefix, clock });
    B = await startApp("redis", { prefix, clock, seed: false });
    await seedProgram(A.app.services, quiet(A.tag));
  });
  afterEach(async () => {
    pool.closeAll();
    await A.stop();
    await B.stop();
  });

  it("[OUT2] [LIVE6] item 9 = 1 on node A with no live session reaches a facilitator on node B within 1 s, escalates at 15 s and 60 s to facilitators and the admin, and stops when another facilitator acknowledges", async () => {
    const fac1 = await on(B, "fac1");
    const admin = await on(B, "admin");
    const fac2 = await on(A, "fac2");
    const p1 = await on(A, "p1");
    const id = randomUUID();
    const sentAt = performance.now();
    const reply = await p1.ok<Submitted>("outcome:submit", {
      id,
      cohortId: cohortId(),
      visitId: "baseline",
      instrument: "phq9",
      answers: ITEM9,
    });
    // [OUT2] Whatever the total: 1 is "minimal", and still an alert, with the crisis line at once.
    expect(reply).toMatchObject({ total: 1, band: { code: "minimal" }, safety: true });
    expect(reply.crisis.map((r) => r.href)).toContain("tel:988");
    const alertId = `$selfharm:${id}`;
    const waiting = (c: TestClient, tier: number) => () =>
      pushedNotices(c).some((n) => n.alertId === alertId && n.state === "waiting" && n.tier === tier);
    await fac1.until(waiting(fac1, 0), 1000, "the safety notice on node B within 1 s");
    console.info(`[OUT2] safety notice on node B ${(performance.now() - sentAt).toFixed(0)} ms after the submit`);
    expect(pushedNotices(fac1).find((n) => n.alertId === alertId)).toMatchObject({
      source: "questionnaire",
      sessionId: null,
      cohortId: cohortId(),
      kind: "selfharm",
      about: `p1 ${A.tag}q`,
      cohortName: "Main cohort",
      answered: null,
    });

    clock.advance(15_000);
    await tickBoth();
    for (const c of [fac1, fac2, admin]) await c.until(waiting(c, 1), 5000, "tier 1 at 15 s");
    clock.advance(45_000);
    await tickBoth();
    for (const c of [fac1, fac2, admin]) await c.until(waiting(c, 2), 5000, "tier 2 at 60 s");

    // Any facilitator answers it, on the other node from the one that escalated last.
    const ack = await fac2.ok<{ by: string; at: string }>("outcome:ack", {
      id: randomUUID(),
      cohortId: cohortId(),
      alertId,
    });
    await fac1.until(
      () => pushedNotices(fac1).some((n) => n.alertId === alertId && n.state === "answered"),
      5000,
      "the answered notice on node B",
    );
    expect(pushedNotices(fac1).find((n) => n.state === "answered")?.answered).toEqual({
      by: `fac2 ${A.tag}q`,
      at: ack.at,
    });

    // Minutes later nothing more is appended about it: no reminder after the answer.
    clock.advance(180_000);
    await tickBoth();
    await tickBoth();
    const log = await outcomeLog();
    expect(log.filter((e) => e.type === "alert.escalated").map((e) => e.data.tier)).toEqual([1, 2]);
    expect(log.filter((e) => e.type === "alert.reminded")).toEqual([]);
    expect(log.filter((e) => e.type === "alert.acknowledged")).toHaveLength(1);
  });

  it("[OUT2] [LOG2] the same submission sent to both nodes at once lands once, with one alert; a second questionnaire for the same visit is refused and writes nothing", async () => {
    const pA = await on(A, "p1");
    const pB = await on(B, "p1");
    const id = randomUUID();
    const [a, b] = await Promise.all([submit(pA, id), submit(pB, id)]);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(b.data).toEqual(a.data);
    const before = await outcomeLog();
    expect(before.map((e) => e.type)).toEqual(["assessment.submitted", "alert.raised"]);
    const again = await submit(pA, randomUUID(), [1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(again).toMatchObject({ ok: false, error: { code: "RULE_VIOLATION" } });
    expect(await outcomeLog()).toHaveLength(before.length);
  });

  it("[OUT2] [AC2] [AC5] bad input is refused with a stable code and writes nothing", async () => {
    const p1 = await on(A, "p1");
    const fac1 = await on(B, "fac1");
    const code = (r: Ack<unknown>) => (r.ok ? "OK" : r.error.code);
    const base = { cohortId: cohortId(), visitId: "baseline", instrument: "phq9" };
    const refusals: [TestClient, string, unknown, string][] = [
      [p1, "outcome:submit", { ...base, id: randomUUID(), answers: [0, 0, 0, 0, 0, 0, 0, 0, 4] }, "INVALID_PAYLOAD"],
      [p1, "outcome:submit", { ...base, id: randomUUID(), answers: [0, 0, 0] }, "INVALID_PAYLOAD"],
      [p1, "outcome:submit", { ...base, id: randomUUID(), answers: [...ITEM9, 0] }, "INVALID_PAYLOAD"],
      [p1, "outcome:submit", { ...base, id: randomUUID(), instrument: "bdi", answers: ITEM9 }, "INVALID_PAYLOAD"],
      // An id chosen to equal the alert id the server would derive: never a client id.
      [p1, "outcome:submit", { ...base, id: "$selfharm:x", answers: ITEM9 }, "INVALID_PAYLOAD"],
      [p1, "outcome:submit", { ...base, id: randomUUID(), visitId: "day-99", answers: ITEM9 }, "NOT_FOUND"],
      // A facilitator cannot answer for a participant; nor a participant for another cohort.
      [fac1, "outcome:submit", { ...base, id: randomUUID(), answers: ITEM9 }, "FORBIDDEN"],
      [p1, "outcome:submit", { ...base, cohortId: `cohort-${A.tag}x`, id: randomUUID(), answers: ITEM9 }, "NOT_FOUND"],
      [p1, "outcome:ack", { id: randomUUID(), cohortId: cohortId(), alertId: "$selfharm:x" }, "FORBIDDEN"],
      [fac1, "outcome:ack", { id: randomUUID(), cohortId: cohortId(), alertId: "$selfharm:nope" }, "NOT_FOUND"],
    ];
    for (const [c, name, payload, expected] of refusals) {
      expect(`${name} ${JSON.stringify(payload)} → ${code(await c.send(name, payload))}`).toBe(
        `${name} ${JSON.stringify(payload)} → ${expected}`,
      );
    }
    expect(await outcomeLog()).toEqual([]);
  });

  it("[OUT2] [AC2] a facilitator of another cohort can neither read nor acknowledge it, and another participant sees only positions", async () => {
    const p1 = await on(A, "p1");
    const id = randomUUID();
    expect((await submit(p1, id)).ok).toBe(true);
    const stranger = await pool.connect("fac1", mainCohort, B.url);
    const ack = await stranger.send("outcome:ack", {
      id: randomUUID(),
      cohortId: cohortId(),
      alertId: `$selfharm:${id}`,
    });
    expect(ack).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const read = await stranger.send("stream:sync", { stream: streamName("outcome", cohortId()), epoch: null, seq: 0 });
    expect(read).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const p2 = await on(B, "p2");
    const sync = await p2.ok<{ events: unknown[] }>("stream:sync", {
      stream: streamName("outcome", cohortId()),
      epoch: null,
      seq: 0,
    });
    expect(sync.events.length).toBe(2);
    expect(sync.events.every((e) => typeof e === "object" && e !== null && "hidden" in e)).toBe(true);
    expect(pushedNotices(stranger)).toEqual([]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { TestClient } from "../support/client.js";
import { mainCohort } from "../support/fixtures.js";
import { ManualClock, startApp, type Running } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { noticeSnapshots, pushedNotices } from "../support/notices.js";
import { ClientPool } from "../support/pool.js";

/**
 * Issue 11, "Alerts and notices": a notice follows its alert. Two nodes on one Redis and one
 * ManualClock; the escalation is checked on both, the acknowledgement lands on the other node.
 */
describe("alert notices follow their alert", () => {
  let A: Running & { tag: string };
  let B: Running & { tag: string };
  let clock: ManualClock;
  const pool = new ClientPool(() => A);

  beforeEach(async () => {
    clock = new ManualClock();
    const prefix = freshPrefix("notice");
    A = await startApp("redis", { prefix, clock });
    B = await startApp("redis", { prefix, clock, seed: false });
  });
  afterEach(async () => {
    pool.closeAll();
    await A.stop();
    await B.stop();
  });

  const sessionId = () => `live-${A.tag}`;
  const on = (node: Running, key: string) => pool.connect(key, mainCohort, node.url);
  const join = (c: TestClient) => c.ok("session:join", { sessionId: sessionId(), since: null });
  const tickBoth = () => Promise.all([A.app.tick(), B.app.tick()]);
  const pushed = pushedNotices;
  const snapshots = noticeSnapshots;

  it("[LIVE6] an escalation notice names the session and cohort, is followed by who answered and when, and a reconnect after the answer brings no 'no response' notice back", async () => {
    const admin = await on(A, "admin");
    const fac = await on(B, "fac1");
    const p1 = await on(A, "p1");
    for (const c of [fac, p1]) await join(c);
    const { alertId } = await p1.ok<{ alertId: string }>("support:request", {
      id: randomUUID(),
      sessionId: sessionId(),
    });

    clock.advance(15_000);
    await tickBoth();
    await admin.until(() => pushed(admin).some((n) => n.alertId === alertId), 5000, "the escalation notice");
    expect(pushed(admin)[0]).toMatchObject({
      alertId,
      sessionId: sessionId(),
      state: "waiting",
      tier: 1,
      sessionTitle: "Dosing day",
      cohortName: "Main cohort",
      about: `p1 ${A.tag}`,
      answered: null,
    });

    const ack = await fac.ok<{ by: string; at: string }>("alert:ack", {
      id: randomUUID(),
      sessionId: sessionId(),
      alertId,
    });
    await admin.until(() => pushed(admin).some((n) => n.state === "answered"), 5000, "the answer's notice");
    const answered = pushed(admin).find((n) => n.state === "answered");
    expect(answered).toMatchObject({ alertId, answered: { by: `fac1 ${A.tag}`, at: ack.at }, closedAt: ack.at });

    // Later ticks (a reminder would be due by now) send nothing more about it.
    clock.advance(120_000);
    await tickBoth();
    await tickBoth();
    // A barrier through the same path: another alert's escalation notice; once it is here,
    // anything those ticks sent about the first alert is too.
    const p2 = await on(B, "p2");
    await join(p2);
    const other = await p2.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() });
    clock.advance(15_000);
    await tickBoth();
    await admin.until(() => pushed(admin).some((n) => n.alertId === other.alertId), 5000, "the barrier notice");
    const afterAnswer = pushed(admin).slice(pushed(admin).findIndex((n) => n.state === "answered"));
    expect(afterAnswer.map((n) => `${n.alertId === alertId ? "first" : "other"} ${n.state}`)).toEqual([
      "first answered",
      "other waiting",
    ]);
    await fac.ok("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId: other.alertId });
    await admin.until(() => pushed(admin).filter((n) => n.state === "answered").length === 2, 5000, "second answer");

    // The admin's tab reloads (a new connection) and the old one reconnects: both get the
    // snapshot of alerts still waiting, and this one is not in it.
    const reloaded = await on(B, "admin");
    admin.socket.disconnect();
    admin.socket.connect();
    await admin.connected();
    await reloaded.until(() => snapshots(reloaded).length === 1, 5000, "the reload's snapshot");
    await admin.until(() => snapshots(admin).length === 2, 5000, "the reconnect's snapshot");
    expect(snapshots(reloaded)[0]?.notices).toEqual([]);
    expect(snapshots(admin).map((s) => s.notices)).toEqual([[], []]);
    expect(pushed(reloaded)).toEqual([]);
  });

  it("[LIVE6] a staff person who connects while an alert still waits gets it in the snapshot, with where it is; answered ones are left out", async () => {
    const fac = await on(A, "fac1");
    const p1 = await on(A, "p1");
    const p2 = await on(A, "p2");
    for (const c of [fac, p1, p2]) await join(c);
    const first = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() });
    const second = await p2.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() });
    clock.advance(60_000);
    await tickBoth();
    await tickBoth();
    await fac.ok("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId: first.alertId });

    const admin = await on(B, "admin");
    await admin.until(() => snapshots(admin).length === 1, 5000, "the snapshot");
    const listed = snapshots(admin)[0]?.notices ?? [];
    expect(listed.map((n) => `${n.alertId} ${n.state} ${n.tier}`)).toEqual([`${second.alertId} waiting 2`]);
    expect(listed[0]).toMatchObject({ sessionTitle: "Dosing day", cohortName: "Main cohort" });
  });
});

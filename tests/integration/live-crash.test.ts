import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { TestClient } from "../support/client.js";
import { useTwoNodes } from "../support/two-nodes.js";

/** Real server processes on real Redis: the node that took an alert dies with kill -9. */
describe("a live alert survives the crash of the node that took it", () => {
  const two = useTwoNodes("lc");
  const full = (c: TestClient, type: string): StoredEvent[] =>
    c.events.map((m) => m.event).filter((e): e is StoredEvent => "type" in e && e.type === type);

  it("[LIVE6] [LOG3] after kill -9 of the node that acknowledged an alert it stays pending and escalates from the other node", async () => {
    const sessionId = `live-${two.tag}`;
    const fac = await two.connect("fac1", 1);
    await fac.ok("session:join", { sessionId, since: null });
    const p1 = await two.connect("p1", 0);
    await p1.ok("session:join", { sessionId, since: null });
    const reply = await p1.ok<{ alertId: string; seq: number }>("support:request", { id: randomUUID(), sessionId });
    await two.node(0).kill9();
    const killedAt = performance.now();
    // Node B never took the request, yet its own check escalates it (15 s, real time).
    await fac.until(
      () => full(fac, "alert.escalated").some((e) => e.data.alertId === reply.alertId && e.data.tier === 1),
      25_000,
      "tier 1 escalation from node B",
    );
    console.info(
      `escalated by the surviving node ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the crash`,
    );
    const raised = (await two.stores.log.read(streamName("session", sessionId), 0, 1000)).events.filter(
      (e) => e.type === "alert.raised",
    );
    expect(raised.map((e) => e.id)).toEqual([reply.alertId]);
    const ack = await fac.ok<{ alertId: string }>("alert:ack", { id: randomUUID(), sessionId, alertId: reply.alertId });
    expect(ack.alertId).toBe(reply.alertId);
  }, 60_000);
});

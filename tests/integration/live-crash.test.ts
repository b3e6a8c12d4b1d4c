import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName, type StoredEvent } from "../../shared/log.js";
import { createRedisStores } from "../../server/stores/redis/index.js";
import type { Stores } from "../../server/stores/types.js";
import { createApp } from "../../server/app.js";
import { seedProgram } from "../../server/demo/seed.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { freshPrefix } from "../support/ids.js";
import { startNodeProcess, type NodeProcess } from "../support/node-process.js";

/** Real server processes on real Redis: the node that took an alert dies with kill -9. */
describe("a live alert survives the crash of the node that took it", () => {
  let prefix: string;
  let tag: string;
  let stores: Stores;
  let nodes: NodeProcess[] = [];
  const clients: TestClient[] = [];

  beforeEach(async () => {
    prefix = freshPrefix("lc");
    tag = prefix.replace(/[^a-z0-9]/gi, "").slice(-8);
    stores = await createRedisStores({ url: inject("redisUrl"), prefix });
    const seeder = createApp({ stores, timers: false });
    await seedProgram(seeder.services, mainCohort(tag));
    await seeder.close();
    nodes = await Promise.all([startNodeProcess({ redisUrl: inject("redisUrl"), prefix, nodeId: "A" }), startNodeProcess({ redisUrl: inject("redisUrl"), prefix, nodeId: "B" })]);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await stores.close();
  });

  async function connect(key: string, on: NodeProcess | undefined): Promise<TestClient> {
    const person = mainCohort(tag).people.find((p) => p.key === key);
    if (!on || !person) throw new Error("no such node or person");
    const c = new TestClient(on.url, await signIn(on.url, person.email, TEST_PASSWORD));
    clients.push(c);
    await c.connected();
    return c;
  }
  const full = (c: TestClient, type: string): StoredEvent[] => c.events.map((m) => m.event).filter((e): e is StoredEvent => "type" in e && e.type === type);

  it("[LIVE6] [LOG3] after kill -9 of the node that acknowledged an alert it stays pending and escalates from the other node", async () => {
    const sessionId = `live-${tag}`;
    const fac = await connect("fac1", nodes[1]);
    await fac.ok("session:join", { sessionId, since: null });
    const p1 = await connect("p1", nodes[0]);
    await p1.ok("session:join", { sessionId, since: null });
    const reply = await p1.ok<{ alertId: string; seq: number }>("support:request", { id: randomUUID(), sessionId });
    await nodes[0]?.kill9();
    const killedAt = performance.now();
    // Node B never took the request, yet its own check escalates it (15 s, real time).
    await fac.until(() => full(fac, "alert.escalated").some((e) => e.data.alertId === reply.alertId && e.data.tier === 1), 25_000, "tier 1 escalation from node B");
    console.info(`escalated by the surviving node ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the crash`);
    const raised = (await stores.log.read(streamName("session", sessionId), 0, 1000)).events.filter((e) => e.type === "alert.raised");
    expect(raised.map((e) => e.id)).toEqual([reply.alertId]);
    const ack = await fac.ok<{ alertId: string }>("alert:ack", { id: randomUUID(), sessionId, alertId: reply.alertId });
    expect(ack.alertId).toBe(reply.alertId);
  }, 60_000);
});

import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { SessionJoined, SyncResult } from "../../shared/protocol/events.js";
import type { TestClient } from "../support/client.js";
import { useTwoNodes } from "../support/two-nodes.js";

/** Two real server processes on one real Redis, as in production behind a load balancer. */
describe("two nodes on one Redis", () => {
  const two = useTwoNodes("mn");
  const [A, B] = [0, 1];
  const connect = (key: string, on: number, reconnection = false): Promise<TestClient> =>
    two.connect(key, on, { reconnection });
  const sessionId = () => `live-${two.tag}`;

  it("[PR3] [PR4] a facilitator on node A sees a participant who is on node B within 1 s, and the reverse", async () => {
    const f1 = await connect("fac1", A);
    await f1.ok("session:join", { sessionId: sessionId(), since: null });
    const p1 = await connect("p1", B);
    const joining = performance.now();
    const joined = await p1.ok<SessionJoined>("session:join", { sessionId: sessionId(), since: null });
    const p1Id = joined.people.find((p) => p.name.startsWith("p1"))?.id ?? "";
    await f1.until(() => f1.presenceOf(p1Id) === "online", 1000, "p1 online on A within 1 s");
    console.info(`presence B→A in ${(performance.now() - joining).toFixed(1)} ms`);
    const f1Id = joined.people.find((p) => p.name.startsWith("fac1"))?.id ?? "";
    expect(joined.presence.find((p) => p.userId === f1Id)?.state).toBe("online");
  });

  it("[LIVE5] a check-in sent on node B reaches the facilitator on node A within 1 s", async () => {
    const f1 = await connect("fac1", A);
    await f1.ok("session:join", { sessionId: sessionId(), since: null });
    const p1 = await connect("p1", B);
    await p1.ok("session:join", { sessionId: sessionId(), since: null });
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const ack = await p1.ok<{ seq: number }>("checkin:send", {
        id: randomUUID(),
        sessionId: sessionId(),
        status: i % 2 ? "ok" : "struggling",
        intensity: i % 11,
      });
      await f1.until(() => f1.events.some((m) => m.event.seq === ack.seq), 1000, `check-in ${i} on node A within 1 s`);
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    // Reported, not asserted beyond the 1 s the until() above enforces per check-in.
    console.info(`check-in B→A latency ms: p50=${latencies[10]?.toFixed(1)} max=${latencies[19]?.toFixed(1)}`);
    expect(latencies).toHaveLength(20);
  });

  it("[LOG4] a client that reconnects to the other node recovers exactly what it missed", async () => {
    const f1 = await connect("fac1", A);
    const joined = await f1.ok<SessionJoined>("session:join", { sessionId: sessionId(), since: null });
    const held = { epoch: joined.sync.epoch, seq: joined.sync.head };
    f1.close();
    const p1 = await connect("p1", B);
    await p1.ok("session:join", { sessionId: sessionId(), since: null });
    const sent: number[] = [];
    for (let i = 0; i < 3; i++)
      sent.push(
        (await p1.ok<{ seq: number }>("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "ok" })).seq,
      );
    const back = await connect("fac1", B);
    const rejoined = await back.ok<SessionJoined>("session:join", { sessionId: sessionId(), since: held });
    const seqs = rejoined.sync.events.map((e) => e.seq);
    expect(seqs[0]).toBe(held.seq + 1);
    expect(seqs).toEqual(Array.from({ length: rejoined.sync.head - held.seq }, (_, i) => held.seq + 1 + i));
    expect(sent.every((s) => seqs.includes(s))).toBe(true);
  });

  it("[LOG2] a command retried on the other node lands once", async () => {
    const pA = await connect("p1", A);
    const pB = await connect("p1", B);
    const cmd = { id: randomUUID(), sessionId: sessionId(), status: "need_support", text: "retry" };
    const [a, b] = await Promise.all([
      pA.ok<{ seq: number }>("checkin:send", cmd),
      pB.ok<{ seq: number }>("checkin:send", cmd),
    ]);
    expect(a.seq).toBe(b.seq);
    const read = await two.stores.log.read(streamName("session", sessionId()), 0, 500);
    expect(read.events.filter((e: StoredEvent) => e.id === cmd.id)).toHaveLength(1);
  });

  it("[PR2] [LOG3] after kill -9 of a node its people show offline within 30 s and every acknowledged event is still there", async () => {
    const f1 = await connect("fac1", A);
    await f1.ok("session:join", { sessionId: sessionId(), since: null });
    const p1 = await connect("p1", B);
    const joined = await p1.ok<SessionJoined>("session:join", { sessionId: sessionId(), since: null });
    const p1Id = joined.people.find((p) => p.name.startsWith("p1"))?.id ?? "";
    await f1.until(() => f1.presenceOf(p1Id) === "online", 5000, "p1 online");
    const acked: number[] = [];
    for (let i = 0; i < 5; i++)
      acked.push(
        (await p1.ok<{ seq: number }>("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "ok" })).seq,
      );
    const killedAt = performance.now();
    await two.node(B).kill9();
    await f1.until(() => f1.presenceOf(p1Id) === "offline", 30_000, "p1 offline within 30 s of the crash");
    const took = performance.now() - killedAt;
    console.info(`offline after kill -9 in ${(took / 1000).toFixed(1)} s`);
    expect(took).toBeLessThan(30_000);
    const sync = await f1.ok<SyncResult>("stream:sync", {
      stream: streamName("session", sessionId()),
      epoch: null,
      seq: 0,
    });
    const seqs = sync.events.map((e) => e.seq);
    expect(acked.every((s) => seqs.includes(s))).toBe(true);
  }, 60_000);
});

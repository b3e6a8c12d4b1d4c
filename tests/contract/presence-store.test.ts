import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConnectionEntry } from "../../shared/protocol/presence.js";
import type { Stores } from "../../server/stores/types.js";
import { backends, until, type Backend } from "./backends.js";

const ROOM = "session:s1";
const HOUR = 3_600_000;

function entry(userId: string, nodeId: string, connId: string, expiresAt: number, state: ConnectionEntry["state"] = "online"): ConnectionEntry {
  return { userId, nodeId, connId, state, expiresAt };
}

const byConn = (a: ConnectionEntry, b: ConnectionEntry) => `${a.nodeId}/${a.connId}`.localeCompare(`${b.nodeId}/${b.connId}`);

describe.each(backends)("PresenceStore contract: %s", (_name, factory) => {
  let backend: Backend;
  let t0: number;
  beforeEach(async () => {
    backend = await factory();
    t0 = Date.now();
  });
  afterEach(async () => {
    await backend.dispose();
  });

  async function twoNodes(): Promise<[Stores, Stores]> {
    const [a, b] = await backend.nodes(2);
    if (!a || !b) throw new Error("no nodes");
    await a.presence.heartbeat("node-a", HOUR, t0 + HOUR);
    await b.presence.heartbeat("node-b", HOUR, t0 + HOUR);
    return [a, b];
  }

  it("[PR1] keeps one entry per connection; upsert of the same connection refreshes it", async () => {
    const [a] = await twoNodes();
    const p = a.presence;
    await p.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await p.upsert(ROOM, entry("u1", "node-a", "c2", t0 + 1000, "away"));
    await p.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 5000, "away"));
    expect((await p.list(ROOM)).sort(byConn)).toEqual([entry("u1", "node-a", "c1", t0 + 5000, "away"), entry("u1", "node-a", "c2", t0 + 1000, "away")]);
    expect(await p.list("session:empty")).toEqual([]);
  });

  it("[PR3] an entry written through one node is seen through another", async () => {
    const [a, b] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await b.presence.upsert(ROOM, entry("u2", "node-b", "c1", t0 + 1000, "away"));
    const seen = (await b.presence.list(ROOM)).sort(byConn);
    expect(seen).toEqual([entry("u1", "node-a", "c1", t0 + 1000), entry("u2", "node-b", "c1", t0 + 1000, "away")]);
    expect(await a.presence.rooms()).toEqual([ROOM]);
  });

  it("[PR1] remove returns true once, false afterwards and for unknown entries", async () => {
    const [a] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c2", t0 + 1000));
    expect(await a.presence.remove(ROOM, "node-a", "c1", "u1")).toBe(true);
    expect(await a.presence.remove(ROOM, "node-a", "c1", "u1")).toBe(false);
    expect(await a.presence.remove(ROOM, "node-a", "c2", "someone-else")).toBe(false);
    expect(await a.presence.remove("session:other", "node-a", "c2", "u1")).toBe(false);
    expect(await a.presence.list(ROOM)).toEqual([entry("u1", "node-a", "c2", t0 + 1000)]);
  });

  it("[PR2] concurrent removes of one entry from two nodes: exactly one reports it", async () => {
    const [a, b] = await twoNodes();
    for (let i = 0; i < 10; i++) await a.presence.upsert(ROOM, entry("u1", "node-a", `c${i}`, t0 + 1000));
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => [a, b].map((n) => n.presence.remove(ROOM, "node-a", `c${i}`, "u1"))).flat());
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await b.presence.list(ROOM)).toEqual([]);
  });

  it("[PR2] setState changes state and expiry of an existing entry, and is a no-op when it is gone", async () => {
    const [a] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await a.presence.setState(ROOM, "node-a", "c1", "u1", "disconnected", t0 + 10_000);
    expect(await a.presence.list(ROOM)).toEqual([entry("u1", "node-a", "c1", t0 + 10_000, "disconnected")]);
    await a.presence.setState(ROOM, "node-a", "c-gone", "u1", "away", t0 + 10_000);
    expect(await a.presence.list(ROOM)).toHaveLength(1);
  });

  it("[PR2] sweep removes entries expired at `now`, keeps live ones, and reports what it removed", async () => {
    const [a] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await a.presence.upsert(ROOM, entry("u2", "node-a", "c2", t0 + 2000, "away"));
    await a.presence.upsert(ROOM, entry("u3", "node-a", "c3", t0 + 9000));
    expect(await a.presence.sweep(ROOM, t0 + 500)).toEqual([]);
    const removed = await a.presence.sweep(ROOM, t0 + 2000);
    expect(removed.sort(byConn)).toEqual([entry("u1", "node-a", "c1", t0 + 1000), entry("u2", "node-a", "c2", t0 + 2000, "away")]);
    expect(await a.presence.list(ROOM)).toEqual([entry("u3", "node-a", "c3", t0 + 9000)]);
    expect(await a.presence.sweep(ROOM, t0 + 2000)).toEqual([]);
    expect(await a.presence.sweep("session:never", t0)).toEqual([]);
  });

  it("[PR2] sweep removes the entries of a node whose heartbeat lapsed, not those of live nodes", async () => {
    const [a, b] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + HOUR));
    await b.presence.upsert(ROOM, entry("u2", "node-dying", "c1", t0 + HOUR));
    await b.presence.heartbeat("node-dying", 30, t0 + HOUR); // then it "crashes": no more heartbeats
    const removed: ConnectionEntry[] = [];
    await until(async () => {
      removed.push(...(await a.presence.sweep(ROOM, Date.now())));
      return removed.length > 0 ? true : undefined;
    }, "the dead node's entry to be swept");
    expect(removed).toEqual([entry("u2", "node-dying", "c1", t0 + HOUR)]);
    expect(await b.presence.list(ROOM)).toEqual([entry("u1", "node-a", "c1", t0 + HOUR)]);
  });

  it("[PR2] two nodes sweeping at once report each removed entry exactly once", async () => {
    const [a, b] = await twoNodes();
    for (let i = 0; i < 30; i++) await (i % 2 ? a : b).presence.upsert(ROOM, entry(`u${i}`, i % 2 ? "node-a" : "node-b", `c${i}`, i < 20 ? t0 + 100 : t0 + HOUR));
    const sweeps = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).presence.sweep(ROOM, t0 + 1000)));
    const reported = sweeps.flat().map((e) => e.userId).sort();
    expect(reported).toEqual(Array.from({ length: 20 }, (_, i) => `u${i}`).sort());
    expect(await a.presence.list(ROOM)).toHaveLength(10);
  });

  it("[PR2] heartbeat pushes the expiry of its node's entries, but not of other nodes or of dropped connections in grace", async () => {
    const [a, b] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await a.presence.upsert("session:s2", entry("u1", "node-a", "c2", t0 + 1000, "away"));
    await a.presence.upsert(ROOM, entry("u2", "node-a", "c3", t0 + 1000));
    await a.presence.setState(ROOM, "node-a", "c3", "u2", "disconnected", t0 + 1500);
    await b.presence.upsert(ROOM, entry("u3", "node-b", "c1", t0 + 1000));
    await a.presence.upsert(ROOM, entry("u4", "node-a", "c4", t0 + 50_000));

    await a.presence.heartbeat("node-a", HOUR, t0 + 30_000);

    expect((await b.presence.list(ROOM)).sort(byConn)).toEqual([
      entry("u1", "node-a", "c1", t0 + 30_000),
      entry("u2", "node-a", "c3", t0 + 1500, "disconnected"),
      entry("u4", "node-a", "c4", t0 + 50_000), // never shortened
      entry("u3", "node-b", "c1", t0 + 1000),
    ]);
    expect(await b.presence.list("session:s2")).toEqual([entry("u1", "node-a", "c2", t0 + 30_000, "away")]);
    // So a sweep after the old expiry keeps the refreshed entries.
    const removed = await b.presence.sweep(ROOM, t0 + 2000);
    expect(removed.map((e) => e.userId).sort()).toEqual(["u2", "u3"]);
  });

  it("rooms lists rooms with entries and forgets a room once it is empty", async () => {
    const [a] = await twoNodes();
    expect(await a.presence.rooms()).toEqual([]);
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await a.presence.upsert("session:s2", entry("u1", "node-a", "c2", t0 + HOUR));
    expect((await a.presence.rooms()).sort()).toEqual([ROOM, "session:s2"]);
    await a.presence.sweep(ROOM, t0 + 5000);
    await a.presence.remove("session:s2", "node-a", "c2", "u1");
    expect(await a.presence.rooms()).toEqual([]);
  });

  it("[PR2] break flags are per person and per room", async () => {
    const [a, b] = await twoNodes();
    expect(await a.presence.onBreak(ROOM)).toEqual(new Set());
    await a.presence.setOnBreak(ROOM, "f1", true);
    await a.presence.setOnBreak(ROOM, "f2", true);
    await b.presence.setOnBreak(ROOM, "f2", false);
    await b.presence.setOnBreak(ROOM, "f3", false);
    expect(await b.presence.onBreak(ROOM)).toEqual(new Set(["f1"]));
    expect(await b.presence.onBreak("session:s2")).toEqual(new Set());
  });

  it("refuses ids that would make an entry's name ambiguous", async () => {
    const [a] = await twoNodes();
    await expect(a.presence.upsert(ROOM, entry("u|1", "node-a", "c1", t0))).rejects.toThrow(/userId/);
    await expect(a.presence.heartbeat("node|a", 1000, t0)).rejects.toThrow(/nodeId/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConnectionEntry } from "../../shared/protocol/presence.js";
import { WHILE_NODE_ALIVE, type Stores, type SweptEntry } from "../../server/stores/types.js";
import { backends, until, type Backend } from "./backends.js";

const ROOM = "session:s1";
const HOUR = 3_600_000;

function entry(
  userId: string,
  nodeId: string,
  connId: string,
  expiresAt: number,
  state: ConnectionEntry["state"] = "online",
): ConnectionEntry {
  return { userId, nodeId, connId, state, expiresAt };
}

const byConn = (a: ConnectionEntry, b: ConnectionEntry) =>
  `${a.nodeId}/${a.connId}`.localeCompare(`${b.nodeId}/${b.connId}`);
const byRoomConn = (a: SweptEntry, b: SweptEntry) => a.room.localeCompare(b.room) || byConn(a.entry, b.entry);
const swept = (room: string, e: ConnectionEntry): SweptEntry => ({ room, entry: e });

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
    await a.presence.heartbeat("node-a", HOUR);
    await b.presence.heartbeat("node-b", HOUR);
    return [a, b];
  }

  it("[PR1] keeps one entry per connection; upsert of the same connection refreshes it", async () => {
    const [a] = await twoNodes();
    const p = a.presence;
    await p.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await p.upsert(ROOM, entry("u1", "node-a", "c2", t0 + 1000, "away"));
    await p.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 5000, "away"));
    expect((await p.list(ROOM)).sort(byConn)).toEqual([
      entry("u1", "node-a", "c1", t0 + 5000, "away"),
      entry("u1", "node-a", "c2", t0 + 1000, "away"),
    ]);
    expect(await p.list("session:empty")).toEqual([]);
  });

  it("[PR3] an entry written through one node is seen through another", async () => {
    const [a, b] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await b.presence.upsert(ROOM, entry("u2", "node-b", "c1", t0 + 1000, "away"));
    const seen = (await b.presence.list(ROOM)).sort(byConn);
    expect(seen).toEqual([entry("u1", "node-a", "c1", t0 + 1000), entry("u2", "node-b", "c1", t0 + 1000, "away")]);
    expect((await a.presence.list(ROOM)).sort(byConn)).toEqual(seen);
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
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => [a, b].map((n) => n.presence.remove(ROOM, "node-a", `c${i}`, "u1"))).flat(),
    );
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
    expect(await a.presence.sweep(t0 + 500)).toEqual([]);
    const removed = await a.presence.sweep(t0 + 2000);
    expect(removed.sort(byRoomConn)).toEqual([
      swept(ROOM, entry("u1", "node-a", "c1", t0 + 1000)),
      swept(ROOM, entry("u2", "node-a", "c2", t0 + 2000, "away")),
    ]);
    expect(await a.presence.list(ROOM)).toEqual([entry("u3", "node-a", "c3", t0 + 9000)]);
    expect(await a.presence.sweep(t0 + 2000)).toEqual([]);
  });

  it("[PR2] sweep removes the entries of a node whose heartbeat lapsed, not those of live nodes", async () => {
    const [a, b] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + HOUR));
    await b.presence.upsert(ROOM, entry("u2", "node-dying", "c1", t0 + HOUR));
    await b.presence.heartbeat("node-dying", 30); // then it "crashes": no more heartbeats
    const removed: SweptEntry[] = [];
    await until(async () => {
      removed.push(...(await a.presence.sweep(Date.now())));
      return removed.length > 0 ? true : undefined;
    }, "the dead node's entry to be swept");
    expect(removed).toEqual([swept(ROOM, entry("u2", "node-dying", "c1", t0 + HOUR))]);
    expect(await b.presence.list(ROOM)).toEqual([entry("u1", "node-a", "c1", t0 + HOUR)]);
  });

  it("[PR2] two nodes sweeping at once report each removed entry exactly once", async () => {
    const [a, b] = await twoNodes();
    for (let i = 0; i < 30; i++)
      await (i % 2 ? a : b).presence.upsert(
        ROOM,
        entry(`u${i}`, i % 2 ? "node-a" : "node-b", `c${i}`, i < 20 ? t0 + 100 : t0 + HOUR),
      );
    const sweeps = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).presence.sweep(t0 + 1000)));
    const reported = sweeps
      .flat()
      .map((e) => e.entry.userId)
      .sort();
    expect(reported).toEqual(Array.from({ length: 20 }, (_, i) => `u${i}`).sort());
    expect(await a.presence.list(ROOM)).toHaveLength(10);
  });

  it("[PR2] a heartbeat keeps its node's entries without touching them; deadlines still apply, whatever the nodes", async () => {
    const [a, b] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", WHILE_NODE_ALIVE));
    await a.presence.upsert("session:s2", entry("u1", "node-a", "c2", WHILE_NODE_ALIVE, "away"));
    await a.presence.upsert(ROOM, entry("u2", "node-a", "c3", WHILE_NODE_ALIVE));
    await a.presence.setState(ROOM, "node-a", "c3", "u2", "disconnected", t0 + 1500);
    await b.presence.upsert(ROOM, entry("u3", "node-b", "c1", t0 + 1000));
    await a.presence.upsert(ROOM, entry("u4", "node-a", "c4", t0 + 50_000));

    await a.presence.heartbeat("node-a", HOUR);

    expect((await b.presence.list(ROOM)).sort(byConn)).toEqual([
      entry("u1", "node-a", "c1", WHILE_NODE_ALIVE),
      entry("u2", "node-a", "c3", t0 + 1500, "disconnected"),
      entry("u4", "node-a", "c4", t0 + 50_000), // never shortened
      entry("u3", "node-b", "c1", t0 + 1000),
    ]);
    // Long past every deadline but within the heartbeats: only the entries with one go.
    const removed = await b.presence.sweep(t0 + HOUR / 2);
    expect(removed.map((e) => e.entry.userId).sort()).toEqual(["u2", "u3", "u4"]);
    expect(await a.presence.list(ROOM)).toEqual([entry("u1", "node-a", "c1", WHILE_NODE_ALIVE)]);
    expect(await a.presence.list("session:s2")).toEqual([entry("u1", "node-a", "c2", WHILE_NODE_ALIVE, "away")]);
  });

  it("[PR2] a grace entry whose connection is set back to a connected state loses its deadline", async () => {
    const [a] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", WHILE_NODE_ALIVE));
    await a.presence.setState(ROOM, "node-a", "c1", "u1", "disconnected", t0 + 1000);
    await a.presence.setState(ROOM, "node-a", "c1", "u1", "away", WHILE_NODE_ALIVE);
    expect(await a.presence.sweep(t0 + HOUR / 2)).toEqual([]);
    expect(await a.presence.list(ROOM)).toEqual([entry("u1", "node-a", "c1", WHILE_NODE_ALIVE, "away")]);
  });

  it("[PR2] a node that never sent a heartbeat is not alive: its entries go at the next sweep", async () => {
    const [a] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-silent", "c1", WHILE_NODE_ALIVE));
    await a.presence.upsert(ROOM, entry("u2", "node-a", "c1", WHILE_NODE_ALIVE));
    expect(await a.presence.sweep(t0)).toEqual([swept(ROOM, entry("u1", "node-silent", "c1", WHILE_NODE_ALIVE))]);
    // Forgotten, it starts again like any node: a heartbeat makes its new entries count.
    await a.presence.heartbeat("node-silent", HOUR);
    await a.presence.upsert(ROOM, entry("u1", "node-silent", "c2", WHILE_NODE_ALIVE));
    expect(await a.presence.sweep(t0)).toEqual([]);
    expect((await a.presence.list(ROOM)).map((e) => e.connId).sort()).toEqual(["c1", "c2"]);
  });

  it("[PR2] one sweep covers every room and reports each removed entry with its room", async () => {
    const [a] = await twoNodes();
    await a.presence.upsert(ROOM, entry("u1", "node-a", "c1", t0 + 1000));
    await a.presence.upsert("session:s2", entry("u1", "node-a", "c2", t0 + 1000, "away"));
    await a.presence.upsert("session:s3", entry("u2", "node-a", "c3", t0 + HOUR));
    const removed = await a.presence.sweep(t0 + 5000);
    expect(removed.sort(byRoomConn)).toEqual([
      swept(ROOM, entry("u1", "node-a", "c1", t0 + 1000)),
      swept("session:s2", entry("u1", "node-a", "c2", t0 + 1000, "away")),
    ]);
    expect(await a.presence.list(ROOM)).toEqual([]);
    expect(await a.presence.list("session:s2")).toEqual([]);
    expect(await a.presence.list("session:s3")).toEqual([entry("u2", "node-a", "c3", t0 + HOUR)]);
  });

  it("[PR3] a room never lists the entries of another room whose name starts like it", async () => {
    const [a] = await twoNodes();
    const rooms = ["s", "s1", "su1", "s|u1|node-a", "1:s", "sé", "s\u00ff"];
    for (const [i, room] of rooms.entries())
      await a.presence.upsert(room, entry("u1", "node-a", `c${i}`, WHILE_NODE_ALIVE));
    for (const [i, room] of rooms.entries())
      expect(await a.presence.list(room)).toEqual([entry("u1", "node-a", `c${i}`, WHILE_NODE_ALIVE)]);
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
    await expect(a.presence.heartbeat("node|a", 1000)).rejects.toThrow(/nodeId/);
  });
});

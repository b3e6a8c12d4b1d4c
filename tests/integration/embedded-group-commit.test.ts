import { fdatasync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DraftEvent } from "../../shared/log.js";
import { EmbeddedKvStore } from "../../server/stores/embedded/kv-store.js";
import { EmbeddedLogStore } from "../../server/stores/embedded/log-store.js";
import type { SyncFn } from "../../server/stores/embedded/journal.js";
import { ConflictError } from "../../server/stores/types.js";
import { stringMatching } from "../support/matchers.js";

const S = "session:g1";
const AT = "2026-01-01T00:00:00.000Z";

function draft(id: string): DraftEvent {
  return { id, type: "note.added", actor: "u1", at: AT, data: { id } };
}

function one(id: string): { owner: string; events: DraftEvent[]; touches: string[][] } {
  return { owner: "$", events: [draft(id)], touches: [["*"]] };
}

/** One call of the held sync: the test decides when (and whether) it completes. */
interface HeldSync {
  release(): void;
  fail(err: Error): void;
}

/** Every held sync not yet released or failed: a failing test's teardown releases them, so close() ends. */
const stillHeld = new Set<HeldSync>();

/**
 * A sync that waits for the test: each call is held until released (then really fdatasyncs) or
 * failed. `called(n)` resolves once the journal has asked for n syncs — its bytes are written by then.
 */
function heldSync(): { sync: SyncFn; calls: HeldSync[]; called(n: number): Promise<void> } {
  const calls: HeldSync[] = [];
  const waiting: { n: number; resolve(): void }[] = [];
  const sync: SyncFn = (fd) =>
    new Promise<void>((resolve, reject) => {
      const held: HeldSync = {
        release: () => {
          stillHeld.delete(held);
          fdatasync(fd, (err) => (err ? reject(err) : resolve()));
        },
        fail: (err) => {
          stillHeld.delete(held);
          reject(err);
        },
      };
      stillHeld.add(held);
      calls.push(held);
      for (const w of waiting.filter((x) => calls.length >= x.n)) w.resolve();
    });
  const called = (n: number) =>
    calls.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }));
  return { sync, calls, called };
}

/** Settles-or-not probe: whether `p` has settled once everything already queued has run. */
async function settledYet(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  // One full turn of the event loop: every continuation that could already run has run.
  await new Promise((r) => setImmediate(r));
  return settled;
}

function call(hold: ReturnType<typeof heldSync>, i: number): HeldSync {
  const c = hold.calls[i];
  if (!c) throw new Error(`sync ${i} was never asked for`);
  return c;
}

describe("embedded journal group commit", () => {
  let dir: string;
  let file: string;
  const open: { close(): Promise<void> }[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "holdspace-group-"));
    file = join(dir, "log.jsonl");
  });
  afterEach(async () => {
    for (const held of [...stillHeld]) held.release();
    await Promise.all(open.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });
  async function logStore(sync?: SyncFn): Promise<EmbeddedLogStore> {
    const store = await EmbeddedLogStore.open(file, sync ? { sync } : {});
    open.push(store);
    return store;
  }

  it("[LOG3] 200 concurrent appends to 50 streams all land in order and share far fewer fdatasyncs", async () => {
    const log = await logStore();
    const streams = Array.from({ length: 50 }, (_, i) => `session:s${i}`);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => log.append(streams[i % 50] ?? S, one(`e${i}`))),
    );
    const { appends, syncs } = log.stats();
    expect(appends).toBe(200);
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThan(appends / 4);
    expect(results.every((r) => !r.duplicate)).toBe(true);
    for (const [n, stream] of streams.entries()) {
      const read = await log.read(stream, 0, 10);
      expect(read.events.map((e) => e.id)).toEqual([0, 1, 2, 3].map((k) => `e${n + 50 * k}`));
      expect(read.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    }
    await log.close();
    const again = await logStore();
    expect((await again.read("session:s7", 0, 10)).events.map((e) => e.id)).toEqual(["e7", "e57", "e107", "e157"]);
  });

  it("[LOG3] an append is neither acknowledged nor visible to read, readMany, head or lookup before its fdatasync completed", async () => {
    const hold = heldSync();
    const log = await logStore(hold.sync);
    const first = log.append(S, one("a"));
    await hold.called(1);
    // Written to the file already, but not durable: nobody may see it or be told it landed.
    expect(await readFile(file, "utf8")).toContain('"a"');
    expect(await settledYet(first)).toBe(false);
    expect(await log.read(S, 0, 10)).toEqual({ epoch: null, events: [], head: 0 });
    expect(await log.head(S)).toEqual({ epoch: null, seq: 0 });
    expect(await log.lookup(S, "a")).toBeNull();
    call(hold, 0).release();
    const a = await first;
    expect((await log.head(S)).seq).toBe(1);

    const second = log.append(S, one("b"));
    await hold.called(2);
    expect(await settledYet(second)).toBe(false);
    expect((await log.read(S, 0, 10)).events.map((e) => e.id)).toEqual(["a"]);
    expect(await log.readMany([{ stream: S, afterSeq: 0, limit: 10 }])).toEqual([
      { epoch: a.events[0]?.epoch, events: a.events, head: 1 },
    ]);
    expect(await log.head(S)).toMatchObject({ seq: 1 });
    expect(await log.lookup(S, "b")).toBeNull();
    // The next append still decides after the pending one: seq 3, not 2.
    const third = log.append(S, one("c"));
    call(hold, 1).release();
    expect((await second).events[0]?.seq).toBe(2);
    await hold.called(3);
    call(hold, 2).release();
    expect((await third).events[0]?.seq).toBe(3);
    expect((await log.read(S, 0, 10)).events.map((e) => e.id)).toEqual(["a", "b", "c"]);
    expect(await log.lookup(S, "b")).toMatchObject({ owner: "$" });
  });

  it("[LOG3] a failed fdatasync rejects its whole group and every later append; the store then refuses reads, and a reopen shows only what was durable", async () => {
    const hold = heldSync();
    const log = await logStore(hold.sync);
    const durable = log.append(S, one("kept"));
    await hold.called(1);
    call(hold, 0).release();
    await durable;
    const sizeDurable = (await readFile(file)).length;

    // One group of two, then a second group queued behind it while its sync is in flight.
    const group1 = [log.append(S, one("g1a")), log.append("session:other", one("g1b"))];
    await hold.called(2);
    const group2 = [log.append(S, one("g2a")), log.append(S, one("g2b"))];
    expect(await settledYet(Promise.race(group2))).toBe(false);
    call(hold, 1).fail(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    const outcomes = await Promise.allSettled([...group1, ...group2]);
    expect(
      outcomes.map((o) => (o.status === "rejected" && o.reason instanceof Error ? o.reason.message : o.status)),
    ).toEqual(Array.from({ length: 4 }, () => stringMatching(/EIO/)));
    expect(hold.calls).toHaveLength(2); // the second group was never synced
    expect(log.stats()).toMatchObject({ appends: 5, syncs: 2 });

    await expect(log.append(S, one("later"))).rejects.toThrow(/log store stopped.*journal failed/);
    await expect(log.read(S, 0, 10)).rejects.toThrow(/log store stopped/);
    await expect(log.readMany([{ stream: S, afterSeq: 0, limit: 10 }])).rejects.toThrow(/log store stopped/);
    await expect(log.head(S)).rejects.toThrow(/log store stopped/);
    await expect(log.lookup(S, "kept")).rejects.toThrow(/log store stopped/);
    await log.close();

    // The failed group's bytes were cut off again.
    expect((await readFile(file)).length).toBe(sizeDurable);
    const again = await logStore();
    expect((await again.read(S, 0, 10)).events.map((e) => e.id)).toEqual(["kept"]);
    expect(await again.head("session:other")).toEqual({ epoch: null, seq: 0 });
  });

  it("[LOG2] [LOG3] a duplicate id of a batch still waiting for its fdatasync waits, then answers duplicate", async () => {
    const hold = heldSync();
    const log = await logStore(hold.sync);
    const original = log.append(S, { owner: "u1/cmd", events: [draft("x1"), draft("x2")], touches: [["*"], ["*"]] });
    await hold.called(1);
    const retry = log.append(S, { owner: "u1/cmd", events: [draft("x2")], touches: [["*"]] });
    expect(await settledYet(retry)).toBe(false);
    call(hold, 0).release();
    const [first, dup] = await Promise.all([original, retry]);
    expect(first.duplicate).toBe(false);
    expect(dup).toEqual({ events: first.events, duplicate: true, owner: "u1/cmd", matchedId: "x2" });
    expect(log.stats().syncs).toBe(1); // the duplicate wrote nothing
  });

  it("[LOG3] a guard refused by a batch still waiting for its fdatasync is answered once that batch is readable", async () => {
    const hold = heldSync();
    const log = await logStore(hold.sync);
    const first = log.append(S, one("a"));
    await hold.called(1);
    const guarded = log.append(S, one("b"), { seq: 0, scopes: "stream" });
    expect(await settledYet(guarded)).toBe(false);
    call(hold, 0).release();
    await first;
    await expect(guarded).rejects.toBeInstanceOf(ConflictError);
    // The caller's re-read sees what it conflicted with.
    expect((await log.head(S)).seq).toBe(1);
  });

  it("[LOG3] [LOG4] snapshots and trims go through the same journal and apply once durable", async () => {
    const hold = heldSync();
    const log = await logStore(hold.sync);
    const appends = [log.append(S, one("a")), log.append(S, one("b"))];
    await hold.called(1);
    call(hold, 0).release();
    await Promise.all(appends);
    const saved = log.saveSnapshot(S, { seq: 2, data: "two" });
    await hold.called(2);
    expect(await log.loadSnapshot(S)).toBeNull();
    call(hold, 1).release();
    expect(await saved).toBe(true);
    expect(await log.loadSnapshot(S)).toEqual({ seq: 2, data: "two" });
    const trimmed = log.trim(S, 2);
    await hold.called(3);
    expect((await log.read(S, 0, 10)).events).toHaveLength(2);
    call(hold, 2).release();
    expect(await trimmed).toBe(2);
    expect((await log.read(S, 0, 10)).events).toEqual([]);
    await log.close();
    const again = await logStore();
    expect(await again.head(S)).toMatchObject({ seq: 2 });
    expect(await again.loadSnapshot(S)).toEqual({ seq: 2, data: "two" });
  });
});

describe("embedded kv group commit", () => {
  let dir: string;
  const open: { close(): Promise<void> }[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "holdspace-kvgroup-"));
  });
  afterEach(async () => {
    for (const held of [...stillHeld]) held.release();
    await Promise.all(open.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it("[LOG3] a kv write is visible once durable; writes decided meanwhile see it (nx, incr)", async () => {
    const hold = heldSync();
    const kv = await EmbeddedKvStore.open(join(dir, "kv.jsonl"), Date.now, { sync: hold.sync });
    open.push(kv);
    const set = kv.set("k", "v");
    await hold.called(1);
    expect(await kv.get("k")).toBeNull();
    const nx = kv.set("k", "other", { nx: true });
    expect(await settledYet(nx)).toBe(false);
    call(hold, 0).release();
    expect(await set).toBe(true);
    expect(await nx).toBe(false);
    expect(await kv.get("k")).toBe("v");

    // 100 concurrent increments: none lost, one group's sync for all of them.
    const counts = Promise.all(Array.from({ length: 100 }, () => kv.incr("n", 60_000)));
    await hold.called(2);
    call(hold, 1).release();
    expect((await counts).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await kv.get("n")).toBe("100");
    expect(hold.calls).toHaveLength(2);
  });
});

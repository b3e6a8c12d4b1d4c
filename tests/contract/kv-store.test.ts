import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmbeddedStores, KV_JOURNAL } from "../../server/stores/embedded/index.js";
import { backends, until, type Backend } from "./backends.js";

describe.each(backends)("KvStore contract: %s", (_name, factory) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await factory();
  });
  afterEach(async () => {
    await backend.dispose();
  });

  it("gets what was set, null for what was not, and forgets what was deleted", async () => {
    const { kv } = await backend.open();
    expect(await kv.get("user:1")).toBeNull();
    expect(await kv.set("user:1", '{"name":"Ada"}')).toBe(true);
    expect(await kv.get("user:1")).toBe('{"name":"Ada"}');
    expect(await kv.set("user:1", "v2")).toBe(true);
    expect(await kv.get("user:1")).toBe("v2");
    await kv.del("user:1");
    await kv.del("never-set");
    expect(await kv.get("user:1")).toBeNull();
  });

  it("nx refuses to overwrite an existing key", async () => {
    const { kv } = await backend.open();
    expect(await kv.set("k", "first", { nx: true })).toBe(true);
    expect(await kv.set("k", "second", { nx: true })).toBe(false);
    expect(await kv.get("k")).toBe("first");
  });

  it("nx lets exactly one of several racing nodes claim a key", async () => {
    const [n1, n2] = await backend.nodes(2);
    if (!n1 || !n2) throw new Error("no nodes");
    const wins = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? n1 : n2).kv.set("lease", `holder-${i}`, { nx: true })),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await n1.kv.get("lease")).toBe(`holder-${wins.indexOf(true)}`);
  });

  it("a value with ttlMs is there until it expires, then gone (and free for nx)", async () => {
    const { kv } = await backend.open();
    await kv.set("long", "stays", { ttlMs: 60_000 });
    await kv.set("short", "goes", { ttlMs: 40 });
    expect(await kv.get("short")).toBe("goes");
    await until(async () => ((await kv.get("short")) === null ? true : undefined), "short ttl expiry");
    expect(await kv.take("short")).toBeNull();
    expect(await kv.get("long")).toBe("stays");
    expect(await kv.set("short", "again", { nx: true })).toBe(true);
    expect(await kv.get("short")).toBe("again");
  });

  it("take returns the value once, then null", async () => {
    const { kv } = await backend.open();
    await kv.set("invite:abc", "cohort-1");
    expect(await kv.take("invite:abc")).toBe("cohort-1");
    expect(await kv.take("invite:abc")).toBeNull();
    expect(await kv.get("invite:abc")).toBeNull();
    expect(await kv.take("never-set")).toBeNull();
  });

  it("two concurrent takes of one token on two nodes: exactly one wins", async () => {
    const [n1, n2] = await backend.nodes(2);
    if (!n1 || !n2) throw new Error("no nodes");
    for (let round = 0; round < 10; round++) {
      await n1.kv.set(`token:${round}`, `value-${round}`);
      const got = await Promise.all([n1.kv.take(`token:${round}`), n2.kv.take(`token:${round}`)]);
      expect(got.filter((v) => v !== null)).toEqual([`value-${round}`]);
    }
  });

  it("incr counts from 1, and concurrent increments on two nodes are counted exactly", async () => {
    const [n1, n2] = await backend.nodes(2);
    if (!n1 || !n2) throw new Error("no nodes");
    expect(await n1.kv.incr("fails:a", 60_000)).toBe(1);
    expect(await n2.kv.incr("fails:a", 60_000)).toBe(2);
    const counts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? n1 : n2).kv.incr("fails:b", 60_000)),
    );
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await n1.kv.get("fails:b")).toBe("40");
    expect(await n1.kv.get("fails:a")).toBe("2");
  });

  it("incr sets the expiry on the first increment only: the window is not extended", async () => {
    const { kv } = await backend.open();
    expect(await kv.incr("window", 150)).toBe(1);
    expect(await kv.incr("window", 60_000)).toBe(2);
    // Had the second increment moved the expiry to a minute, this would never lapse.
    await until(async () => ((await kv.get("window")) === null ? true : undefined), "counter window expiry");
    expect(await kv.incr("window", 60_000)).toBe(1);
  });

  it("a counter and its expiry survive reopening the store", async () => {
    const first = await backend.open();
    await first.kv.incr("count", 60_000);
    await first.kv.incr("count", 60_000);
    await first.close();
    const again = await backend.open();
    expect(await again.kv.incr("count", 60_000)).toBe(3);
    expect(await again.kv.set("count", "x", { nx: true })).toBe(false);
  });

  it("values, deletes, takes and expiries survive reopening the store", async () => {
    const first = await backend.open();
    await first.kv.set("kept", "yes");
    await first.kv.set("with-ttl", "until later", { ttlMs: 60_000 });
    await first.kv.set("deleted", "x");
    await first.kv.del("deleted");
    await first.kv.set("taken", "once");
    expect(await first.kv.take("taken")).toBe("once");
    await first.kv.set("overwritten", "old");
    await first.kv.set("overwritten", "new");
    await first.close();

    const again = await backend.open();
    expect(await again.kv.get("kept")).toBe("yes");
    expect(await again.kv.get("with-ttl")).toBe("until later");
    expect(await again.kv.get("deleted")).toBeNull();
    expect(await again.kv.take("taken")).toBeNull();
    expect(await again.kv.get("overwritten")).toBe("new");
    // The expiry is kept too: nx still sees the key.
    expect(await again.kv.set("with-ttl", "other", { nx: true })).toBe(false);
  });
});

describe("embedded kv journal", () => {
  let dir: string;
  let clock: number;
  const now = () => clock;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "holdspace-kv-"));
    clock = 1_000_000;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("expiry follows the injected clock, and is kept as an absolute time across a restart", async () => {
    const first = await createEmbeddedStores({ dataDir: dir, now });
    await first.kv.set("k", "v", { ttlMs: 1000 });
    clock += 999;
    expect(await first.kv.get("k")).toBe("v");
    await first.close();
    const second = await createEmbeddedStores({ dataDir: dir, now });
    expect(await second.kv.get("k")).toBe("v");
    clock += 1;
    expect(await second.kv.get("k")).toBeNull();
    await second.close();
  });

  it("incr's window follows the injected clock, across a restart", async () => {
    const first = await createEmbeddedStores({ dataDir: dir, now });
    expect(await first.kv.incr("n", 1000)).toBe(1);
    clock += 600;
    expect(await first.kv.incr("n", 1000)).toBe(2);
    await first.close();
    const second = await createEmbeddedStores({ dataDir: dir, now });
    clock += 399;
    expect(await second.kv.get("n")).toBe("2");
    clock += 1;
    expect(await second.kv.get("n")).toBeNull();
    expect(await second.kv.incr("n", 1000)).toBe(1);
    await second.close();
  });

  it("reopening compacts away dead records and ignores a torn last line", async () => {
    const first = await createEmbeddedStores({ dataDir: dir, now });
    for (let i = 0; i < 5; i++) await first.kv.set("counter", String(i));
    await first.kv.set("gone", "x", { ttlMs: 10 });
    await first.kv.set("deleted", "x");
    await first.kv.del("deleted");
    await first.close();
    const file = join(dir, KV_JOURNAL);
    await appendFile(file, '{"op":"set","k":"torn","v":"hal');
    clock += 10;

    const second = await createEmbeddedStores({ dataDir: dir, now });
    expect(await second.kv.get("counter")).toBe("4");
    expect(await second.kv.get("torn")).toBeNull();
    expect((await readFile(file, "utf8")).trim().split("\n")).toHaveLength(1);
    await second.kv.set("after", "ok");
    await second.close();

    const third = await createEmbeddedStores({ dataDir: dir, now });
    expect(await third.kv.get("after")).toBe("ok");
    expect(await third.kv.get("counter")).toBe("4");
    await third.close();
  });
});

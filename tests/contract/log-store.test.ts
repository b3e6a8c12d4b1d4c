import { spawn } from "node:child_process";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import type { DraftEvent, StreamName } from "../../shared/log.js";
import { JournalCorruptError, LOG_JOURNAL } from "../../server/stores/embedded/index.js";
import { ConflictError } from "../../server/stores/types.js";
import { backends, embedded, until, type Backend } from "./backends.js";
import { appendOne, lookupOne } from "../support/log-helpers.js";

const S: StreamName = "session:s1";
const T: StreamName = "cohort:c1";

function draft(id: string, data: Record<string, unknown> = {}): DraftEvent {
  return { id, type: "note.added", actor: "u-facilitator", at: "2030-01-02T03:04:05.000Z", data };
}

describe.each(backends)("LogStore contract: %s", (_name, factory) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await factory();
  });
  afterEach(async () => {
    await backend.dispose();
  });

  it("[LOG1] assigns seq 1,2,3 per stream with no gaps", async () => {
    const { log } = await backend.open();
    const a = await appendOne(log, S, draft("a", { n: 1 }));
    const b = await appendOne(log, S, draft("b"));
    const other = await appendOne(log, T, draft("a"));
    const c = await appendOne(log, S, draft("c"));
    expect([a, b, c].map((r) => r.event.seq)).toEqual([1, 2, 3]);
    expect([a, b, c].every((r) => !r.duplicate)).toBe(true);
    expect(other.event.seq).toBe(1);
    expect(a.event).toEqual({
      seq: 1,
      epoch: a.event.epoch,
      id: "a",
      type: "note.added",
      actor: "u-facilitator",
      at: "2030-01-02T03:04:05.000Z",
      data: { n: 1 },
    });
    const read = await log.read(S, 0, 10);
    expect(read.events).toEqual([a.event, b.event, c.event]);
    expect(read.head).toBe(3);
    expect(await log.head(S)).toEqual({ epoch: a.event.epoch, seq: 3 });
  });

  it("[LOG4] readMany answers several streams in one call, each exactly as read would", async () => {
    const { log } = await backend.open();
    for (const id of ["a", "b", "c"]) await appendOne(log, S, draft(id));
    await appendOne(log, T, draft("x"));
    const asked = [
      { stream: S, afterSeq: 1, limit: 10 },
      { stream: T, afterSeq: 0, limit: 10 },
      { stream: "session:never" as const, afterSeq: 0, limit: 10 },
      { stream: S, afterSeq: 0, limit: 2 },
    ];
    const many = await log.readMany(asked);
    expect(many).toEqual(await Promise.all(asked.map((r) => log.read(r.stream, r.afterSeq, r.limit))));
    expect(many.map((r) => r.events.map((e) => e.id))).toEqual([["b", "c"], ["x"], [], ["a", "b"]]);
    expect(await log.readMany([])).toEqual([]);
  });

  it("[LOG1] a stream never written has no epoch, head 0 and no events", async () => {
    const { log } = await backend.open();
    expect(await log.read(S, 0, 10)).toEqual({ epoch: null, events: [], head: 0 });
    expect(await log.head(S)).toEqual({ epoch: null, seq: 0 });
    expect(await lookupOne(log, S, "nope")).toBeNull();
  });

  it("[LOG1] the epoch is made on the first write, shared by the stream's events, distinct per stream", async () => {
    const { log } = await backend.open();
    const a = await appendOne(log, S, draft("a"));
    const b = await appendOne(log, S, draft("b"));
    const t = await appendOne(log, T, draft("a"));
    expect(a.event.epoch.length).toBeGreaterThan(0);
    expect(b.event.epoch).toBe(a.event.epoch);
    expect(t.event.epoch).not.toBe(a.event.epoch);
  });

  it("[LOG2] the same id appended twice yields one event and the original seq", async () => {
    const { log } = await backend.open();
    const first = await appendOne(log, S, draft("x", { v: "first" }));
    await appendOne(log, S, draft("y"));
    const again = await appendOne(log, S, draft("x", { v: "retry with other data" }));
    expect(again.duplicate).toBe(true);
    expect(again.event).toEqual(first.event);
    expect((await log.read(S, 0, 10)).events.map((e) => e.id)).toEqual(["x", "y"]);
    expect(await lookupOne(log, S, "x")).toEqual(first.event);
    // Dedupe is per stream: the same id elsewhere is a new event.
    expect((await appendOne(log, T, draft("x"))).duplicate).toBe(false);
  });

  it("[LOG2] concurrent retries of one id land once, all answered with the same seq", async () => {
    const [n1, n2] = await backend.nodes(2);
    if (!n1 || !n2) throw new Error("no nodes");
    await appendOne(n1.log, S, draft("before"));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => appendOne((i % 2 ? n1 : n2).log, S, draft("same"))),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event.seq))).toEqual(new Set([2]));
    expect((await n1.log.head(S)).seq).toBe(2);
  });

  it("[LOG1] 50 concurrent appends from two store instances get seq 1..50 exactly", async () => {
    const [n1, n2] = await backend.nodes(2);
    if (!n1 || !n2) throw new Error("no nodes");
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => appendOne((i % 2 ? n1 : n2).log, S, draft(`e${i}`))),
    );
    const seqs = results.map((r) => r.event.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const read = await n2.log.read(S, 0, 100);
    expect(read.events.map((e) => e.seq)).toEqual(seqs);
    expect(new Set(read.events.map((e) => e.id)).size).toBe(50);
    expect(new Set(read.events.map((e) => e.epoch)).size).toBe(1);
  });

  it("[LOG3] an acknowledged event survives reopening the store, with the same epoch", async () => {
    const first = await backend.open();
    const a = await appendOne(first.log, S, draft("a", { text: "héllo ✓" }));
    const b = await appendOne(first.log, S, draft("b"));
    await first.close();
    const again = await backend.open();
    expect(await again.log.read(S, 0, 10)).toEqual({ epoch: a.event.epoch, events: [a.event, b.event], head: 2 });
    expect((await appendOne(again.log, S, draft("a"))).duplicate).toBe(true);
    const c = await appendOne(again.log, S, draft("c"));
    expect(c.event).toMatchObject({ seq: 3, epoch: a.event.epoch });
  });

  it("[LOG1] expectedSeq: appends at the expected head, refuses with ConflictError otherwise", async () => {
    const { log } = await backend.open();
    expect((await appendOne(log, S, draft("a"), { expectedSeq: 0 })).event.seq).toBe(1);
    expect((await appendOne(log, S, draft("b"), { expectedSeq: 1 })).event.seq).toBe(2);
    const refused = appendOne(log, S, draft("c"), { expectedSeq: 1 });
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ stream: S, head: 2 });
    expect((await log.head(S)).seq).toBe(2);
    // A retry of an event that landed is answered with it even when the head has moved on [LOG2].
    const retry = await appendOne(log, S, draft("a"), { expectedSeq: 0 });
    expect(retry).toMatchObject({ duplicate: true, event: { seq: 1 } });
  });

  it("[LOG1] expectedSeq lets exactly one of several racing writers through", async () => {
    const [n1, n2] = await backend.nodes(2);
    if (!n1 || !n2) throw new Error("no nodes");
    await appendOne(n1.log, S, draft("base"));
    const tries = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => appendOne((i % 2 ? n1 : n2).log, S, draft(`w${i}`), { expectedSeq: 1 })),
    );
    expect(tries.filter((t) => t.status === "fulfilled")).toHaveLength(1);
    expect(tries.filter((t) => t.status === "rejected" && t.reason instanceof ConflictError)).toHaveLength(9);
    expect((await n2.log.head(S)).seq).toBe(2);
  });

  it("[LOG4] read pages by afterSeq and limit, oldest first", async () => {
    const { log } = await backend.open();
    for (let i = 1; i <= 7; i++) await appendOne(log, S, draft(`p${i}`));
    const page1 = await log.read(S, 0, 3);
    const page2 = await log.read(S, 3, 3);
    const page3 = await log.read(S, 6, 3);
    expect(page1.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(page2.events.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(page3.events.map((e) => e.seq)).toEqual([7]);
    expect([page1.head, page2.head, page3.head]).toEqual([7, 7, 7]);
    expect((await log.read(S, 7, 3)).events).toEqual([]);
    expect((await log.read(S, 50, 3)).events).toEqual([]);
    expect((await log.read(S, 2, 0)).events).toEqual([]);
  });

  it("[LOG3] an append resolves only with the event readable from another instance", async () => {
    const [n1, n2] = await backend.nodes(2);
    if (!n1 || !n2) throw new Error("no nodes");
    const { event } = await appendOne(n1.log, S, draft("seen"));
    expect((await n2.log.read(S, 0, 1)).events).toEqual([event]);
    expect(await lookupOne(n2.log, S, "seen")).toEqual(event);
  });
});

describe("embedded log journal", () => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await embedded();
  });
  afterEach(async () => {
    await backend.dispose();
  });

  it("[LOG3] a torn last line (crash mid-write) is ignored and the next append starts cleanly", async () => {
    const first = await backend.open();
    await appendOne(first.log, S, draft("a"));
    const b = await appendOne(first.log, S, draft("b"));
    await first.close();
    const file = join(backend.where, LOG_JOURNAL);
    await appendFile(file, '{"s":"session:s1","e":{"seq":3,"epoch":"');

    const second = await backend.open();
    expect((await second.log.head(S)).seq).toBe(2);
    const c = await appendOne(second.log, S, draft("c"));
    expect(c.event).toMatchObject({ seq: 3, epoch: b.event.epoch });
    await second.close();

    const third = await backend.open();
    expect((await third.log.read(S, 0, 10)).events.map((e) => e.id)).toEqual(["a", "b", "c"]);
  });

  it("a damaged line before good ones is reported, not silently skipped", async () => {
    const first = await backend.open();
    await appendOne(first.log, S, draft("a"));
    await appendOne(first.log, S, draft("b"));
    await first.close();
    const file = join(backend.where, LOG_JOURNAL);
    const lines = (await readFile(file, "utf8")).split("\n");
    await writeFile(file, ["{broken", ...lines.slice(1)].join("\n"));
    await expect(backend.open()).rejects.toBeInstanceOf(JournalCorruptError);
  });

  it("a data dir open in this process cannot be opened a second time", async () => {
    await backend.open();
    await expect(backend.open()).rejects.toThrow(/already open/);
  });

  it("[LOG1] [LOG3] a command's batch lands whole or not at all, through three SIGKILLs of the writing process", async () => {
    const script = fileURLToPath(new URL("./fixtures/batch-writer.ts", import.meta.url));
    const args =
      backend.kind === "embedded" ? ["embedded", backend.where] : ["redis", inject("redisUrl"), backend.where];
    let acked = 0;
    for (let round = 0; round < 3; round++) {
      const writer = startWriter(script, args);
      // A different moment each round: after 10, 17 and 24 more batches.
      await writer.awaitAcks(10 + 7 * round, "the writer to acknowledge its batches");
      await writer.kill();
      acked = Math.max(acked, ...writer.acks());
    }
    const stores = await backend.open();
    const read = await stores.log.read("session:batches", 0, 100_000);
    expect(read.head % 3).toBe(0);
    expect(read.head / 3).toBeGreaterThanOrEqual(acked);
    expect(read.events.map((e) => e.id)).toEqual(
      Array.from({ length: read.head }, (_, i) => `b${Math.floor(i / 3) + 1}-${i % 3}`),
    );
  });

  it("[LOG3] every event acknowledged before a SIGKILL of the writing process is there after restart", async () => {
    const script = fileURLToPath(new URL("./fixtures/crash-writer.ts", import.meta.url));
    const writer = startWriter(script, [backend.where]);
    await writer.awaitAcks(30, "the writer to acknowledge 30 events");
    await writer.kill();

    const last = Math.max(...writer.acks());
    const stores = await backend.open();
    const read = await stores.log.read("session:crash", 0, 100_000);
    expect(read.head).toBeGreaterThanOrEqual(last);
    expect(read.events.map((e) => e.seq)).toEqual(Array.from({ length: read.head }, (_, i) => i + 1));
    expect(read.events.map((e) => e.id)).toEqual(read.events.map((e) => `e${e.seq}`));
    expect(await stores.kv.get(`k${last}`)).toBe(String(last));
    expect((await appendOne(stores.log, "session:crash", draft("after-crash"))).event.seq).toBe(read.head + 1);
  });
});

/**
 * A writer script (./fixtures) as a child process that prints `ack N` for each write it has made
 * durable; both crash tests wait for some acknowledgements, then SIGKILL it mid-write.
 */
function startWriter(script: string, args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const acks = () => [...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
  return {
    acks,
    /** Until `count` acknowledgements, failing at once if the writer dies first. */
    awaitAcks: (count: number, what: string) =>
      until(
        async () => {
          if (child.exitCode !== null) throw new Error(`writer exited early: ${err}`);
          return acks().length >= count ? true : undefined;
        },
        what,
        20_000,
      ),
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

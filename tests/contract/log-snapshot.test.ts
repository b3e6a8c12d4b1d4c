import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DraftEvent, StreamName } from "../../shared/log.js";
import { backends, type Backend } from "./backends.js";
import { appendOne, lookupOne } from "../support/log-helpers.js";

const S: StreamName = "notes:c1";

function draft(id: string): DraftEvent {
  return { id, type: "notes.update", actor: "u-p1", at: "2030-01-02T03:04:05.000Z", data: { u: id } };
}

/** Snapshot and compaction: one contract for both stores [LOG4]. */
describe.each(backends)("LogStore snapshots and trim: %s", (_name, factory) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await factory();
  });
  afterEach(async () => {
    await backend.dispose();
  });

  it("[LOG4] a stream has no snapshot until one is saved; a snapshot only moves forward", async () => {
    const { log } = await backend.open();
    for (let i = 1; i <= 5; i++) await appendOne(log, S, draft(`e${i}`));
    expect(await log.loadSnapshot(S)).toBeNull();
    expect(await log.saveSnapshot(S, { seq: 3, data: "three" })).toBe(true);
    expect(await log.saveSnapshot(S, { seq: 2, data: "older" })).toBe(false);
    expect(await log.loadSnapshot(S)).toEqual({ seq: 3, data: "three" });
    expect(await log.saveSnapshot(S, { seq: 5, data: "five" })).toBe(true);
    expect(await log.loadSnapshot(S)).toEqual({ seq: 5, data: "five" });
  });

  it("[LOG4] trim drops old events; seq, head and epoch are unchanged and appends carry on", async () => {
    const { log } = await backend.open();
    const first = await appendOne(log, S, draft("e1"));
    for (let i = 2; i <= 6; i++) await appendOne(log, S, draft(`e${i}`));
    await log.saveSnapshot(S, { seq: 4, data: "four" });
    expect(await log.trim(S, 4)).toBe(4);
    const read = await log.read(S, 0, 10);
    expect(read.events.map((e) => e.seq)).toEqual([5, 6]);
    expect(read.head).toBe(6);
    expect(read.epoch).toBe(first.event.epoch);
    expect((await log.read(S, 5, 10)).events.map((e) => e.seq)).toEqual([6]);
    expect(await log.head(S)).toEqual({ epoch: first.event.epoch, seq: 6 });
    expect((await appendOne(log, S, draft("e7"))).event.seq).toBe(7);
    expect(await lookupOne(log, S, "e5")).toMatchObject({ seq: 5 });
    // A second, smaller trim changes nothing; a trim past the head stops at the head.
    expect(await log.trim(S, 2)).toBe(4);
    expect(await log.trim(S, 100)).toBe(7);
    expect((await log.read(S, 0, 10)).events).toEqual([]);
    expect((await appendOne(log, S, draft("e8"))).event.seq).toBe(8);
  });

  it("[LOG3] snapshots and trims survive reopening the store", async () => {
    const first = await backend.open();
    for (let i = 1; i <= 5; i++) await appendOne(first.log, S, draft(`e${i}`));
    await first.log.saveSnapshot(S, { seq: 3, data: "three ✓" });
    await first.log.trim(S, 3);
    await first.close();
    const again = await backend.open();
    expect(await again.log.loadSnapshot(S)).toEqual({ seq: 3, data: "three ✓" });
    expect((await again.log.read(S, 0, 10)).events.map((e) => e.id)).toEqual(["e4", "e5"]);
    expect((await appendOne(again.log, S, draft("e6"))).event.seq).toBe(6);
  });
});

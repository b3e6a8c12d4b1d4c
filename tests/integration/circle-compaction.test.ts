import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as Y from "yjs";
import { NOTES_TEXT } from "../../shared/domain/notes.js";
import type { StreamName } from "../../shared/log.js";
import { compactNotes, notesText } from "../../server/jobs/compaction.js";
import { fromBase64, toBase64 } from "../../server/domain/notes.js";
import type { LogStore } from "../../server/stores/types.js";
import { makeStores, type StoreKind } from "../support/harness.js";
import { appendOne } from "../support/log-helpers.js";

/** One edit by one of three writers: insert or delete at a relative position. */
const Edit = fc.record({
  who: fc.integer({ min: 0, max: 2 }),
  del: fc.boolean(),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  len: fc.integer({ min: 1, max: 6 }),
  text: fc.string({ minLength: 1, maxLength: 6 }),
  sync: fc.boolean(),
  compact: fc.boolean(),
});

/** What a client rebuilds on load: the snapshot, then the events after it [LOG4]. */
async function rebuild(log: LogStore, stream: StreamName): Promise<string> {
  const snap = await log.loadSnapshot(stream);
  const parts = snap ? [fromBase64(snap.data)] : [];
  const page = await log.read(stream, snap?.seq ?? 0, 100_000);
  for (const e of page.events) if (typeof e.data["u"] === "string") parts.push(fromBase64(e.data["u"]));
  return notesText(parts, NOTES_TEXT);
}

describe.each<StoreKind>(["embedded", "redis"])("notes compaction on the %s store", (kind) => {
  it("[CIR4] [LOG4] compacting at any point leaves the document exactly as the full history builds it", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(Edit, { minLength: 1, maxLength: 40 }), async (edits) => {
        const { stores, cleanup } = await makeStores(kind);
        const stream: StreamName = `notes:prop${run++}`;
        const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
        const all: Uint8Array[] = [];
        let n = 0;
        try {
          for (const d of docs) {
            d.on("update", (u: Uint8Array, origin: unknown) => {
              if (origin !== "remote") all.push(u);
            });
          }
          for (const e of edits) {
            const doc = docs[e.who];
            if (!doc) continue;
            const t = doc.getText(NOTES_TEXT);
            const before = all.length;
            const at = Math.floor(e.at * t.length);
            if (e.del && t.length > 0)
              t.delete(Math.min(at, t.length - 1), Math.min(e.len, t.length - Math.min(at, t.length - 1)));
            else t.insert(at, e.text);
            for (const u of all.slice(before))
              await appendOne(stores.log, stream, {
                id: `u${n++}`,
                type: "notes.update",
                actor: "x",
                at: "2030-01-01T00:00:00.000Z",
                data: { u: toBase64(u) },
              });
            // Writers see each other's edits only now and then: real concurrency.
            if (e.sync) for (const other of docs) for (const u of all.slice(before)) Y.applyUpdate(other, u, "remote");
            if (e.compact) await compactNotes(stores.log, stream, 1);
          }
          const expected = notesText(all, NOTES_TEXT);
          expect(await rebuild(stores.log, stream)).toBe(expected);
          await compactNotes(stores.log, stream, 1);
          expect(await rebuild(stores.log, stream)).toBe(expected);
        } finally {
          for (const d of docs) d.destroy();
          await stores.close();
          await cleanup();
        }
      }),
      { numRuns: kind === "redis" ? 40 : 60, seed: 20261126 },
    );
  });
});

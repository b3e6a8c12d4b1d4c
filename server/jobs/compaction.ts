import * as Y from "yjs";
import { COMPACT_AFTER, compactionDue, foldNotesEvent, NotesEventData } from "../../shared/domain/notes.js";
import type { StreamName } from "../../shared/log.js";
import { fromBase64, toBase64 } from "../domain/notes.js";
import { errorKind, type Logger } from "../logger.js";
import type { LogStore } from "../stores/types.js";

const PAGE = 500;

const UpdateData = NotesEventData["notes.update"];

/**
 * [CIR4][LOG4] Merge a notes stream's snapshot and the updates after it into one Yjs update,
 * keep it as the new snapshot, then drop the merged events. Safe on any number of nodes at once:
 * a snapshot only moves forward, and a node trims only up to a snapshot it saved. Merging is
 * lossless (Y.mergeUpdates keeps every insert and delete), so the document is unchanged. It stops
 * at the seal of a locked document [CIR4].
 * Returns the seq compacted to, or null when there was too little to do.
 */
export async function compactNotes(
  log: LogStore,
  stream: StreamName,
  minUpdates = COMPACT_AFTER,
): Promise<number | null> {
  const snap = await log.loadSnapshot(stream);
  const parts: Uint8Array[] = snap ? [fromBase64(snap.data)] : [];
  let after = snap?.seq ?? 0;
  let count = 0;
  for (;;) {
    const page = await log.read(stream, after, PAGE);
    // Someone trimmed past our snapshot meanwhile: a newer snapshot exists, nothing for us to do.
    const first = page.events[0];
    if (first && first.seq !== after + 1) return null;
    let sealed = false;
    for (const e of page.events) {
      // [CIR4] The seal and what follows it are never merged: the snapshot stays before the seal,
      // so every reader still sees the seal and ignores late updates by the same rule.
      if (foldNotesEvent(null, e).sealedAt !== null) {
        sealed = true;
        break;
      }
      const d = e.type === "notes.update" ? UpdateData.safeParse(e.data) : null;
      if (d?.success) parts.push(fromBase64(d.data.u));
      after = e.seq;
      count++;
    }
    if (sealed || page.events.length < PAGE) break;
  }
  if (count < minUpdates || count === 0) return null;
  const merged = Y.mergeUpdates(parts);
  if (!(await log.saveSnapshot(stream, { seq: after, data: toBase64(merged) }))) return null;
  await log.trim(stream, after);
  return after;
}

/**
 * [CIR4] After an update at `seq` landed: compact its stream in the background when it is due
 * (shared/domain/notes.ts `compactionDue`). The writer's ack never waits on it or fails with it.
 */
export function compactWhenDue(log: LogStore, stream: StreamName, seq: number, logger: Logger): void {
  if (!compactionDue(seq)) return;
  compactNotes(log, stream).catch((err: unknown) => logger.warn("notes compaction failed", { error: errorKind(err) }));
}

/** The text of a notes document built from a snapshot and updates (tests, exports). */
export function notesText(updates: readonly Uint8Array[], field: string): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  // toJSON() is the text itself (Y.Text's toString() is the same, but yjs's types leave it out).
  const text = doc.getText(field).toJSON();
  doc.destroy();
  return text;
}

import type * as Y from "yjs";

/**
 * A plain textarea bound to a Y.Text. A local change is turned into the smallest delta (common
 * prefix and suffix kept, the middle deleted and inserted) so concurrent edits elsewhere in the
 * text merge instead of being overwritten.
 */
export function applyTextareaChange(ytext: Y.Text, before: string, after: string): void {
  if (before === after) return;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  ytext.doc?.transact(() => {
    if (endB > start) ytext.delete(start, endB - start);
    if (endA > start) ytext.insert(start, after.slice(start, endA));
  });
}

type DeltaOp = { retain?: number; insert?: unknown; delete?: number };

/**
 * Where a caret at `index` ends up after a remote delta. The caret sticks to the character on
 * its left: text someone else inserts exactly at the caret goes after it, so two people typing
 * at the same place each keep writing their own words instead of interleaving letters.
 */
export function shiftIndex(delta: readonly DeltaOp[], index: number): number {
  let pos = 0;
  let out = index;
  for (const op of delta) {
    if (pos >= index) break;
    if (op.retain !== undefined) pos += op.retain;
    else if (typeof op.insert === "string") {
      if (pos < index) out += op.insert.length;
      pos += op.insert.length;
    } else if (op.delete !== undefined) {
      out -= Math.min(op.delete, Math.max(0, index - pos));
    }
  }
  return Math.max(0, out);
}

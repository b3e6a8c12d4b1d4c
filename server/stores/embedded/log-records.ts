import { z } from "zod";
import { StreamName, type StoredEvent } from "../../../shared/log.js";
import { storedEvent } from "../stored-event.js";

/**
 * One log journal line: a command's whole batch (so it is durable whole or not at all), its owner
 * and what each event touched. The stream's epoch rides on every event.
 */
export interface BatchRecord {
  s: StreamName;
  o: string;
  b: StoredEvent[];
  t: readonly (readonly string[])[];
}

/** Compaction lines [LOG4]: a snapshot kept, or the stream's events up to `trim` dropped. */
export const SnapRecord = z.object({
  s: StreamName,
  snap: z.object({ seq: z.number().int().min(0), data: z.string() }),
});
export const TrimRecord = z.object({ s: StreamName, trim: z.number().int().min(0) });

/**
 * A replayed line as a batch, or null when it is none. Journals written before batches hold one
 * event a line (`e`), owner unknown, touching the whole stream. The line's fields are checked;
 * its events get `storedEvent`'s cheap shape check, not zod: this process wrote them after
 * validating them, and parsing every event of a long journal with zod made opening slow.
 */
export function batchRecord(raw: unknown): BatchRecord | null {
  if (!isObject(raw)) return null;
  const s = StreamName.safeParse(raw.s);
  if (!s.success) return null;
  try {
    if (!("b" in raw) && "e" in raw) return { s: s.data, o: "", b: [storedEvent(raw.e)], t: [["*"]] };
    const { o, b, t } = raw;
    if (typeof o !== "string" || !Array.isArray(b) || b.length === 0 || !isTouches(t)) return null;
    return { s: s.data, o, b: b.map((e: unknown) => storedEvent(e)), t };
  } catch {
    return null; // an event of the wrong shape: the caller reports the line
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isTouches(v: unknown): v is string[][] {
  return Array.isArray(v) && v.every((list) => Array.isArray(list) && list.every((scope) => typeof scope === "string"));
}

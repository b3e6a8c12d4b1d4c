import type { StoredEvent } from "../../shared/log.js";

/**
 * An event the store itself wrote, read back: its shape is checked (a damaged or foreign value
 * fails loudly) but it is not validated again with zod. Every event was parsed on its way in
 * (the command's schema, then `checkBatch`); re-parsing on every read cost ~10 % of a check-in's
 * CPU and most of a cold join of a long session (issue 9).
 */
export function storedEvent(value: unknown): StoredEvent {
  if (isRecord(value)) {
    const { seq, epoch, id, type, actor, at, data } = value;
    if (
      typeof seq === "number" &&
      typeof epoch === "string" &&
      typeof id === "string" &&
      typeof type === "string" &&
      typeof actor === "string" &&
      typeof at === "string" &&
      isRecord(data)
    ) {
      return { seq, epoch, id, type, actor, at, data };
    }
  }
  throw new Error("the store holds a value that is not an event");
}

/** `storedEvent` of one JSON text (a Redis stream entry, a journal line's event). */
export function storedEventJson(json: string): StoredEvent {
  return storedEvent(JSON.parse(json));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

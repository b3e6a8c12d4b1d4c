import type { DraftEvent, StoredEvent, StreamName } from "../../shared/log.js";
import type { LogStore } from "../../server/stores/types.js";

/** The owner tests write single events as (a system writer). */
export const TEST_OWNER = "$";

/**
 * One event as its own batch, touching the whole stream: the shape of most store tests.
 * `expectedSeq` is the whole-stream guard.
 */
export async function appendOne(
  log: LogStore,
  stream: StreamName,
  draft: DraftEvent,
  opts: { expectedSeq?: number; owner?: string } = {},
): Promise<{ event: StoredEvent; duplicate: boolean }> {
  const guard = opts.expectedSeq === undefined ? undefined : { seq: opts.expectedSeq, scopes: "stream" as const };
  const r = await log.append(stream, { owner: opts.owner ?? TEST_OWNER, events: [draft], touches: [["*"]] }, guard);
  const event = r.events.find((e) => e.id === draft.id) ?? r.events[0];
  if (!event) throw new Error("append returned no event");
  return { event, duplicate: r.duplicate };
}

/** The event with this id, if appended. */
export async function lookupOne(log: LogStore, stream: StreamName, id: string): Promise<StoredEvent | null> {
  const found = await log.lookup(stream, id);
  return found?.events.find((e) => e.id === id) ?? null;
}

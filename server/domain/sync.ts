import { streamKind, type StreamKind, type StreamName } from "../../shared/log.js";
import { viewOf } from "../../shared/domain/streams.js";
import { isStaff, type Viewer } from "../../shared/domain/roles.js";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { SYNC_PAGE, type SyncResult } from "../../shared/protocol/events.js";
import type { LogStore, ReadResult, Snapshot } from "../stores/types.js";

/**
 * [AC3] A snapshot is a whole state, past any per-event audience, so it goes to a participant only
 * for kinds whose every event is for every reader (a circle's shared notes). A snapshot of any other
 * kind (none is compacted today) is refused to participants rather than handed over whole.
 */
const WHOLE_SNAPSHOT_KINDS: ReadonlySet<StreamKind> = new Set<StreamKind>(["notes"]);

/** A compaction racing the read can move the snapshot on; read again this many times. */
const SNAPSHOT_TRIES = 3;

/**
 * [LOG4] What a client missed: the events after the position it holds, in order, seen through
 * its viewer's eyes. A client on another epoch (history lost or reset) starts over from seq 0.
 * A client whose missing events were compacted gets the snapshot and the events after it.
 * Paged: a client with `more` asks again, so a reconnect never reads more than one page at once.
 */
export async function syncStream(
  log: LogStore,
  viewer: Viewer,
  stream: StreamName,
  epoch: string | null,
  seq: number,
): Promise<SyncResult> {
  const head = await log.head(stream);
  const reset = epoch !== null && head.epoch !== null && epoch !== head.epoch;
  const from = reset || seq > head.seq ? 0 : seq;
  let page = await log.read(stream, from, SYNC_PAGE);
  let snapshot: Snapshot | null = null;
  for (let tries = 0; tries < SNAPSHOT_TRIES && compactedPast(page, from); tries++) {
    snapshot = await log.loadSnapshot(stream);
    if (snapshot === null) break;
    page = await log.read(stream, snapshot.seq, SYNC_PAGE);
    if (!compactedPast(page, snapshot.seq)) break;
  }
  const kind = streamKind(stream);
  if (snapshot !== null && !WHOLE_SNAPSHOT_KINDS.has(kind) && !isStaff(viewer)) {
    throw new AppError(ErrorCode.FORBIDDEN, "This part of the history is kept in a form only staff may read.");
  }
  const start = snapshot?.seq ?? from;
  const last = page.events.at(-1)?.seq ?? start;
  const result: SyncResult = {
    stream,
    epoch: page.epoch,
    reset: reset || (seq > head.seq && seq > 0) || snapshot !== null,
    events: page.events.map((e) => viewOf(kind, e, viewer)),
    head: page.head,
    more: last < page.head,
  };
  return snapshot === null ? result : { ...result, snapshot: { seq: snapshot.seq, data: snapshot.data } };
}

/** The events right after `after` are gone (trimmed): what is there starts later, or nothing is. */
function compactedPast(page: ReadResult, after: number): boolean {
  if (after >= page.head) return false;
  const first = page.events[0]?.seq;
  return first === undefined || first > after + 1;
}

import { streamKind, type StreamName } from "../../shared/log.js";
import { viewOf } from "../../shared/domain/streams.js";
import type { Viewer } from "../../shared/domain/roles.js";
import { SYNC_PAGE, type SyncResult } from "../../shared/protocol/events.js";
import type { LogStore } from "../stores/types.js";

/**
 * [LOG4] What a client missed: the events after the position it holds, in order, seen through
 * its viewer's eyes. A client on another epoch (history lost or reset) starts over from seq 0.
 * Paged: a client with `more` asks again, so a reconnect never reads more than one page at once.
 */
export async function syncStream(log: LogStore, viewer: Viewer, stream: StreamName, epoch: string | null, seq: number): Promise<SyncResult> {
  const head = await log.head(stream);
  const reset = epoch !== null && head.epoch !== null && epoch !== head.epoch;
  const from = reset || seq > head.seq ? 0 : seq;
  const page = await log.read(stream, from, SYNC_PAGE);
  const kind = streamKind(stream);
  const last = page.events.at(-1)?.seq ?? from;
  return {
    stream,
    epoch: page.epoch,
    reset: reset || (seq > head.seq && seq > 0),
    events: page.events.map((e) => viewOf(kind, e, viewer)),
    head: page.head,
    more: last < page.head,
  };
}

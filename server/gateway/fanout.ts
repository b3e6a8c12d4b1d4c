import type { AppServer } from "./types.js";
import { streamKind, type StoredEvent, type StreamName } from "../../shared/log.js";
import { streamDefs } from "../../shared/domain/streams.js";
import { rooms } from "./rooms.js";

export type IoServer = Pick<AppServer, "to">;

/**
 * How long a node gathers the positions of a stream's events that most subscribers may not see
 * before sending them as one `stream:hidden` (issue 9). Sent one by one, they were most of a
 * check-in's cost: a room's every other phone got a socket write per check-in (9 of the 12
 * writes). A phone shows nothing for them; they only keep its seq gap-free.
 */
export const HIDDEN_BATCH_MS = 150;

interface PendingHidden {
  epoch: string;
  seqs: number[];
  timer: NodeJS.Timeout;
}
/** Per app (tests run several in one process): positions waiting to be sent, per stream. */
const pendingHidden = new WeakMap<IoServer, Map<StreamName, PendingHidden>>();

/**
 * fan out: every subscriber of the stream gets each event once, either whole (if its audience
 * includes them [AC3]) or as its bare position, through the adapter on every node. Positions go
 * in batches to everyone but staff (who get every event whole); a batch lists only this node's
 * events, each sent whole before it, so a follower that holds no event at a listed position was
 * not meant to see it (client/src/live/stream.ts). An event for everyone first sends the batch
 * waiting before it: it keeps the order a follower folds in.
 */
function publish(io: IoServer, stream: StreamName, event: StoredEvent): void {
  const audience = streamDefs[streamKind(stream)].audience(event);
  if (audience.kind === "all") {
    flushHidden(io, stream);
    io.to(rooms.stream(stream)).emit("stream:event", { stream, event });
    return;
  }
  const full =
    audience.kind === "staff" ? [rooms.staff(stream)] : [rooms.staff(stream), rooms.personal(stream, audience.userId)];
  io.to(full).emit("stream:event", { stream, event });
  holdHidden(io, stream, event);
}

function holdHidden(io: IoServer, stream: StreamName, event: StoredEvent): void {
  const byStream = pendingHidden.get(io) ?? new Map<StreamName, PendingHidden>();
  pendingHidden.set(io, byStream);
  const pending = byStream.get(stream);
  if (pending && pending.epoch === event.epoch) {
    pending.seqs.push(event.seq);
    return;
  }
  if (pending) flushHidden(io, stream); // a new epoch: the old positions go first, on their own
  const timer = setTimeout(() => flushHidden(io, stream), HIDDEN_BATCH_MS);
  timer.unref();
  byStream.set(stream, { epoch: event.epoch, seqs: [event.seq], timer });
}

function flushHidden(io: IoServer, stream: StreamName): void {
  const byStream = pendingHidden.get(io);
  const pending = byStream?.get(stream);
  if (!byStream || !pending) return;
  clearTimeout(pending.timer);
  byStream.delete(stream);
  io.to(rooms.stream(stream))
    .except(rooms.staff(stream))
    .emit("stream:hidden", { stream, epoch: pending.epoch, seqs: pending.seqs });
}

/** What a command produced: new events, or a retry's answer (events appended the first time). */
export interface Outcome {
  events: readonly StoredEvent[];
  duplicate: boolean;
}

/**
 * The one fan-out after an append. New events go to their audience. A retry's events were
 * broadcast when they were first appended, so they are not sent again (issue 9: a retry storm
 * past the knee doubled deliveries and load); the room gets only the stream's head instead, so a
 * subscriber that missed the first broadcast — its node died between append and broadcast —
 * sees the gap and catches up from the log [LIVE6][LOG4].
 */
export function fanOut(io: IoServer, stream: StreamName, outcome: Outcome): void {
  if (!outcome.duplicate) {
    for (const e of outcome.events) publish(io, stream, e);
    return;
  }
  const last = outcome.events.at(-1);
  if (last) io.to(rooms.stream(stream)).emit("stream:head", { stream, epoch: last.epoch, seq: last.seq });
}

import type { AppServer } from "./types.js";
import { streamKind, type HiddenEvent, type StoredEvent, type StreamName } from "../../shared/log.js";
import { streamDefs } from "../../shared/domain/streams.js";
import { rooms } from "./rooms.js";

export type IoServer = Pick<AppServer, "to">;

/**
 * fan out: every subscriber of the stream gets each event exactly once, either whole (if its
 * audience includes them [AC3]) or as its bare position, through the adapter on every node.
 */
export function publish(io: IoServer, stream: StreamName, event: StoredEvent): void {
  const audience = streamDefs[streamKind(stream)].audience(event);
  const full =
    audience.kind === "all"
      ? [rooms.stream(stream)]
      : audience.kind === "staff"
        ? [rooms.staff(stream)]
        : [rooms.staff(stream), rooms.personal(stream, audience.userId)];
  io.to(full).emit("stream:event", { stream, event });
  if (audience.kind !== "all") {
    const hidden: HiddenEvent = { seq: event.seq, epoch: event.epoch, hidden: true };
    io.to(rooms.stream(stream)).except(full).emit("stream:event", { stream, event: hidden });
  }
}

export function publishAll(io: IoServer, stream: StreamName, events: readonly StoredEvent[]): void {
  for (const e of events) publish(io, stream, e);
}

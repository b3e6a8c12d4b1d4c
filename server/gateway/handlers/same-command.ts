import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import { streamName, type DraftEvent, type StoredEvent } from "../../../shared/log.js";
import type { StreamStates } from "../../../shared/domain/streams.js";
import { DUPLICATE_ID_MESSAGE, clientKey, type Executed } from "../../domain/stream-service.js";
import type { Services } from "../../services.js";

/**
 * A retried command is answered from the event it produced the first time [LOG2] — but only
 * for the same person in the same cohort. Opening a room with someone else's command id must not
 * hand back (or list in another cohort) the room that id opened.
 */
export function assertSameCommand(first: StoredEvent | undefined, actor: string, cohortId: string): void {
  if (!first) return;
  if (first.actor !== actor || first.data.cohortId !== cohortId) {
    throw new AppError(ErrorCode.DUPLICATE_ID, DUPLICATE_ID_MESSAGE);
  }
}

/**
 * Open a room (a live session or a circle) from a person's command and list it in its cohort:
 * the room's stream is keyed by that command, so a retry opens the same room [LOG2], and only the
 * same person in the same cohort may retry it; the listing is idempotent by its own id. Fanning
 * out is left to the caller, which may have more to do between the two.
 */
export async function openAndList<K extends "session" | "circle">(
  s: Services,
  opener: { userId: string; cohortId: string; command: "session:open" | "circle:start"; commandId: string },
  room: { kind: K; id: string; decide: (state: StreamStates[K]) => Omit<DraftEvent, "at">[] },
  listing: Omit<DraftEvent, "at">,
): Promise<{ opened: Executed; listed: { event: StoredEvent; duplicate: boolean } }> {
  const opened = await s.streams.execute(
    room.kind,
    room.id,
    clientKey(opener.userId, opener.command, opener.commandId),
    room.decide,
  );
  if (opened.duplicate) assertSameCommand(opened.events[0], opener.userId, opener.cohortId);
  const listed = await s.streams.appendSystem(streamName("cohort", opener.cohortId), listing);
  return { opened, listed };
}

import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import type { StoredEvent } from "../../../shared/log.js";
import { DUPLICATE_ID_MESSAGE } from "../../domain/stream-service.js";

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

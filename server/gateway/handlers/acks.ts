import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import type { StoredEvent } from "../../../shared/log.js";

/**
 * The seq a command is acknowledged with: its first event's. Every decision answered this way
 * writes at least one event or refuses, so an empty answer means the store gave nothing back,
 * not a rule: retryable, and the command id makes the retry safe [LOG2].
 */
export function firstSeq(events: readonly StoredEvent[], what: string): number {
  const first = events[0];
  if (!first) throw new AppError(ErrorCode.UNAVAILABLE, `The ${what} was not recorded. Please try again.`);
  return first.seq;
}

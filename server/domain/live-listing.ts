import { LIVE_INDEX_ID } from "../../shared/domain/live-index.js";
import { serverId, streamName } from "../../shared/log.js";
import type { Clock } from "../clock.js";
import type { DueStore } from "../stores/types.js";
import type { StreamService } from "./stream-service.js";

/**
 * Puts sessions on the durable list the periodic checks walk (`index:live`). Idempotent by id in
 * the log; the set only spares this app a store round trip per command — it is not the truth.
 * One per createApp, so two apps in one process (tests, a node restarted in place) never share it.
 */
export class LiveListing {
  private readonly listed = new Set<string>();

  constructor(
    private readonly streams: StreamService,
    private readonly due: Pick<DueStore, "schedule">,
    private readonly clock: Clock,
  ) {}

  async ensure(sessionId: string): Promise<void> {
    if (this.listed.has(sessionId)) return;
    await this.streams.appendSystem(streamName("index", LIVE_INDEX_ID), {
      id: serverId("listed", sessionId),
      type: "session.listed",
      actor: "system",
      data: { sessionId },
    });
    // Its checks are due now; they then keep their own next time in the due index [LIVE6].
    await this.due.schedule(sessionId, this.clock.now());
    this.listed.add(sessionId);
  }

  /**
   * [OUT2] Before a questionnaire's safety alert is appended: its cohort's outcome log goes on the
   * list the sweep walks, and its checks are due now — so the alert escalates from any node even
   * if the one that took it dies right after the append.
   */
  async ensureOutcome(cohortId: string): Promise<void> {
    const due = outcomeDueId(cohortId);
    if (this.listed.has(due)) return;
    await this.streams.appendSystem(streamName("index", LIVE_INDEX_ID), {
      id: serverId("listed-outcome", cohortId),
      type: "alerts.listed",
      actor: "system",
      data: { cohortId },
    });
    await this.due.schedule(due, this.clock.now());
    this.listed.add(due);
  }
}

/**
 * Entries of the due index: a live session's id, or `outcome:<cohortId>` for a cohort's outcome
 * log (a session id never holds a colon: it is the id part of a stream name).
 */
export type DueTarget = { kind: "session"; id: string } | { kind: "outcome"; id: string };

export function outcomeDueId(cohortId: string): string {
  return streamName("outcome", cohortId);
}

export function dueTarget(dueId: string): DueTarget {
  return dueId.startsWith("outcome:")
    ? { kind: "outcome", id: dueId.slice("outcome:".length) }
    : { kind: "session", id: dueId };
}

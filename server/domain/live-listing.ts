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
}

import { decideClose } from "../../../shared/domain/live-close.js";
import { LIVE_INDEX_ID } from "../../../shared/domain/live-index.js";
import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import { Commands } from "../../../shared/protocol/events.js";
import { serverId, streamName } from "../../../shared/log.js";
import { viewerOf } from "../../domain/directory.js";
import type { Services } from "../../services.js";
import { clientKey } from "../../domain/stream-service.js";
import { command, type FeatureHandlers } from "../handler.js";
import { runLive } from "./live-run.js";

/**
 * [LIVE6] Take an ended session off `index:live` so no node's jobs walk it any more. Same id as the
 * jobs' own unlisting, so it lands once however many nodes (or retries) do it.
 */
export async function unlist(s: Services, sessionId: string): Promise<void> {
  await s.streams.appendSystem(streamName("index", LIVE_INDEX_ID), {
    id: serverId("unlisted", sessionId),
    type: "session.unlisted",
    actor: "system",
    data: { sessionId },
  });
}

/** [LIVE6][LIVE10] `session:close`: a facilitator of the cohort ends the dosing session. */
export function liveCloseHandlers(s: Services): FeatureHandlers<"session:close"> {
  return {
    "session:close": command(Commands["session:close"], async (p, socket) => {
      const user = socket.data.user;
      // Before the log is asked: a retried id is answered from its first event (LOG2).
      if (user.role !== "facilitator")
        throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator can end a live session.");
      const { cohort } = await s.directory.sessionFor(user, p.sessionId);
      // Names for the refusal sentence only; they go to this facilitator, never to the server log.
      const names = new Map((await s.directory.people(cohort)).map((u) => [u.id, u.name]));
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "session:close", p.id), (st) =>
        decideClose(st, p, viewerOf(user), (id) => names.get(id) ?? "someone not on the roster"),
      );
      const { state } = run;
      if (state.status !== "closed" || state.closedAt === null || state.closedBy === null) {
        throw new AppError(ErrorCode.UNAVAILABLE, "The session was not ended. It is safe to try again.");
      }
      // After the close is durable; on a retry too, so a node that died in between is healed.
      await unlist(s, p.sessionId);
      const closed =
        run.events.find((e) => e.type === "session.closed") ??
        [...state.timeline].reverse().find((t) => t.type === "session.closed");
      return { seq: closed?.seq ?? state.seq, closedBy: state.closedBy, closedAt: state.closedAt };
    }),
  };
}

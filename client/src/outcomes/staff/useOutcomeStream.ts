import { useEffect } from "react";
import { outcomeStream } from "../../../../shared/domain/streams.js";
import { streamName } from "../../../../shared/log.js";
import { useConnection } from "../../live/socket.js";
import { useStream } from "../../live/useStream.js";

/**
 * Follow a cohort's outcome log (`outcome:<cohortId>`) live, as useCohortStream does the cohort's:
 * `stream:sync` subscribes this socket from the server's roster [AC4] and returns what was missed
 * [LOG4], again on every reconnect. Staff get every event whole [AC3].
 */
export function useOutcomeStream(cohortId: string) {
  const view = useStream(outcomeStream, streamName("outcome", cohortId));
  const { connected } = useConnection();
  const { follower } = view;
  useEffect(() => {
    if (connected) void follower.catchUp(null);
  }, [connected, follower]);
  return view;
}

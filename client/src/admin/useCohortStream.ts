import { useEffect } from "react";
import { cohortStream } from "../../../shared/domain/streams.js";
import { streamName } from "../../../shared/log.js";
import { useConnection } from "../live/socket.js";
import { useStream } from "../live/useStream.js";

/**
 * Follow a cohort's stream live: `stream:sync` subscribes this socket to the cohort's rooms
 * (from the server-side roster [AC4]) and returns what was missed [LOG4]; pushes then arrive
 * as `stream:event`s and fold with the shared reducer [LOG5]. Re-synced on every reconnect,
 * because a new connection has joined no rooms yet.
 */
export function useCohortStream(cohortId: string) {
  const view = useStream(cohortStream, streamName("cohort", cohortId));
  const { connected } = useConnection();
  const { follower } = view;
  useEffect(() => {
    if (connected) void follower.catchUp(null);
  }, [connected, follower]);
  return view;
}

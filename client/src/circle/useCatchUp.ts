import { useEffect } from "react";
import { getSocket } from "../live/socket.js";
import type { StreamFollower } from "../live/stream.js";

/**
 * Catch a stream up from the log now and again on every reconnect [LOG4]: the journal and the
 * facilitator notes are not part of the circle's join, so each asks for its own history.
 */
export function useCatchUpOnConnect<S extends { seq: number }>(follower: StreamFollower<S>): void {
  useEffect(() => {
    const socket = getSocket();
    const load = (): void => void follower.catchUp(null);
    socket.on("connect", load);
    if (socket.connected) load();
    return () => {
      socket.off("connect", load);
    };
  }, [follower]);
}

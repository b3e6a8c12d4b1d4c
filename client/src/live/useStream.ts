import { useEffect, useMemo, useSyncExternalStore } from "react";
import type { StreamDef } from "../../../shared/domain/streams.js";
import type { StreamName } from "../../../shared/log.js";
import type { StreamEventMessage, StreamHeadMessage, StreamHiddenMessage } from "../../../shared/protocol/events.js";
import { getSocket, useConnection } from "./socket.js";
import { StreamFollower, type StreamView } from "./stream.js";

/**
 * Follow one stream: pushed `stream:event`s (and `stream:hidden`, `stream:head`) for it go to a StreamFollower, which keeps
 * `{epoch, seq}` and the state folded by the shared reducer. Joining (which rooms this socket
 * gets pushes for) is the caller's business, e.g. useSessionRoom.
 */
export function useStream<S extends { seq: number }>(
  def: StreamDef<S>,
  stream: StreamName,
): StreamView<S> & { follower: StreamFollower<S> } {
  const follower = useMemo(() => new StreamFollower(def, stream), [def, stream]);

  useEffect(() => {
    const socket = getSocket();
    const onEvent = (m: StreamEventMessage): void => {
      if (m.stream === stream) follower.onEvent(m.event);
    };
    const onHead = (m: StreamHeadMessage): void => {
      if (m.stream === stream) follower.onHead(m);
    };
    const onHidden = (m: StreamHiddenMessage): void => {
      if (m.stream === stream) follower.onHidden(m);
    };
    socket.on("stream:event", onEvent);
    socket.on("stream:head", onHead);
    socket.on("stream:hidden", onHidden);
    return () => {
      socket.off("stream:event", onEvent);
      socket.off("stream:head", onHead);
      socket.off("stream:hidden", onHidden);
      follower.dispose();
    };
  }, [follower, stream]);

  const view = useSyncExternalStore(follower.subscribe, follower.getSnapshot);
  return { ...view, follower };
}

/**
 * Follow a stream live and keep it caught up: `stream:sync` subscribes this socket to the
 * stream's rooms (from the server-side roster [AC4]) and returns what was missed [LOG4]; pushes
 * then fold with the shared reducer [LOG5]. Re-synced on every reconnect, because a new
 * connection has joined no rooms yet. (A session room joins through session:join instead.)
 */
export function useFollowedStream<S extends { seq: number }>(
  def: StreamDef<S>,
  stream: StreamName,
): StreamView<S> & { follower: StreamFollower<S> } {
  const view = useStream(def, stream);
  const { connected } = useConnection();
  const { follower } = view;
  useEffect(() => {
    if (connected) void follower.catchUp(null);
  }, [connected, follower]);
  return view;
}

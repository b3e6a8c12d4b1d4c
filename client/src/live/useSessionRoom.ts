import { useEffect, useState } from "react";
import { sessionStream } from "../../../shared/domain/streams.js";
import type { SessionState } from "../../../shared/domain/session.js";
import { streamName } from "../../../shared/log.js";
import type { PresenceUpdate, PublicUser } from "../../../shared/protocol/events.js";
import type { PresenceState } from "../../../shared/protocol/presence.js";
import { request } from "./command.js";
import { useOwnPresence } from "./presence.js";
import { holdRoom, releaseRoom } from "./rooms.js";
import { getSocket, useConnection } from "./socket.js";
import { useStream } from "./useStream.js";

export interface SessionRoom {
  state: SessionState;
  ready: boolean;
  connected: boolean;
  people: PublicUser[];
  presence: Record<string, PresenceState>;
  /** The server refused the join (not a member, no such session), in words. */
  error: string | null;
}

const JOIN_RETRY_MS = 2000;

/**
 * Join a live session and keep it current. On every (re)connect it joins again with `since` =
 * the position it holds, so the server sends exactly what was missed [LOG4]; it reports this
 * tab's presence after each join and whenever it changes [PR2].
 */
export function useSessionRoom(sessionId: string): SessionRoom {
  const stream = useStream(sessionStream, streamName("session", sessionId));
  const { follower } = stream;
  const { connected } = useConnection();
  const own = useOwnPresence();
  const [people, setPeople] = useState<PublicUser[]>([]);
  const [presence, setPresence] = useState<Record<string, PresenceState>>({});
  const [joinError, setJoinError] = useState<string | null>(null);
  // Bumped after each successful join so presence is re-sent on the new connection.
  const [joins, setJoins] = useState(0);

  useEffect(() => {
    const socket = getSocket();
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;

    const join = async (): Promise<void> => {
      clearTimeout(retry);
      // Written inside the callback below; an object so the outcome is read after it ran.
      const outcome = { joined: false, refused: false };
      await follower.catchUp(async (since) => {
        const ack = await request("session:join", { sessionId, since });
        if (cancelled) return null;
        if (!ack.ok) {
          outcome.refused = true;
          setJoinError(ack.error.message);
          return null;
        }
        outcome.joined = true;
        setJoinError(null);
        setPeople(ack.data.people);
        setPresence(Object.fromEntries(ack.data.presence.map((p) => [p.userId, p.state])));
        setJoins((n) => n + 1);
        return ack.data.sync;
      });
      // A join lost to a timeout is retried while connected; a refusal is final.
      if (!outcome.joined && !outcome.refused && !cancelled && socket.connected)
        retry = setTimeout(() => void join(), JOIN_RETRY_MS);
    };

    const onPresence = (p: PresenceUpdate): void => {
      if (p.sessionId === sessionId) setPresence((prev) => ({ ...prev, [p.userId]: p.state }));
    };

    const onConnect = (): void => void join();
    holdRoom(sessionId);
    socket.on("connect", onConnect);
    socket.on("presence:update", onPresence);
    if (socket.connected) void join();
    return () => {
      cancelled = true;
      clearTimeout(retry);
      socket.off("connect", onConnect);
      socket.off("presence:update", onPresence);
      // Leaving the page leaves the room, unless the room is shown again at once (rooms.ts).
      releaseRoom(sessionId, socket);
    };
  }, [follower, sessionId]);

  useEffect(() => {
    // Only after a join: the server keeps presence per room, so each new connection says it again.
    if (joins === 0) return;
    // Best effort: a lost update is corrected by the next change or the next join.
    request("presence:set", { sessionId, state: own }).catch(() => undefined);
  }, [own, joins, sessionId]);

  return {
    state: stream.state,
    ready: stream.ready,
    connected,
    people,
    presence,
    error: joinError ?? stream.error,
  };
}

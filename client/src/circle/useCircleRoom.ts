import { useEffect, useState } from "react";
import { circleStream } from "../../../shared/domain/streams.js";
import type { CircleState } from "../../../shared/domain/circle.js";
import { streamName } from "../../../shared/log.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import { request } from "../live/command.js";
import { getSocket } from "../live/socket.js";
import { useStream } from "../live/useStream.js";

export interface CircleRoomState {
  state: CircleState;
  ready: boolean;
  people: PublicUser[];
  cohortId: string | null;
  needsAgreement: boolean;
  error: string | null;
  agreed: () => void;
}

/**
 * Join a circle and follow its stream with the shared reducer [LOG5]; rejoin on every
 * reconnect from the position held [LOG4], so every screen agrees on who holds the piece.
 * `present` (the room itself) takes a seat [CIR2]: the server counts this person as there until
 * they leave the room (closing it here says so at once) or their connection's grace runs out.
 * The journal page follows a circle without it.
 */
export function useCircleRoom(circleId: string, opts: { present?: boolean } = {}): CircleRoomState {
  const present = opts.present ?? true;
  const stream = useStream(circleStream, streamName("circle", circleId));
  const { follower } = stream;
  const [people, setPeople] = useState<PublicUser[]>([]);
  const [cohortId, setCohortId] = useState<string | null>(null);
  const [needsAgreement, setNeedsAgreement] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Bumped when the agreement is accepted: join again, now with the circle's history [CIR1].
  const [joins, setJoins] = useState(0);

  useEffect(() => {
    const socket = getSocket();
    let cancelled = false;
    const join = async (): Promise<void> => {
      await follower.catchUp(async () => {
        const ack = await request("circle:join", { circleId, present });
        if (cancelled) return null;
        if (!ack.ok) {
          setError(ack.error.message);
          return null;
        }
        setError(null);
        setPeople(ack.data.people);
        setCohortId(ack.data.cohortId);
        setNeedsAgreement(ack.data.needsAgreement);
        // The join answers from the start; the follower folds it afresh.
        return { ...ack.data.sync, reset: true };
      });
    };
    const onConnect = (): void => void join();
    socket.on("connect", onConnect);
    if (socket.connected) void join();
    return () => {
      cancelled = true;
      socket.off("connect", onConnect);
      // Best effort: if this is lost, the connection's grace ends the seat instead [PR2].
      if (present && socket.connected) request("circle:leave", { circleId }).catch(() => undefined);
    };
  }, [follower, circleId, joins, present]);

  return {
    state: stream.state,
    ready: stream.ready,
    people,
    cohortId,
    needsAgreement,
    error: error ?? stream.error,
    agreed: () => {
      setNeedsAgreement(false);
      setJoins((n) => n + 1);
    },
  };
}

import {
  circleOpening,
  decideAgree,
  decideEnd,
  decideLock,
  decidePiece,
  decideStartCircle,
  type CircleState,
} from "../../../shared/domain/circle.js";
import { Commands } from "../../../shared/protocol/events.js";
import { serverId, streamName } from "../../../shared/log.js";
import { clientKey, type CommandKey } from "../../domain/stream-service.js";
import type { UserRecord } from "../../auth/users.js";
import {
  circleFor,
  circlePresenceRoom,
  needsAgreement,
  reconcileCirclePresence,
  requireAgreement,
} from "../../domain/circles.js";
import { PresenceLogError } from "../../presence/service.js";
import { errorKind } from "../../logger.js";
import { viewerOf } from "../../domain/directory.js";
import { derivedId } from "../../domain/derived-id.js";
import { sealNotes } from "../../domain/notes.js";
import { syncStream } from "../../domain/sync.js";
import type { Services } from "../../services.js";
import { fanOut } from "../fanout.js";
import { openAndList } from "./same-command.js";
import { firstSeq } from "./acks.js";
import { command, type FeatureHandlers } from "../handler.js";
import type { AppSocket } from "../types.js";
import { subscribe } from "./session.js";

type CircleCommand =
  | "circle:start"
  | "circle:join"
  | "circle:leave"
  | "circle:agree"
  | "circle:piece"
  | "circle:lock"
  | "circle:end"
  | "time:ping";

/** The circle room's commands: parse (in `command`) → authorize → decide → append → ack → fan out. */
export function circleHandlers(s: Services): FeatureHandlers<CircleCommand> {
  /** Append a decision to a circle's stream and fan it out; an empty decision (already done) answers with the head. */
  const run = async (
    circleId: string,
    cmd: CommandKey,
    decide: (st: CircleState) => ReturnType<typeof decideLock>,
  ): Promise<{ seq: number }> => {
    const done = await s.streams.execute("circle", circleId, cmd, decide);
    const { events } = done;
    fanOut(s.io, streamName("circle", circleId), done);
    return { seq: events[0]?.seq ?? (await s.streams.state("circle", circleId)).seq };
  };
  /**
   * Lock or end: the circle event, then [CIR4] the notes stream's seal, both before the ack. A
   * retry (say after a crash between the two) seals a stream that missed it; the seal is idempotent.
   */
  const closing = async (
    p: { id: string; circleId: string },
    user: UserRecord,
    decide: typeof decideLock,
    name: "circle:lock" | "circle:end",
  ): Promise<{ seq: number }> => {
    await circleFor(s.streams, s.directory, user, p.circleId);
    const ack = await run(p.circleId, clientKey(user.id, name, p.id), (st) => decide(st, p.id, viewerOf(user)));
    const { event, duplicate } = await sealNotes(s.streams, p.circleId, user.id);
    fanOut(s.io, streamName("notes", p.circleId), { events: [event], duplicate });
    return ack;
  };

  /**
   * [CIR2] Count this person as in the circle room: presence per person across tabs and nodes
   * (presence/service.ts), the arrival logged in the circle's stream. The disconnect handler
   * (app.ts) gives a dropped connection its grace like a live room's.
   */
  const takeSeat = async (circleId: string, socket: AppSocket): Promise<void> => {
    const room = circlePresenceRoom(circleId);
    socket.data.sessions.add(room);
    await s.presence.connect(room, socket.data.user.id, socket.id).catch((err: unknown) => {
      if (!(err instanceof PresenceLogError)) throw err;
      s.logger.warn("circle arrival not logged yet; the next join or pass reconciles", { error: errorKind(err.cause) });
    });
    await reconcileCirclePresence(s.streams, s.io, s.presence, circleId);
  };

  return {
    "circle:start": command(Commands["circle:start"], async (p, socket) => {
      const user = socket.data.user;
      const cohort = await s.directory.cohortFor(user, p.cohortId);
      const opening = circleOpening(cohort, user.id, s.clock.now(), p);
      // Derived from the command id so a retried start opens the same circle [LOG2].
      const circleId = derivedId("c_", p.id);
      const { opened, listed } = await openAndList(
        s,
        { userId: user.id, cohortId: cohort.id, command: "circle:start", commandId: p.id },
        {
          kind: "circle",
          id: circleId,
          decide: (st) =>
            decideStartCircle(st, { id: p.id, cohortId: cohort.id, title: p.title, ...opening }, viewerOf(user)),
        },
        {
          id: serverId("circle-listed", circleId),
          type: "circle.listed",
          actor: user.id,
          data: { circleId, title: p.title, sessionId: opening.sessionId },
        },
      );
      const { events, duplicate } = opened;
      fanOut(s.io, streamName("circle", circleId), { events, duplicate });
      fanOut(s.io, streamName("cohort", cohort.id), { events: [listed.event], duplicate: listed.duplicate });
      return { circleId, seq: firstSeq(events, "circle") };
    }),

    "circle:join": command(Commands["circle:join"], async (p, socket) => {
      const user = socket.data.user;
      const { circle, cohort } = await circleFor(s.streams, s.directory, user, p.circleId);
      const stream = streamName("circle", p.circleId);
      const mustAgree = await needsAgreement(s.streams, user, circle, cohort);
      const people = await s.directory.people(cohort);
      // [CIR1] Before the agreement: no subscription and no history, only the question. The client joins again after agreeing.
      if (mustAgree)
        return {
          circleId: p.circleId,
          cohortId: cohort.id,
          people,
          needsAgreement: true,
          sync: { stream, epoch: null, reset: true, events: [], head: 0, more: false },
        };
      await subscribe(socket, stream);
      if (p.present !== false) await takeSeat(p.circleId, socket);
      const sync = await syncStream(s.log, viewerOf(user), stream, null, 0);
      return { circleId: p.circleId, cohortId: cohort.id, people, needsAgreement: false, sync };
    }),

    // [CIR2] Leaving the room in the app empties the seat at once; a dropped connection waits out its grace [PR2].
    "circle:leave": command(Commands["circle:leave"], async (p, socket) => {
      const room = circlePresenceRoom(p.circleId);
      if (socket.data.sessions.delete(room)) await s.presence.leave(room, socket.data.user.id, socket.id);
      return { left: true as const };
    }),

    "circle:agree": command(Commands["circle:agree"], async (p, socket) => {
      const user = socket.data.user;
      await circleFor(s.streams, s.directory, user, p.circleId);
      return run(p.circleId, clientKey(user.id, "circle:agree", p.id), (st) => decideAgree(st, p.id, viewerOf(user)));
    }),

    "circle:piece": command(Commands["circle:piece"], async (p, socket) => {
      const user = socket.data.user;
      const { circle, cohort } = await circleFor(s.streams, s.directory, user, p.circleId);
      await requireAgreement(s.streams, user, circle, cohort);
      // [CIR2] Who is there, as presence has it, is in the log before the piece moves.
      await reconcileCirclePresence(s.streams, s.io, s.presence, p.circleId);
      return run(p.circleId, clientKey(user.id, "circle:piece", p.id), (st) =>
        decidePiece(st, { id: p.id, action: p.action, to: p.to ?? null }, viewerOf(user), s.clock.now()),
      );
    }),

    "circle:lock": command(Commands["circle:lock"], (p, socket) =>
      closing(p, socket.data.user, decideLock, "circle:lock"),
    ),
    "circle:end": command(Commands["circle:end"], (p, socket) => closing(p, socket.data.user, decideEnd, "circle:end")),

    // [CIR3] The server's clock for NTP-style offset estimates; no state, no log.
    "time:ping": command(Commands["time:ping"], async () => ({ serverTime: s.clock.now() })),
  };
}

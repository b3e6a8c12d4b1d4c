import { decideCheckin, decideOpenSession } from "../../../shared/domain/session.js";
import type { CohortState, ScheduledSession } from "../../../shared/domain/cohort.js";
import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import { Commands } from "../../../shared/protocol/events.js";
import { serverId, streamName, type StreamName } from "../../../shared/log.js";
import { clientKey } from "../../domain/stream-service.js";
import { isStaff } from "../../../shared/domain/roles.js";
import { viewerOf } from "../../domain/directory.js";
import { derivedId } from "../../domain/derived-id.js";
import { syncStream } from "../../domain/sync.js";
import type { Services } from "../../services.js";
import { fanOut } from "../fanout.js";
import { openAndList } from "./same-command.js";
import { firstSeq } from "./acks.js";
import { command, type FeatureHandlers } from "../handler.js";
import { rooms } from "../rooms.js";
import { PresenceLogError } from "../../presence/service.js";
import { errorKind } from "../../logger.js";
import type { AppSocket } from "../types.js";

/** Subscribe a socket to a stream's rooms: the whole-event rooms it may see and the position room. */
export async function subscribe(socket: AppSocket, stream: StreamName): Promise<void> {
  const user = socket.data.user;
  const names = [rooms.stream(stream), rooms.personal(stream, user.id)];
  if (isStaff(viewerOf(user))) names.push(rooms.staff(stream));
  await socket.join(names);
}

/**
 * The scheduled dosing session a facilitator starts a live room from: one of theirs, in this
 * cohort. Its title, planned participants and times are what the room runs on.
 */
function scheduledPlan(cohort: CohortState, scheduledId: string | undefined, userId: string) {
  if (scheduledId === undefined) return null;
  const plan = cohort.schedule.find((x) => x.id === scheduledId);
  if (!plan || plan.kind !== "dosing")
    throw new AppError(ErrorCode.NOT_FOUND, "That dosing session is not on this cohort's schedule.");
  if (!plan.facilitators.includes(userId))
    throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator scheduled for this session can start it.");
  return { ...plan, sessionId: plan.id };
}

function scheduledOf(plan: ScheduledSession) {
  return { sessionId: plan.id, start: plan.start, end: plan.end, participants: plan.participants };
}

/** Live session commands. Every handler: parse (in `command`) → authorize → decide → append → ack → fan out. */
export function sessionHandlers(
  s: Services,
): FeatureHandlers<
  "session:open" | "session:join" | "session:leave" | "checkin:send" | "stream:sync" | "presence:set"
> {
  return {
    "session:open": command(Commands["session:open"], async (p, socket) => {
      const user = socket.data.user;
      const cohort = await s.directory.cohortFor(user, p.cohortId);
      const plan = scheduledPlan(cohort, p.scheduledId, user.id);
      // One live room per scheduled session: a second facilitator pressing start joins the first's.
      const already = plan && cohort.sessions.find((x) => x.scheduledId === plan.sessionId);
      if (already) return { sessionId: already.id, seq: 0 };
      const title = plan?.title ?? p.title ?? "";
      // The session id is derived from the command id so a retried command opens the same room.
      const sessionId = derivedId("s_", p.id);
      const { opened, listed } = await openAndList(
        s,
        { userId: user.id, cohortId: cohort.id, command: "session:open", commandId: p.id },
        {
          kind: "session",
          id: sessionId,
          decide: (st) =>
            decideOpenSession(
              st,
              { id: p.id, cohortId: cohort.id, title, scheduled: plan && scheduledOf(plan) },
              viewerOf(user),
            ),
        },
        {
          id: serverId("listed", sessionId),
          type: "session.opened",
          actor: user.id,
          data: { sessionId, title, openedBy: user.id, scheduledId: plan?.sessionId ?? null },
        },
      );
      const { events, duplicate } = opened;
      fanOut(s.io, streamName("session", sessionId), { events, duplicate });
      await s.listing.ensure(sessionId);
      fanOut(s.io, streamName("cohort", cohort.id), { events: [listed.event], duplicate: listed.duplicate });
      return { sessionId, seq: events[0]?.seq ?? 0 };
    }),

    "session:join": command(Commands["session:join"], async (p, socket) => {
      const user = socket.data.user;
      const { cohort } = await s.directory.sessionFor(user, p.sessionId);
      const stream = streamName("session", p.sessionId);
      await subscribe(socket, stream);
      await socket.join(rooms.presence(p.sessionId));
      socket.data.sessions.add(p.sessionId);
      // Seeded or older sessions join the list the periodic checks walk on first use.
      await s.listing.ensure(p.sessionId);
      // Present once stored; an arrival the log refused is logged by the session's reconcile (service.ts).
      await s.presence.connect(p.sessionId, user.id, socket.id).catch((err: unknown) => {
        if (!(err instanceof PresenceLogError)) throw err;
        s.logger.warn("arrival not logged yet; the session's reconcile will", {
          session: { id: p.sessionId },
          error: errorKind(err.cause),
        });
      });
      const [people, presence, sync] = await Promise.all([
        s.directory.people(cohort),
        s.presence.snapshot(p.sessionId),
        syncStream(s.log, viewerOf(user), stream, p.since?.epoch ?? null, p.since?.seq ?? 0),
      ]);
      return { sessionId: p.sessionId, cohortId: cohort.id, people, presence, sync };
    }),

    "session:leave": command(Commands["session:leave"], async (p, socket) => {
      if (socket.data.sessions.delete(p.sessionId)) {
        await s.presence.leave(p.sessionId, socket.data.user.id, socket.id);
        await socket.leave(rooms.presence(p.sessionId));
      }
      return { sessionId: p.sessionId };
    }),

    "checkin:send": command(Commands["checkin:send"], async (p, socket) => {
      const user = socket.data.user;
      await s.directory.sessionFor(user, p.sessionId);
      // [LIVE6] A need_support check-in raises an alert: its session must be on the list the
      // escalation checks walk before the alert exists, even if no one has joined the room yet.
      await s.listing.ensure(p.sessionId);
      const done = await s.streams.execute("session", p.sessionId, clientKey(user.id, "checkin:send", p.id), (st) =>
        decideCheckin(st, p, viewerOf(user)),
      );
      const seq = firstSeq(done.events, "check-in");
      fanOut(s.io, streamName("session", p.sessionId), done);
      return { seq };
    }),

    "stream:sync": command(Commands["stream:sync"], async (p, socket) => {
      const user = socket.data.user;
      await s.directory.authorizeStream(user, p.stream);
      await subscribe(socket, p.stream);
      return syncStream(s.log, viewerOf(user), p.stream, p.epoch, p.seq);
    }),

    "presence:set": command(Commands["presence:set"], async (p, socket) => {
      if (!socket.data.sessions.has(p.sessionId))
        throw new AppError(ErrorCode.NOT_FOUND, "Join the session before setting your presence in it.");
      return { state: await s.presence.setState(p.sessionId, socket.data.user.id, socket.id, p.state) };
    }),
  };
}

import { decideFnote } from "../../../shared/domain/circle-facilitator.js";
import { decideShare, decideWrite } from "../../../shared/domain/journal.js";
import { NotesUpdate, NOTES_COMMAND_BYTES } from "../../../shared/protocol/circle.js";
import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import { Commands } from "../../../shared/protocol/events.js";
import { streamName } from "../../../shared/log.js";
import { authorizeCircleStream, circleFor, requireAgreement } from "../../domain/circles.js";
import { clientKey } from "../../domain/stream-service.js";
import { viewerOf } from "../../domain/directory.js";
import { checkNotesUpdate, NOTES_LOCKED, refuseIfSealed } from "../../domain/notes.js";
import { errorKind } from "../../logger.js";
import { compactNotes, COMPACT_AFTER } from "../../jobs/compaction.js";
import type { Services } from "../../services.js";
import { fanOut } from "../fanout.js";
import { command, parseWith, type FeatureHandlers } from "../handler.js";
import { rooms } from "../rooms.js";
import { firstSeq } from "./acks.js";

type NotesCommand = "notes:update" | "notes:awareness" | "journal:write" | "journal:share" | "fnote:save";

/** Shared notes (Yjs), private journals and facilitator notes [CIR4]–[CIR6]. */
export function circleNotesHandlers(s: Services): FeatureHandlers<NotesCommand> {
  return {
    // A notes update may be larger than other commands, so it is parsed with its own cap [AC5].
    "notes:update": {
      run: async (payload, socket) => {
        const p = parseWith(NotesUpdate, payload, NOTES_COMMAND_BYTES);
        const user = socket.data.user;
        const { circle, cohort } = await circleFor(s.streams, s.directory, user, p.circleId);
        await requireAgreement(s.streams, user, circle, cohort);
        const stream = streamName("notes", p.circleId);
        const key = clientKey(user.id, "notes:update", p.id);
        // A retry of an update that already landed gets its first answer, even after a lock [LOG2].
        const first = (await s.streams.retryOf(stream, key))?.[0];
        if (first) {
          await refuseIfSealed(s.log, p.circleId, first.seq);
          return { seq: first.seq };
        }
        if (circle.locked) throw new AppError(ErrorCode.RULE_VIOLATION, NOTES_LOCKED);
        checkNotesUpdate(p.update);
        // No expectedSeq: Yjs updates commute, so concurrent typists never conflict. Durable before the ack [LOG3].
        const { events, duplicate } = await s.streams.record(stream, key, [{ id: p.id, type: "notes.update", actor: user.id, data: { u: p.update } }]);
        const event = events[0];
        if (!event) throw new AppError(ErrorCode.UNAVAILABLE, "The update was not recorded. It is safe to try again.");
        // Past the lock check but landed after the seal: kept in the log, counted by no reader [CIR4].
        await refuseIfSealed(s.log, p.circleId, event.seq);
        fanOut(s.io, stream, { events: [event], duplicate });
        if (event.seq % COMPACT_AFTER === 0) {
          compactNotes(s.log, stream).catch((err: unknown) => s.logger.warn("notes compaction failed", { error: errorKind(err) }));
        }
        return { seq: event.seq };
      },
    },

    // [CIR4] Awareness is relayed to the others in the circle on every node, never stored.
    "notes:awareness": command(Commands["notes:awareness"], async (p, socket) => {
      const { circle, cohort } = await circleFor(s.streams, s.directory, socket.data.user, p.circleId);
      // Only people who have accepted the agreement take part in the notes, cursors included [CIR1].
      await requireAgreement(s.streams, socket.data.user, circle, cohort);
      socket.to(rooms.stream(streamName("notes", p.circleId))).emit("notes:awareness", { circleId: p.circleId, update: p.update });
      return { relayed: true as const };
    }),

    "journal:write": command(Commands["journal:write"], async (p, socket) => {
      const user = socket.data.user;
      const circleId = p.circleId ?? null;
      if (circleId !== null) await circleFor(s.streams, s.directory, user, circleId);
      const done = await s.streams.execute("journal", user.id, clientKey(user.id, "journal:write", p.id), () => decideWrite({ id: p.id, text: p.text, circleId }, viewerOf(user)));
      const { events } = done;
      fanOut(s.io, streamName("journal", user.id), done);
      return { seq: firstSeq(events, "journal entry"), entryId: p.id };
    }),

    "journal:share": command(Commands["journal:share"], async (p, socket) => {
      const user = socket.data.user;
      await authorizeCircleStream(s.streams, s.directory, user, "journal", user.id);
      const { circle, cohort } = await circleFor(s.streams, s.directory, user, p.circleId);
      await requireAgreement(s.streams, user, circle, cohort);
      const journal = await s.streams.state("journal", user.id);
      const done = await s.streams.execute("circle", p.circleId, clientKey(user.id, "journal:share", p.id), () => decideShare(journal, p, viewerOf(user)));
      const { events } = done;
      fanOut(s.io, streamName("circle", p.circleId), done);
      return { seq: firstSeq(events, "shared entry") };
    }),

    "fnote:save": command(Commands["fnote:save"], async (p, socket) => {
      const user = socket.data.user;
      await authorizeCircleStream(s.streams, s.directory, user, "fnote", p.circleId);
      const { circle } = await circleFor(s.streams, s.directory, user, p.circleId);
      const done = await s.streams.execute("fnote", p.circleId, clientKey(user.id, "fnote:save", p.id), () => decideFnote(p, circle.seats, viewerOf(user)));
      const { events } = done;
      fanOut(s.io, streamName("fnote", p.circleId), done);
      return { seq: firstSeq(events, "note") };
    }),
  };
}

import { decideFnote } from "../../../shared/domain/circle-facilitator.js";
import { decideShare, decideUnshare, decideWrite } from "../../../shared/domain/journal.js";
import { NotesUpdate, NOTES_COMMAND_BYTES } from "../../../shared/protocol/circle.js";
import { Commands } from "../../../shared/protocol/events.js";
import { streamName } from "../../../shared/log.js";
import { authorizeCircleStream, circleFor, requireAgreement } from "../../domain/circles.js";
import { clientKey } from "../../domain/stream-service.js";
import { viewerOf } from "../../domain/directory.js";
import { recordNotesUpdate } from "../../domain/notes.js";
import { compactWhenDue } from "../../jobs/compaction.js";
import type { Services } from "../../services.js";
import { fanOut } from "../fanout.js";
import { command, parseWith, type FeatureHandlers } from "../handler.js";
import { rooms } from "../rooms.js";
import { firstSeq } from "./acks.js";

type NotesCommand =
  "notes:update" | "notes:awareness" | "journal:write" | "journal:share" | "journal:unshare" | "fnote:save";

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
        const { seq, appended } = await recordNotesUpdate(
          s.streams,
          s.log,
          circle,
          clientKey(user.id, "notes:update", p.id),
          p,
          user.id,
        );
        if (appended) {
          const stream = streamName("notes", p.circleId);
          fanOut(s.io, stream, appended);
          compactWhenDue(s.log, stream, seq, s.logger);
        }
        return { seq };
      },
    },

    // [CIR4] Awareness is relayed to the others in the circle on every node, never stored.
    "notes:awareness": command(Commands["notes:awareness"], async (p, socket) => {
      const { circle, cohort } = await circleFor(s.streams, s.directory, socket.data.user, p.circleId);
      // Only people who have accepted the agreement take part in the notes, cursors included [CIR1].
      await requireAgreement(s.streams, socket.data.user, circle, cohort);
      socket
        .to(rooms.stream(streamName("notes", p.circleId)))
        .emit("notes:awareness", { circleId: p.circleId, update: p.update });
      return { relayed: true as const };
    }),

    "journal:write": command(Commands["journal:write"], async (p, socket) => {
      const user = socket.data.user;
      const circleId = p.circleId ?? null;
      if (circleId !== null) await circleFor(s.streams, s.directory, user, circleId);
      const done = await s.streams.execute("journal", user.id, clientKey(user.id, "journal:write", p.id), () =>
        decideWrite({ id: p.id, text: p.text, circleId }, viewerOf(user)),
      );
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
      const done = await s.streams.execute("circle", p.circleId, clientKey(user.id, "journal:share", p.id), (st) =>
        decideShare(journal, p, viewerOf(user), st),
      );
      fanOut(s.io, streamName("circle", p.circleId), done);
      return { seq: done.events[0]?.seq ?? (await s.streams.state("circle", p.circleId)).seq };
    }),

    // [CIR5] Undo a share: the circle stops showing the entry; only its owner can.
    "journal:unshare": command(Commands["journal:unshare"], async (p, socket) => {
      const user = socket.data.user;
      await circleFor(s.streams, s.directory, user, p.circleId);
      const done = await s.streams.execute("circle", p.circleId, clientKey(user.id, "journal:unshare", p.id), (st) =>
        decideUnshare(st, p, viewerOf(user)),
      );
      fanOut(s.io, streamName("circle", p.circleId), done);
      return { seq: firstSeq(done.events, "unshared entry") };
    }),

    "fnote:save": command(Commands["fnote:save"], async (p, socket) => {
      const user = socket.data.user;
      await authorizeCircleStream(s.streams, s.directory, user, "fnote", p.circleId);
      const { circle } = await circleFor(s.streams, s.directory, user, p.circleId);
      const done = await s.streams.execute("fnote", p.circleId, clientKey(user.id, "fnote:save", p.id), () =>
        decideFnote(p, circle.seats, viewerOf(user)),
      );
      const { events } = done;
      fanOut(s.io, streamName("fnote", p.circleId), done);
      return { seq: firstSeq(events, "note") };
    }),
  };
}

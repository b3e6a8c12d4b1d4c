import { z } from "zod";
import { multiLine, singleLine } from "./text.js";
import { Id } from "../log.js";
import { PieceAction } from "../domain/circle.js";
import { Base64, MAX_AWARENESS_CHARS, MAX_NOTES_UPDATE_CHARS } from "../domain/notes.js";
import { JOURNAL_TEXT_MAX } from "../domain/journal.js";
import { FNOTE_TEXT_MAX } from "../domain/circle-facilitator.js";
import type { PublicUser, SyncResult } from "./common.js";

/** The integration circle's commands [CIR1]–[CIR6]: schemas, replies and pushes. */

export const CircleStart = z.strictObject({
  id: Id,
  cohortId: Id,
  title: singleLine().trim().min(1, "Give the circle a title.").max(120),
  /** A scheduled session this circle belongs to, if any. */
  sessionId: Id.nullable().optional(),
  shareMinutes: z.number().int().min(1).max(30).optional(),
  durationMinutes: z.number().int().min(10).max(240).optional(),
});
export type CircleStart = z.infer<typeof CircleStart>;

/**
 * [CIR2] Joining takes a seat in the room (presence) unless `present` is false: the journal page
 * follows a circle's shared entries without counting its reader as there.
 */
export const CircleJoin = z.strictObject({ circleId: Id, present: z.boolean().optional() });
/** Leaving the room on purpose: the seat counts as empty at once (a dropped connection waits out its grace). */
export const CircleLeave = z.strictObject({ circleId: Id });
export const CircleAgree = z.strictObject({ id: Id, circleId: Id });
export const CirclePiece = z.strictObject({ id: Id, circleId: Id, action: PieceAction, to: Id.nullable().optional() });
export const CircleLock = z.strictObject({ id: Id, circleId: Id });
export const CircleEnd = z.strictObject({ id: Id, circleId: Id });

export const NotesUpdate = z.strictObject({ id: Id, circleId: Id, update: Base64.min(4) });
/** The payload cap: an update of MAX_NOTES_UPDATE_BYTES in base64 and the envelope; the decoded size is checked again. */
export const NOTES_COMMAND_BYTES = MAX_NOTES_UPDATE_CHARS + 1024;
export const NotesAwareness = z.strictObject({ circleId: Id, update: Base64.min(1).max(MAX_AWARENESS_CHARS) });

export const JournalWrite = z.strictObject({
  id: Id,
  text: multiLine().trim().min(1, "Write something first.").max(JOURNAL_TEXT_MAX),
  circleId: Id.nullable().optional(),
});
export const JournalShare = z.strictObject({ id: Id, entryId: Id, circleId: Id });
export const JournalUnshare = z.strictObject({ id: Id, entryId: Id, circleId: Id });

export const FnoteSave = z.strictObject({
  id: Id,
  circleId: Id,
  about: Id.nullable(),
  text: multiLine().trim().min(1, "Write the note first.").max(FNOTE_TEXT_MAX),
});

export const TimePing = z.strictObject({});

export const CircleCommands = {
  "circle:start": CircleStart,
  "circle:join": CircleJoin,
  "circle:leave": CircleLeave,
  "circle:agree": CircleAgree,
  "circle:piece": CirclePiece,
  "circle:lock": CircleLock,
  "circle:end": CircleEnd,
  "notes:update": NotesUpdate,
  "notes:awareness": NotesAwareness,
  "journal:write": JournalWrite,
  "journal:share": JournalShare,
  "journal:unshare": JournalUnshare,
  "fnote:save": FnoteSave,
  "time:ping": TimePing,
} as const;

export interface CircleJoined {
  circleId: string;
  cohortId: string;
  people: PublicUser[];
  /** [CIR1] The participant has not yet accepted the agreement in this cohort. */
  needsAgreement: boolean;
  sync: SyncResult;
}

export interface CircleReplies {
  "circle:start": { circleId: string; seq: number };
  "circle:join": CircleJoined;
  "circle:leave": { left: true };
  "circle:agree": { seq: number };
  "circle:piece": { seq: number };
  "circle:lock": { seq: number };
  "circle:end": { seq: number };
  "notes:update": { seq: number };
  "notes:awareness": { relayed: true };
  "journal:write": { seq: number; entryId: string };
  "journal:share": { seq: number };
  "journal:unshare": { seq: number };
  "fnote:save": { seq: number };
  /** The server's clock, ms since the epoch [CIR3]. */
  "time:ping": { serverTime: number };
}

/** Awareness is relayed, never stored: cursors and who is typing [CIR4]. */
export interface NotesAwarenessPush {
  circleId: string;
  update: string;
}

import { z } from "zod";
import { AppError, ErrorCode } from "../protocol/errors.js";
import type { DraftEvent, StoredEvent } from "../log.js";
import { onlyParticipant, type Audience, type Viewer } from "./roles.js";

/**
 * [CIR5] A participant's private journal (`journal:<userId>`). Only its owner may read the stream
 * (Directory.authorizeStream); an entry reaches the circle only when its owner shares it.
 */
export const JOURNAL_TEXT_MAX = 5000;

export const JournalEventData = {
  "journal.written": z.object({
    entryId: z.string(),
    text: z.string().max(JOURNAL_TEXT_MAX),
    circleId: z.string().nullable(),
  }),
} as const;

export interface JournalEntry {
  entryId: string;
  text: string;
  circleId: string | null;
  at: string;
}

export interface JournalState {
  id: string;
  seq: number;
  entries: JournalEntry[];
}

export function emptyJournal(id: string): JournalState {
  return { id, seq: 0, entries: [] };
}

export function reduceJournal(state: JournalState, e: StoredEvent): JournalState {
  if (e.type !== "journal.written") return { ...state, seq: e.seq };
  const d = JournalEventData["journal.written"].parse(e.data);
  return { ...state, seq: e.seq, entries: [...state.entries, { ...d, at: e.at }] };
}

/** The owner only; staff are kept out by authorization, not by audience. */
export function journalAudience(e: StoredEvent): Audience {
  return onlyParticipant(e.actor);
}

type Draft = Omit<DraftEvent, "at">;

export function decideWrite(cmd: { id: string; text: string; circleId: string | null }, actor: Viewer): Draft[] {
  if (actor.role !== "participant") throw new AppError(ErrorCode.FORBIDDEN, "Journals are for participants.");
  return [
    {
      id: cmd.id,
      type: "journal.written",
      actor: actor.userId,
      data: { entryId: cmd.id, text: cmd.text, circleId: cmd.circleId },
    },
  ];
}

/** What sharing reads of the circle: what its members already share there. */
export interface CircleShares {
  shared: readonly { userId: string; entryId: string }[];
}

const isShared = (circle: CircleShares, userId: string, entryId: string) =>
  circle.shared.some((x) => x.userId === userId && x.entryId === entryId);

/**
 * [CIR5] Sharing copies one of the owner's own entries into the circle (once: sharing it again
 * while it is shared records nothing new). The client asks first; the server only checks it is theirs.
 */
export function decideShare(
  journal: JournalState,
  cmd: { id: string; entryId: string },
  actor: Viewer,
  circle: CircleShares = { shared: [] },
): Draft[] {
  const entry = journal.entries.find((x) => x.entryId === cmd.entryId);
  if (!entry || journal.id !== actor.userId)
    throw new AppError(ErrorCode.NOT_FOUND, "That journal entry does not exist or is not yours.");
  if (isShared(circle, actor.userId, entry.entryId)) return [];
  return [
    {
      id: cmd.id,
      type: "journal.shared",
      actor: actor.userId,
      data: { userId: actor.userId, entryId: entry.entryId, text: entry.text },
    },
  ];
}

/** [CIR5] Undo a share: only its owner can, and only while it is shared. */
export function decideUnshare(circle: CircleShares, cmd: { id: string; entryId: string }, actor: Viewer): Draft[] {
  if (actor.role !== "participant" || !isShared(circle, actor.userId, cmd.entryId))
    throw new AppError(ErrorCode.NOT_FOUND, "That entry is not shared with this circle by you.");
  return [
    {
      id: cmd.id,
      type: "journal.unshared",
      actor: actor.userId,
      data: { userId: actor.userId, entryId: cmd.entryId },
    },
  ];
}

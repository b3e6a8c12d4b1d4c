import { z } from "zod";
import { AppError, ErrorCode } from "../protocol/errors.js";
import type { DraftEvent, StoredEvent } from "../log.js";
import { STAFF, type Audience, type Viewer } from "./roles.js";

/**
 * [CIR6][AC3] Facilitator notes of a circle (`fnote:<circleId>`): one group process note and one
 * note per participant. Only the cohort's facilitators may read the stream (Directory).
 */
export const FNOTE_TEXT_MAX = 5000;

export const FnoteEventData = {
  /**
   * Before issue 11 a save replaced the note about `about`. Each one was still an authored, dated
   * text, so it now reads as one entry of that note's history; nothing saved is lost.
   */
  "fnote.saved": z.object({ about: z.string().nullable(), text: z.string().max(FNOTE_TEXT_MAX) }),
  /** [CIR6] One dated, authored entry; entries are only ever added, so two facilitators writing at once both keep their words. */
  "fnote.added": z.object({
    entryId: z.string(),
    about: z.string().nullable(),
    text: z.string().min(1).max(FNOTE_TEXT_MAX),
  }),
} as const;

export interface FnoteEntry {
  entryId: string;
  /** Whom the entry is about; null for the group process note. */
  about: string | null;
  text: string;
  by: string;
  at: string;
}

export interface FnoteState {
  id: string;
  seq: number;
  /** Oldest first, as written. */
  entries: FnoteEntry[];
}

export function emptyFnotes(id: string): FnoteState {
  return { id, seq: 0, entries: [] };
}

export function reduceFnotes(state: FnoteState, e: StoredEvent): FnoteState {
  const next = { ...state, seq: e.seq };
  switch (e.type) {
    case "fnote.saved": {
      const d = FnoteEventData["fnote.saved"].parse(e.data);
      return {
        ...next,
        entries: [...next.entries, { entryId: e.id, about: d.about, text: d.text, by: e.actor, at: e.at }],
      };
    }
    case "fnote.added": {
      const d = FnoteEventData["fnote.added"].parse(e.data);
      return { ...next, entries: [...next.entries, { ...d, by: e.actor, at: e.at }] };
    }
    default:
      return next;
  }
}

/** [CIR6] The history of one note (the group's when `about` is null), newest first. */
export function fnoteHistory(state: FnoteState, about: string | null): FnoteEntry[] {
  return state.entries.filter((x) => x.about === about).reverse();
}

export function fnoteAudience(_e: StoredEvent): Audience {
  return STAFF;
}

/** [CIR6] A new entry, never an overwrite: the decision reads nothing of the stream's state. */
export function decideFnote(
  cmd: { id: string; about: string | null; text: string },
  seats: readonly string[],
  actor: Viewer,
): Omit<DraftEvent, "at">[] {
  if (actor.role !== "facilitator")
    throw new AppError(ErrorCode.NOT_FOUND, "Facilitator notes are not available to you.");
  if (cmd.about !== null && !seats.includes(cmd.about))
    throw new AppError(ErrorCode.RULE_VIOLATION, "A note can only be about someone in this circle.");
  if (cmd.text.trim() === "") throw new AppError(ErrorCode.INVALID_PAYLOAD, "Write the note first.");
  return [
    {
      id: cmd.id,
      type: "fnote.added",
      actor: actor.userId,
      data: { entryId: cmd.id, about: cmd.about, text: cmd.text },
    },
  ];
}

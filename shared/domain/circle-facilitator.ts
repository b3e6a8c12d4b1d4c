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
  "fnote.saved": z.object({ about: z.string().nullable(), text: z.string().max(FNOTE_TEXT_MAX) }),
} as const;

export interface Fnote {
  text: string;
  by: string;
  at: string;
}

export interface FnoteState {
  id: string;
  seq: number;
  group: Fnote | null;
  perParticipant: Record<string, Fnote>;
}

export function emptyFnotes(id: string): FnoteState {
  return { id, seq: 0, group: null, perParticipant: {} };
}

export function reduceFnotes(state: FnoteState, e: StoredEvent): FnoteState {
  if (e.type !== "fnote.saved") return { ...state, seq: e.seq };
  const d = FnoteEventData["fnote.saved"].parse(e.data);
  const note = { text: d.text, by: e.actor, at: e.at };
  return d.about === null
    ? { ...state, seq: e.seq, group: note }
    : { ...state, seq: e.seq, perParticipant: { ...state.perParticipant, [d.about]: note } };
}

export function fnoteAudience(_e: StoredEvent): Audience {
  return STAFF;
}

export function decideFnote(
  cmd: { id: string; about: string | null; text: string },
  seats: readonly string[],
  actor: Viewer,
): Omit<DraftEvent, "at">[] {
  if (actor.role !== "facilitator")
    throw new AppError(ErrorCode.NOT_FOUND, "Facilitator notes are not available to you.");
  if (cmd.about !== null && !seats.includes(cmd.about))
    throw new AppError(ErrorCode.RULE_VIOLATION, "A note can only be about someone in this circle.");
  return [{ id: cmd.id, type: "fnote.saved", actor: actor.userId, data: { about: cmd.about, text: cmd.text } }];
}

import { z } from "zod";
import { AppError, ErrorCode } from "../protocol/errors.js";
import { serverId, type DraftEvent, type StoredEvent } from "../log.js";
import { ALL, type Audience } from "./roles.js";

/**
 * [CIR4] The shared notes of a circle (`notes:<circleId>`): each event is one Yjs update, base64.
 * The document itself is built by Yjs on each side; the reducer only keeps the position.
 */
export const MAX_NOTES_UPDATE_BYTES = 32 * 1024;
/** base64 of MAX_NOTES_UPDATE_BYTES bytes. */
export const MAX_NOTES_UPDATE_CHARS = Math.ceil(MAX_NOTES_UPDATE_BYTES / 3) * 4;
/** Awareness (cursors, who is typing) is small and never stored. */
export const MAX_AWARENESS_CHARS = 4096;
/** The Y.Text inside the document that holds the notes. */
export const NOTES_TEXT = "notes";

export const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "Send the update as base64.");

export const NotesEventData = {
  "notes.update": z.object({ u: Base64 }),
  "notes.sealed": z.object({ by: z.string() }),
} as const;

/**
 * [CIR4] The seal's event id: one per notes stream, so appending it again (a retried lock, or
 * the end after a lock) is a no-op [LOG2].
 */
export const NOTES_SEAL_ID = serverId("notes-seal");

/**
 * [CIR4] Why a seal: the lock lives in the circle stream, while updates go to the notes stream
 * without a sequence check (Yjs updates commute), so an update already past the lock check can
 * still land after the lock. Locking therefore also appends a seal to the notes stream, and every
 * reader (compaction, the client's Yjs, test peers) folds the stream with this one rule: an
 * update counts only when it comes before the seal. Pure and Yjs-free so both sides share it.
 */
export interface NotesFold {
  /** The seq of the seal, once seen. */
  sealedAt: number | null;
  /** The base64 Yjs update this event adds to the document, or null (seal, hidden, late). */
  update: string | null;
}

export function foldNotesEvent(
  sealedAt: number | null,
  e: { seq: number; type?: string; data?: Record<string, unknown> },
): NotesFold {
  if (e.type === "notes.sealed") return { sealedAt: sealedAt ?? e.seq, update: null };
  const u = e.data?.["u"];
  const counts = e.type === "notes.update" && typeof u === "string" && beforeSeal(sealedAt, e.seq);
  return { sealedAt, update: counts ? u : null };
}

/** [CIR4] The one rule of the seal: an event at `seq` counts only when it comes before the seal, if any. */
export function beforeSeal(sealedAt: number | null, seq: number): boolean {
  return sealedAt === null || seq < sealedAt;
}

export const NOTES_LOCKED = "The circle notes are locked; nothing more can be changed.";

/**
 * [CIR4] A new update to a circle's shared notes: refused once the circle is locked, else one
 * event. It is appended without a sequence check, as Yjs updates commute: typists never conflict.
 */
export function decideNotesUpdate(
  circle: { locked: boolean },
  cmd: { id: string; update: string },
  actorId: string,
): Omit<DraftEvent, "at">[] {
  if (circle.locked) throw new AppError(ErrorCode.RULE_VIOLATION, NOTES_LOCKED);
  return [{ id: cmd.id, type: "notes.update", actor: actorId, data: { u: cmd.update } }];
}

/**
 * [CIR4] An update is acknowledged only if it counts: one that passed the lock check and landed
 * after the seal stays in the log, but no reader folds it, so its writer is told it was refused.
 */
export function assertBeforeSeal(sealedAt: number | null, seq: number): void {
  if (!beforeSeal(sealedAt, seq)) throw new AppError(ErrorCode.RULE_VIOLATION, NOTES_LOCKED);
}

/** Compact a notes stream once this many updates sit after its snapshot. */
export const COMPACT_AFTER = 200;

/**
 * [CIR4] The update that brings its stream to a multiple of COMPACT_AFTER starts a compaction,
 * on the node that appended it: one try per COMPACT_AFTER events, however many nodes take writes.
 */
export function compactionDue(seq: number): boolean {
  return seq % COMPACT_AFTER === 0;
}

export interface NotesState {
  id: string;
  seq: number;
  updates: number;
  sealedAt: number | null;
}

export function emptyNotes(id: string): NotesState {
  return { id, seq: 0, updates: 0, sealedAt: null };
}

export function reduceNotes(state: NotesState, e: StoredEvent): NotesState {
  const f = foldNotesEvent(state.sealedAt, e);
  return { ...state, seq: e.seq, sealedAt: f.sealedAt, updates: state.updates + (f.update === null ? 0 : 1) };
}

/** Every member of the circle edits the same document. */
export function notesAudience(_e: StoredEvent): Audience {
  return ALL;
}

/** Yjs updates commute: an update touches nothing another decision reads; the seal ends the stream. */
export function notesTouches(e: { type: string }): string[] {
  return e.type === "notes.update" ? [] : ["*"];
}

import { z } from "zod";
import type { StoredEvent } from "../log.js";
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
} as const;

export interface NotesState {
  id: string;
  seq: number;
  updates: number;
}

export function emptyNotes(id: string): NotesState {
  return { id, seq: 0, updates: 0 };
}

export function reduceNotes(state: NotesState, e: StoredEvent): NotesState {
  return e.type === "notes.update" ? { ...state, seq: e.seq, updates: state.updates + 1 } : { ...state, seq: e.seq };
}

/** Every member of the circle edits the same document. */
export function notesAudience(_e: StoredEvent): Audience {
  return ALL;
}

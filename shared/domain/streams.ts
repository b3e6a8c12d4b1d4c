import type { HiddenEvent, StoredEvent, StreamKind, ViewEvent } from "../log.js";
import { canSee, type Audience, type Viewer } from "./roles.js";
import { cohortAudience, emptyCohort, reduceCohort, type CohortState } from "./cohort.js";
import { emptyProgram, programAudience, reduceProgram, type ProgramState } from "./program.js";
import { emptySession, reduceSession, sessionAudience, type SessionState } from "./session.js";
import { sessionTouches } from "./session-touches.js";
import { circleAudience, emptyCircle, reduceCircle, type CircleState } from "./circle.js";
import { emptyNotes, notesAudience, notesTouches, reduceNotes, type NotesState } from "./notes.js";
import { emptyJournal, journalAudience, reduceJournal, type JournalState } from "./journal.js";
import { emptyLiveIndex, liveIndexAudience, reduceLiveIndex, type LiveIndexState } from "./live-index.js";
import { emptyOutcome, outcomeAudience, outcomeTouches, reduceOutcome, type OutcomeState } from "./outcome.js";
import { emptyFnotes, fnoteAudience, reduceFnotes, type FnoteState } from "./circle-facilitator.js";

/** An event as far as concurrency is concerned: what it is and what it is about. */
export type EventShape = Pick<StoredEvent, "id" | "type" | "data">;

/** Everything the log machinery needs to know about one kind of stream. */
export interface StreamDef<S extends { seq: number }> {
  empty(id: string): S;
  reduce(state: S, e: StoredEvent): S;
  audience(e: StoredEvent): Audience;
  /**
   * The parts of the state an event changes (and a decision that produces it has read):
   * `*` is the whole stream. Without it every event touches the whole stream, so every
   * decision on the stream is checked against its head.
   */
  touches?(e: EventShape): string[];
}

/** What an event touches (the whole stream unless its kind says otherwise). */
export function touchesOf(def: { touches?(e: EventShape): string[] }, e: EventShape): string[] {
  return def.touches ? def.touches(e) : [WHOLE_STREAM];
}

export const WHOLE_STREAM = "*";

/**
 * The guard of a decision made on the state at `seq` that produced `drafts`: the whole stream
 * when any of them touches it, else only the scopes they touch — a check-in for one participant
 * never waits for another participant's (DESIGN.md "Concurrency").
 */
export function guardFor(
  kind: StreamKind,
  seq: number,
  drafts: readonly EventShape[],
): { seq: number; scopes: "stream" | string[] } {
  const scopes = new Set<string>();
  for (const d of drafts) for (const t of touchesOf(streamDefs[kind], d)) scopes.add(t);
  return scopes.has(WHOLE_STREAM) ? { seq, scopes: "stream" } : { seq, scopes: [...scopes] };
}

export const sessionStream: StreamDef<SessionState> = {
  empty: emptySession,
  reduce: reduceSession,
  audience: sessionAudience,
  touches: sessionTouches,
};
export const cohortStream: StreamDef<CohortState> = {
  empty: emptyCohort,
  reduce: reduceCohort,
  audience: cohortAudience,
};
export const programStream: StreamDef<ProgramState> = {
  empty: emptyProgram,
  reduce: reduceProgram,
  audience: programAudience,
};
export const circleStream: StreamDef<CircleState> = {
  empty: emptyCircle,
  reduce: reduceCircle,
  audience: circleAudience,
};
export const notesStream: StreamDef<NotesState> = {
  empty: emptyNotes,
  reduce: reduceNotes,
  audience: notesAudience,
  touches: notesTouches,
};
export const journalStream: StreamDef<JournalState> = {
  empty: emptyJournal,
  reduce: reduceJournal,
  audience: journalAudience,
};
export const liveIndexStream: StreamDef<LiveIndexState> = {
  empty: emptyLiveIndex,
  reduce: reduceLiveIndex,
  audience: liveIndexAudience,
};
export const fnoteStream: StreamDef<FnoteState> = { empty: emptyFnotes, reduce: reduceFnotes, audience: fnoteAudience };

export const outcomeStream: StreamDef<OutcomeState> = {
  empty: emptyOutcome,
  reduce: reduceOutcome,
  audience: outcomeAudience,
  touches: outcomeTouches,
};

export interface StreamStates {
  session: SessionState;
  cohort: CohortState;
  program: ProgramState;
  circle: CircleState;
  notes: NotesState;
  journal: JournalState;
  fnote: FnoteState;
  index: LiveIndexState;
  outcome: OutcomeState;
}

export const streamDefs: { [K in StreamKind]: StreamDef<StreamStates[K]> } = {
  session: sessionStream,
  cohort: cohortStream,
  program: programStream,
  circle: circleStream,
  notes: notesStream,
  journal: journalStream,
  fnote: fnoteStream,
  index: liveIndexStream,
  outcome: outcomeStream,
};

/** [AC3] The form of an event a viewer receives: the event itself, or only its position. */
export function viewOf(kind: StreamKind, e: StoredEvent, viewer: Viewer): ViewEvent {
  if (canSee(streamDefs[kind].audience(e), viewer)) return e;
  const hidden: HiddenEvent = { seq: e.seq, epoch: e.epoch, hidden: true };
  return hidden;
}

/** Fold a stream's events into state — the same function on server and client [LOG5]. */
export function foldEvents<S extends { seq: number }>(def: StreamDef<S>, state: S, events: readonly ViewEvent[]): S {
  let s = state;
  for (const e of events) {
    if (e.seq <= s.seq) continue;
    s = "hidden" in e ? { ...s, seq: e.seq } : def.reduce(s, e);
  }
  return s;
}

import type { HiddenEvent, StoredEvent, StreamKind, ViewEvent } from "../log.js";
import { canSee, type Audience, type Viewer } from "./roles.js";
import { cohortAudience, emptyCohort, reduceCohort, type CohortState } from "./cohort.js";
import { emptyProgram, programAudience, reduceProgram, type ProgramState } from "./program.js";
import { emptySession, reduceSession, sessionAudience, type SessionState } from "./session.js";

/** Everything the log machinery needs to know about one kind of stream. */
export interface StreamDef<S extends { seq: number }> {
  empty(id: string): S;
  reduce(state: S, e: StoredEvent): S;
  audience(e: StoredEvent): Audience;
}

export const sessionStream: StreamDef<SessionState> = { empty: emptySession, reduce: reduceSession, audience: sessionAudience };
export const cohortStream: StreamDef<CohortState> = { empty: emptyCohort, reduce: reduceCohort, audience: cohortAudience };
export const programStream: StreamDef<ProgramState> = { empty: emptyProgram, reduce: reduceProgram, audience: programAudience };

export interface StreamStates {
  session: SessionState;
  cohort: CohortState;
  program: ProgramState;
}

export const streamDefs: { [K in StreamKind]: StreamDef<StreamStates[K]> } = {
  session: sessionStream,
  cohort: cohortStream,
  program: programStream,
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

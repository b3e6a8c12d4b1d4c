import { z } from "zod";
import type { StoredEvent } from "../log.js";
import { ALL, STAFF, onlyParticipant, type Audience, type Viewer } from "./roles.js";

/** Events of a cohort's stream (`cohort:<id>`). */
export const CohortEventData = {
  "cohort.created": z.object({ programId: z.string(), name: z.string(), capacity: z.number().int().positive() }),
  "facilitator.assigned": z.object({ userId: z.string() }),
  "participant.enrolled": z.object({ userId: z.string() }),
  "session.opened": z.object({ sessionId: z.string(), title: z.string(), openedBy: z.string() }),
} as const;

export interface CohortSession {
  id: string;
  title: string;
  openedAt: string;
}

export interface CohortState {
  id: string;
  seq: number;
  exists: boolean;
  programId: string | null;
  name: string;
  capacity: number;
  facilitators: string[];
  participants: string[];
  sessions: CohortSession[];
}

export function emptyCohort(id: string): CohortState {
  return { id, seq: 0, exists: false, programId: null, name: "", capacity: 0, facilitators: [], participants: [], sessions: [] };
}

function addOnce(list: string[], id: string): string[] {
  return list.includes(id) ? list : [...list, id];
}

/** [LOG5] The one reducer for a cohort stream. */
export function reduceCohort(state: CohortState, e: StoredEvent): CohortState {
  const next = { ...state, seq: e.seq };
  switch (e.type) {
    case "cohort.created": {
      const d = CohortEventData["cohort.created"].parse(e.data);
      return { ...next, exists: true, programId: d.programId, name: d.name, capacity: d.capacity };
    }
    case "facilitator.assigned":
      return { ...next, facilitators: addOnce(next.facilitators, CohortEventData["facilitator.assigned"].parse(e.data).userId) };
    case "participant.enrolled":
      return { ...next, participants: addOnce(next.participants, CohortEventData["participant.enrolled"].parse(e.data).userId) };
    case "session.opened": {
      const d = CohortEventData["session.opened"].parse(e.data);
      return { ...next, sessions: [...next.sessions, { id: d.sessionId, title: d.title, openedAt: e.at }] };
    }
    default:
      return next;
  }
}

/** [AC2] Participants learn of their own enrolment, not of everyone else's. */
export function cohortAudience(e: StoredEvent): Audience {
  if (e.type === "participant.enrolled") return onlyParticipant(CohortEventData["participant.enrolled"].parse(e.data).userId);
  return e.type === "cohort.created" || e.type === "facilitator.assigned" || e.type === "session.opened" ? ALL : STAFF;
}

/** [AC4] Membership comes from the server-side roster (the cohort's log), never from the client. */
export function isCohortMember(cohort: CohortState, viewer: Viewer, programAdmins: readonly string[]): boolean {
  if (!cohort.exists) return false;
  switch (viewer.role) {
    case "admin":
      return programAdmins.includes(viewer.userId);
    case "facilitator":
      return cohort.facilitators.includes(viewer.userId);
    case "participant":
      return cohort.participants.includes(viewer.userId);
  }
}

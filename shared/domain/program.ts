import { z } from "zod";
import type { StoredEvent } from "../log.js";
import { STAFF, type Audience } from "./roles.js";

/** Events of a program's stream (`program:<id>`). */
export const ProgramEventData = {
  "program.created": z.object({ name: z.string(), zone: z.string(), profile: z.string() }),
  "admin.added": z.object({ userId: z.string() }),
  "cohort.added": z.object({ cohortId: z.string() }),
} as const;

export interface ProgramState {
  id: string;
  seq: number;
  exists: boolean;
  name: string;
  zone: string;
  profile: string;
  admins: string[];
  cohorts: string[];
}

export function emptyProgram(id: string): ProgramState {
  return { id, seq: 0, exists: false, name: "", zone: "UTC", profile: "oregon-2025", admins: [], cohorts: [] };
}

/** [LOG5] The one reducer for a program stream. */
export function reduceProgram(state: ProgramState, e: StoredEvent): ProgramState {
  const next = { ...state, seq: e.seq };
  switch (e.type) {
    case "program.created": {
      const d = ProgramEventData["program.created"].parse(e.data);
      return { ...next, exists: true, name: d.name, zone: d.zone, profile: d.profile };
    }
    case "admin.added": {
      const { userId } = ProgramEventData["admin.added"].parse(e.data);
      return { ...next, admins: next.admins.includes(userId) ? next.admins : [...next.admins, userId] };
    }
    case "cohort.added": {
      const { cohortId } = ProgramEventData["cohort.added"].parse(e.data);
      return { ...next, cohorts: next.cohorts.includes(cohortId) ? next.cohorts : [...next.cohorts, cohortId] };
    }
    default:
      return next;
  }
}

export function programAudience(_e: StoredEvent): Audience {
  return STAFF;
}

import type { Role } from "../../shared/domain/roles.js";
import type { UserRecord } from "../auth/users.js";

/**
 * What a seed is made from and what it made. Its own module so the seeds of the program
 * (seed.ts) and of its schedule (schedule-seed.ts) both read it without importing each other.
 */

export interface PersonSpec {
  key: string;
  name: string;
  email: string;
  role: Role;
}

export interface ProgramSpec {
  programId: string;
  programName: string;
  zone: string;
  cohortId: string;
  cohortName: string;
  capacity: number;
  people: PersonSpec[];
  /** Open a live session with this id and title, if given. */
  liveSession?: { id: string; title: string };
  password: string;
}

export interface SeededProgram {
  users: Record<string, UserRecord>;
  cohortId: string;
  sessionId: string | null;
  /** False when the cohort was already in the log and nothing was written. */
  fresh: boolean;
}

import { emptyCohort, reduceCohort, type CohortState, type ScheduledSession } from "../../shared/domain/cohort.js";
import type { Viewer } from "../../shared/domain/roles.js";
import { SessionSchedule } from "../../shared/protocol/admin.js";
import { PROFILES } from "../../shared/profiles/index.js";
import { decideScheduleSession, type ScheduleContext } from "../../shared/scheduling/decide.js";
import type { Booked } from "../../shared/scheduling/checks.js";
import type { DosingHistory } from "../../shared/domain/live-returning.js";
import type { StoredEvent } from "../../shared/log.js";
import { AppError } from "../../shared/protocol/errors.js";

export const oregon = PROFILES["oregon-2025"];
export const admin: Viewer = { userId: "admin", role: "admin" };
export const LA = "America/Los_Angeles";

export const facs = (n: number) => Array.from({ length: n }, (_, i) => `f${i + 1}`);
export const parts = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);

/** A cohort with its people, for decisions. */
export function cohortWith(
  opts: { capacity?: number; facilitators?: number; participants?: number; schedule?: ScheduledSession[] } = {},
): CohortState {
  return {
    ...emptyCohort("c1"),
    exists: true,
    programId: "prog",
    name: "Spring cohort",
    capacity: opts.capacity ?? 30,
    facilitators: facs(opts.facilitators ?? 15),
    participants: parts(opts.participants ?? 30),
    schedule: opts.schedule ?? [],
  };
}

let n = 0;
export function ctx(booked: Booked[] = [], zone = LA, history: DosingHistory = {}): ScheduleContext {
  return { profile: oregon, zone, booked, nameOf: (id) => `Facilitator ${id}`, newId: (p, id) => `${p}${id}`, history };
}

/** Decide one session from a loose command, through the shared schema as the server does. */
export function schedule(cohort: CohortState, cmd: Record<string, unknown>, context: ScheduleContext = ctx()) {
  const parsed = SessionSchedule.parse({ id: `cmd-${++n}`, facilitators: ["f1"], participants: ["p1"], ...cmd });
  return decideScheduleSession(cohort, parsed, admin, context);
}

/** Apply drafts as if appended, to build up a cohort's state. */
export function applyDrafts(
  state: CohortState,
  drafts: { id: string; type: string; actor: string; data: Record<string, unknown> }[],
  at = "2026-12-01T00:00:00.000Z",
): CohortState {
  let s = state;
  for (const d of drafts) {
    const e: StoredEvent = { ...d, at, seq: s.seq + 1, epoch: "e" };
    s = reduceCohort(s, e);
  }
  return s;
}

/** The AppError a decision throws; fails the test if it does not refuse. */
export function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal, but it was accepted");
}

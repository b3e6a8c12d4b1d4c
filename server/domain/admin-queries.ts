import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { firstDosingAt, type CohortState, type ScheduledSession } from "../../shared/domain/cohort.js";
import type { ProgramState } from "../../shared/domain/program.js";
import { readinessOf } from "../../shared/domain/readiness.js";
import { isStaff } from "../../shared/domain/roles.js";
import type {
  CohortOverview,
  MySchedule,
  Person,
  ProgramInfo,
  ProgramOverview,
  ReadinessRow,
  ScheduleItem,
} from "../../shared/protocol/admin-views.js";
import { publicUser, type UserRecord } from "../auth/users.js";
import type { Services } from "../services.js";
import { viewerOf } from "./directory.js";
import { adminProgram, cohortContext, patientSystemOf, profileOf, programCohorts } from "./program-context.js";

/** Read models for the admin, facilitator and participant screens; each answers only with what is the viewer's [AC2][AC3]. */

export function programInfo(p: ProgramState): ProgramInfo {
  return {
    id: p.id,
    name: p.name,
    zone: p.zone,
    profile: p.profile,
    profileName: profileOf(p).name,
    patientIdSystem: patientSystemOf(p),
  };
}

async function people(s: Services, ids: readonly string[]): Promise<Person[]> {
  const out: Person[] = [];
  for (const id of new Set(ids)) {
    const u = await s.users.get(id);
    if (u) out.push(publicUser(u));
  }
  return out;
}

/** [AC2] A participant sees only their own sessions, without doses or other people's names. */
export function scheduleView(
  cohort: CohortState,
  viewer: UserRecord,
  sessions: readonly ScheduledSession[] = cohort.schedule,
  status: ScheduleItem["status"] = "scheduled",
): ScheduleItem[] {
  const staff = isStaff(viewerOf(viewer));
  return sessions
    .filter((x) => staff || x.participants.includes(viewer.id))
    .map((x) => ({
      id: x.id,
      kind: x.kind,
      title: x.title,
      start: x.start,
      end: x.end,
      zone: x.zone,
      facilitators: x.facilitators,
      participants: staff ? x.participants : [viewer.id],
      plannedDoseMg: staff ? x.plannedDoseMg : null,
      seriesId: x.seriesId,
      shifted: x.shifted,
      sequence: x.sequence,
      status,
      cohortId: cohort.id,
      cohortName: cohort.name,
    }));
}

export async function programOverview(s: Services, user: UserRecord, programId: string): Promise<ProgramOverview> {
  const program = await adminProgram(s, user, programId);
  const cohorts = await programCohorts(s, program);
  const cohortInfos = [];
  for (const c of cohorts)
    cohortInfos.push({
      id: c.id,
      name: c.name,
      capacity: c.capacity,
      enrolled: c.participants.length,
      facilitators: await people(s, c.facilitators),
    });
  // Facilitators known to the program: those who joined by an invite link and those assigned anywhere in it.
  return {
    program: programInfo(program),
    cohorts: cohortInfos,
    facilitators: await people(s, [...program.facilitators, ...cohorts.flatMap((c) => c.facilitators)]),
  };
}

export async function cohortOverview(s: Services, user: UserRecord, cohortId: string): Promise<CohortOverview> {
  const { cohort, program } = await cohortContext(s, user, cohortId);
  const staff = isStaff(viewerOf(user));
  return {
    cohort: { id: cohort.id, name: cohort.name, capacity: cohort.capacity, programId: program.id },
    program: programInfo(program),
    people: await people(
      s,
      staff ? [...cohort.facilitators, ...cohort.participants] : [...cohort.facilitators, user.id],
    ),
    schedule: scheduleView(cohort, user),
  };
}

/** [RDY1] One row per participant: Ready, or each missing item by name. Staff only [AC3]. */
export async function readinessBoard(s: Services, user: UserRecord, cohortId: string): Promise<ReadinessRow[]> {
  const { cohort, profile } = await cohortContext(s, user, cohortId);
  if (!isStaff(viewerOf(user)))
    throw new AppError(ErrorCode.FORBIDDEN, "Only facilitators and admins can see the readiness board.");
  const rows: ReadinessRow[] = [];
  for (const p of await people(s, cohort.participants)) {
    const first = firstDosingAt(cohort, p.id);
    rows.push({ participant: p, firstDosingAt: first, ...readinessOf(cohort, p.id, profile, first) });
  }
  return rows;
}

/** A participant's own record and readiness; their own answers are theirs to see. */
export async function myRecord(s: Services, user: UserRecord, cohortId: string) {
  const { cohort, profile } = await cohortContext(s, user, cohortId);
  if (user.role !== "participant") throw new AppError(ErrorCode.FORBIDDEN, "Only participants have forms to fill in.");
  const record = cohort.records[user.id] ?? null;
  const first = firstDosingAt(cohort, user.id);
  const r = readinessOf(cohort, user.id, profile, first);
  return {
    screening: record?.screening ?? null,
    reviewed: record?.review !== null && record?.review !== undefined,
    consent: record?.consent ?? null,
    transport: record?.transport ?? null,
    missing: r.missing
      .filter((m) => m.item === "screening" || m.item === "consent" || m.item === "transport")
      .map((m) => m.item),
  };
}

/** Every session of the person's cohorts that involves them (all of them for staff of the cohort). */
export async function mySchedule(s: Services, user: UserRecord): Promise<MySchedule> {
  const cohorts = await s.directory.cohortsOf(user);
  const program = await s.streams.state("program", user.programId);
  const sessions = cohorts.flatMap((c) => scheduleView(c, user, c.schedule.filter(involves(user))));
  return { zone: program.zone, sessions: sessions.sort((a, b) => a.start.localeCompare(b.start)) };
}

function involves(user: UserRecord): (x: ScheduledSession) => boolean {
  return (x) => user.role === "admin" || x.facilitators.includes(user.id) || x.participants.includes(user.id);
}

/**
 * [SCH9] What a person's calendar feed holds: their sessions, and the ones cancelled, so a
 * calendar app that already has them marks them cancelled instead of keeping a stale entry.
 */
export async function myCalendar(s: Services, user: UserRecord): Promise<ScheduleItem[]> {
  const { sessions } = await mySchedule(s, user);
  const cohorts = await s.directory.cohortsOf(user);
  const cancelled = cohorts.flatMap((c) => scheduleView(c, user, c.cancelled.filter(involves(user)), "cancelled"));
  return [...sessions, ...cancelled];
}

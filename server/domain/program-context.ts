import { programPatientSystem } from "../../shared/outcomes/fhir.js";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import type { CohortState } from "../../shared/domain/cohort.js";
import type { ProgramState } from "../../shared/domain/program.js";
import { DEFAULT_PROFILE, ProfileId, resolveProfile } from "../../shared/profiles/index.js";
import type { RuleProfile } from "../../shared/profiles/schema.js";
import type { Booked } from "../../shared/scheduling/checks.js";
import type { UserRecord } from "../auth/users.js";
import type { Services } from "../services.js";

/** The program's rule profile; an unknown id (from a newer server) falls back to the default. */
export function profileOf(program: ProgramState): RuleProfile {
  const id = ProfileId.safeParse(program.profile);
  return resolveProfile(id.success ? id.data : DEFAULT_PROFILE);
}

/** [OUT7] The identifier system the program's FHIR exports name participants in. */
export function patientSystemOf(program: ProgramState): string {
  return program.patientIdSystem ?? programPatientSystem(program.id);
}

/** [AC1] The program, if this person is one of its admins. */
export async function adminProgram(s: Services, user: UserRecord, programId: string): Promise<ProgramState> {
  const program = await s.streams.state("program", programId);
  if (user.role !== "admin" || !program.exists || !program.admins.includes(user.id)) {
    throw new AppError(ErrorCode.NOT_FOUND, "That program does not exist or you are not one of its admins.");
  }
  return program;
}

/** A cohort and its program, if this person may see the cohort [AC2][AC4]. */
export async function cohortContext(
  s: Services,
  user: UserRecord,
  cohortId: string,
): Promise<{ cohort: CohortState; program: ProgramState; profile: RuleProfile }> {
  const cohort = await s.directory.cohortFor(user, cohortId);
  const program = await s.streams.state("program", cohort.programId ?? "");
  return { cohort, program, profile: profileOf(program) };
}

export async function requireAdminOf(
  s: Services,
  user: UserRecord,
  cohortId: string,
): Promise<{ cohort: CohortState; program: ProgramState; profile: RuleProfile }> {
  const ctx = await cohortContext(s, user, cohortId);
  if (user.role !== "admin") throw new AppError(ErrorCode.FORBIDDEN, "Only a program admin can do this.");
  return ctx;
}

export async function programCohorts(s: Services, program: ProgramState): Promise<CohortState[]> {
  return Promise.all(program.cohorts.map((id) => s.streams.state("cohort", id)));
}

/** [SCH4] Every scheduled session of every cohort of the program. */
export async function programBookings(s: Services, program: ProgramState): Promise<Booked[]> {
  const cohorts = await programCohorts(s, program);
  return cohorts.flatMap((c) => c.schedule.map((x) => ({ ...x, cohortName: c.name })));
}

/** Names for messages and screens; ids stay ids when a record is missing. */
export async function namesOf(s: Services, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of new Set(ids)) out.set(id, (await s.users.get(id))?.name ?? id);
  return out;
}

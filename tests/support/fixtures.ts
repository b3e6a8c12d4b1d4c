import type { ProgramSpec } from "../../server/demo/seed.js";
import type { Role } from "../../shared/domain/roles.js";

export const TEST_PASSWORD = "correct horse battery";

function person(key: string, role: Role, tag: string) {
  return { key, role, name: `${key} ${tag}`, email: `${key}.${tag}@example.test` };
}

/** A program with one cohort (2 facilitators, 3 participants) and an open live session. */
export function mainCohort(tag: string): ProgramSpec {
  return {
    programId: `prog-${tag}`,
    programName: "Test program",
    zone: "America/Los_Angeles",
    cohortId: `cohort-${tag}`,
    cohortName: "Main cohort",
    capacity: 10,
    password: TEST_PASSWORD,
    liveSession: { id: `live-${tag}`, title: "Dosing day" },
    people: [
      person("admin", "admin", tag),
      person("fac1", "facilitator", tag),
      person("fac2", "facilitator", tag),
      person("p1", "participant", tag),
      person("p2", "participant", tag),
      person("p3", "participant", tag),
    ],
  };
}

/** A second cohort in the same program, with its own facilitator and participant [AC4]. */
export function otherCohort(tag: string): ProgramSpec {
  return {
    ...mainCohort(tag),
    cohortId: `other-${tag}`,
    cohortName: "Other cohort",
    liveSession: { id: `other-live-${tag}`, title: "Other dosing day" },
    people: [person("admin", "admin", tag), person("ofac", "facilitator", tag), person("op1", "participant", tag)],
  };
}

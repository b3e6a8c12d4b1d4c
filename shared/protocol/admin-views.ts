import { z } from "zod";
import { Role } from "../domain/roles.js";
import { SessionKind } from "../domain/cohort.js";

/** Replies of the admin/scheduling HTTP API. The client parses them with these schemas. */
export const Person = z.object({ id: z.string(), name: z.string(), role: Role });
export type Person = z.infer<typeof Person>;

export const ScheduleItem = z.object({
  id: z.string(),
  kind: SessionKind,
  title: z.string(),
  start: z.string(),
  end: z.string(),
  zone: z.string(),
  facilitators: z.array(z.string()),
  /** A participant's own view lists only themselves [AC2]. */
  participants: z.array(z.string()),
  /** null in a participant's view [AC3]. */
  plannedDoseMg: z.number().nullable(),
  seriesId: z.string().nullable(),
  shifted: z.boolean(),
  /** [SCH9] iCalendar SEQUENCE: how many times the plan has changed. */
  sequence: z.number().int().min(0),
  /** Cancelled sessions stay in calendar feeds (so calendar apps remove them) and on the cohort schedule, marked. */
  status: z.enum(["scheduled", "cancelled"]),
  cohortId: z.string(),
  cohortName: z.string(),
});
export type ScheduleItem = z.infer<typeof ScheduleItem>;

export const ProgramInfo = z.object({
  id: z.string(),
  name: z.string(),
  zone: z.string(),
  profile: z.string(),
  profileName: z.string(),
  /** [OUT7] The identifier system FHIR exports name participants in. */
  patientIdSystem: z.string(),
});
export type ProgramInfo = z.infer<typeof ProgramInfo>;

export const CohortInfo = z.object({
  id: z.string(),
  name: z.string(),
  capacity: z.number(),
  enrolled: z.number(),
  facilitators: z.array(Person),
});
export type CohortInfo = z.infer<typeof CohortInfo>;

export const ProgramOverview = z.object({
  program: ProgramInfo,
  cohorts: z.array(CohortInfo),
  facilitators: z.array(Person),
});
export type ProgramOverview = z.infer<typeof ProgramOverview>;

export const CohortOverview = z.object({
  cohort: z.object({ id: z.string(), name: z.string(), capacity: z.number(), programId: z.string() }),
  program: ProgramInfo,
  people: z.array(Person),
  schedule: z.array(ScheduleItem),
});
export type CohortOverview = z.infer<typeof CohortOverview>;

export const MySchedule = z.object({ zone: z.string(), sessions: z.array(ScheduleItem) });
export type MySchedule = z.infer<typeof MySchedule>;

export const ReadinessRow = z.object({
  participant: Person,
  ready: z.boolean(),
  missing: z.array(z.object({ item: z.string(), label: z.string() })),
  flags: z.array(z.string()),
  firstDosingAt: z.string().nullable(),
});
export type ReadinessRow = z.infer<typeof ReadinessRow>;

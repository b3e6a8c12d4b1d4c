import { z } from "zod";
import { multiLine, singleLine } from "./text.js";
import { InviteToken } from "./commands.js";
import { Id } from "../log.js";
import { SessionKind } from "../domain/cohort.js";
import { ScreeningAnswers } from "../domain/screening.js";
import { ProfileId } from "../profiles/index.js";
import { isCalendarDate, isCalendarDateTime, isValidZone, LOCAL_TIME } from "../scheduling/time.js";
import { SERIES_MAX } from "../scheduling/series.js";

/**
 * HTTP bodies of the admin, scheduling and readiness API (docs/protocol.md, "Programs, cohorts
 * and readiness"). The client's forms validate with these same schemas [AC5].
 */
const CommandId = Id;

export const Zone = z
  .string()
  .max(64)
  .refine(isValidZone, "Unknown time zone. Use an IANA name such as America/Los_Angeles.");
export const LocalDateTime = z
  .string()
  .refine(isCalendarDateTime, "Enter a date and time as YYYY-MM-DDTHH:MM, e.g. 2026-03-08T18:00.");
export const LocalDate = z.string().refine(isCalendarDate, "Enter a date as YYYY-MM-DD, e.g. 2026-03-08.");
const Name = (what: string) =>
  singleLine().trim().min(1, `Give the ${what} a name.`).max(120, `A ${what} name holds at most 120 characters.`);

export const ProgramCreate = z.strictObject({
  id: CommandId,
  name: Name("program"),
  zone: Zone,
  profile: ProfileId.default("oregon-2025"),
});
export type ProgramCreate = z.infer<typeof ProgramCreate>;

/**
 * [OUT7] The identifier system of a program's participants in FHIR exports: a URI, as FHIR's
 * `Identifier.system` wants (a urn: or an http(s) address, e.g. the clinic's record-number system).
 */
export const PatientIdentitySet = z.strictObject({
  id: CommandId,
  system: singleLine()
    .trim()
    .max(200, "An identifier system holds at most 200 characters.")
    .regex(
      /^(urn:[a-z0-9][a-z0-9-]{0,31}:[^\s]+|https?:\/\/[^\s]+)$/i,
      "Give the identifier system as a URI: urn:… or https://….",
    ),
});
export type PatientIdentitySet = z.infer<typeof PatientIdentitySet>;

export const CohortCreate = z.strictObject({
  id: CommandId,
  programId: Id,
  name: Name("cohort"),
  capacity: z
    .number({ error: "Enter the room's capacity as a number." })
    .int("Capacity is a whole number of people.")
    .min(1, "A room holds at least 1 person.")
    .max(200, "A room holds at most 200 people here."),
});
export type CohortCreate = z.infer<typeof CohortCreate>;

export const FacilitatorAssign = z.strictObject({ id: CommandId, userId: Id });

/** How long either kind of invitation link lasts; a week unless the admin says otherwise. */
const InviteTtlHours = z
  .number()
  .int()
  .min(1, "A link lasts at least 1 hour.")
  .max(720, "A link lasts at most 720 hours (30 days).")
  .default(168);

export const InviteCreate = z.strictObject({
  id: CommandId,
  ttlHours: InviteTtlHours,
});

/** A one-time link for a new facilitator of the program, optionally assigned to one cohort on joining. */
export const FacilitatorInviteCreate = z.strictObject({
  id: CommandId,
  cohortId: Id.nullable().default(null),
  ttlHours: InviteTtlHours,
});
export type FacilitatorInviteCreate = z.infer<typeof FacilitatorInviteCreate>;

/** What a /join link page shows before anyone commits to anything. */
export const InviteInfo = z.object({
  kind: z.enum(["participant", "facilitator"]),
  /** null for a facilitator invite not tied to a cohort. */
  cohortName: z.string().nullable(),
  programName: z.string(),
  expiresAt: z.string(),
});
export type InviteInfo = z.infer<typeof InviteInfo>;

const People = z.array(Id).max(200);

/** What a one-off session's plan holds, whether it is being scheduled or changed. */
const SessionPlan = z.strictObject({
  title: singleLine().trim().max(120).default(""),
  start: LocalDateTime,
  end: LocalDateTime,
  facilitators: People,
  participants: People,
  plannedDoseMg: z
    .number({ error: "Enter the planned dose in mg." })
    .positive("A planned dose is more than 0 mg.")
    .nullable()
    .default(null),
});

const endAfterStart = (s: { start: string; end: string }) => s.end > s.start;
const END_AFTER_START = { path: ["end"], message: "The end must be after the start." };

export const SessionSchedule = SessionPlan.extend({ id: CommandId, kind: SessionKind })
  .refine(endAfterStart, END_AFTER_START)
  .refine((s) => s.kind !== "dosing" || s.plannedDoseMg !== null, {
    path: ["plannedDoseMg"],
    message: "A dosing session needs its highest planned dose in mg.",
  });
export type SessionSchedule = z.infer<typeof SessionSchedule>;

export const SeriesSchedule = z
  .strictObject({
    id: CommandId,
    kind: z.literal("circle", { error: "Only integration circles repeat." }),
    title: singleLine().trim().max(120).default(""),
    firstDate: LocalDate,
    time: z
      .string()
      .regex(LOCAL_TIME, "Enter the time as HH:MM, e.g. 18:00.")
      .refine((t) => Number(t.slice(0, 2)) < 24 && Number(t.slice(3)) < 60, "That is not a time of day."),
    durationMinutes: z
      .number()
      .int()
      .min(15, "A circle lasts at least 15 minutes.")
      .max(600, "A circle lasts at most 600 minutes."),
    everyWeeks: z.number().int().min(1, "Repeat every 1 to 8 weeks.").max(8, "Repeat every 1 to 8 weeks.").default(1),
    until: LocalDate.optional(),
    facilitators: People,
    participants: People,
  })
  .refine((s) => s.until !== undefined, { path: ["until"], message: "A series needs an end date." })
  .refine((s) => s.until === undefined || s.until >= s.firstDate, {
    path: ["until"],
    message: "The series must end on or after its first date.",
  })
  .refine((s) => s.until === undefined || weeksBetween(s.firstDate, s.until) / s.everyWeeks < SERIES_MAX, {
    path: ["until"],
    message: `A series holds at most ${SERIES_MAX} sessions; choose an earlier end date.`,
  });
export type SeriesSchedule = z.infer<typeof SeriesSchedule>;

function weeksBetween(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / (7 * 86_400_000);
}

export const ScreeningSubmit = z.strictObject({ id: CommandId, answers: ScreeningAnswers });
export const ScreeningReview = z.strictObject({ id: CommandId, participantId: Id });
export const CONSENT_VERSION = "2025-01";
export const ConsentRecord = z.strictObject({
  id: CommandId,
  agreed: z.literal(true, { error: "Tick the box to give your consent." }),
  version: z.literal(CONSENT_VERSION).default(CONSENT_VERSION),
});
/**
 * A phone number as people write them: digits with spaces, dots, dashes, brackets and a leading
 * +, 7 to 15 digits (E.164's longest). Facilitators call it on the day, so "ask at the desk" or an
 * email here is caught at the form, not at release.
 */
export const PhoneNumber = singleLine()
  .trim()
  .max(30, "A phone number holds at most 30 characters.")
  .refine((v) => /^\+?[0-9 ().-]+$/.test(v) && /^\D*(\d\D*){7,15}$/.test(v), {
    message: "Enter a phone number, e.g. 503 555 0100 or +1 503 555 0100.",
  });

export const TransportRecord = z.strictObject({
  id: CommandId,
  driver: singleLine().trim().min(1, "Say who will take you home.").max(120),
  contact: PhoneNumber,
  notes: multiLine().trim().max(500, "Notes hold at most 500 characters.").default(""),
});
export const PreparationRecord = z.strictObject({ id: CommandId, participantId: Id, sessionId: Id });

export const EnrolAccept = z.strictObject({
  token: InviteToken,
  name: singleLine().trim().min(1, "Enter your name.").max(80, "A name holds at most 80 characters."),
  email: singleLine().trim().toLowerCase().email("Enter an email address.").max(200),
  password: z.string().min(10, "Choose a password of at least 10 characters.").max(200),
});
export type EnrolAccept = z.infer<typeof EnrolAccept>;

/**
 * Edit or reschedule one session (an occurrence of a series too): the whole new plan, and the
 * calendar `sequence` the admin saw. A plan changed by someone else since is refused (CONFLICT)
 * rather than silently overwritten: two admins moving one session never both "win".
 */
export const SessionUpdate = SessionPlan.extend({
  id: CommandId,
  sessionId: Id,
  sequence: z.number().int().min(0),
}).refine(endAfterStart, END_AFTER_START);
export type SessionUpdate = z.infer<typeof SessionUpdate>;

export const SessionCancel = z.strictObject({
  id: CommandId,
  sessionId: Id,
  /** The sequence the admin saw; when given, a session changed since is not cancelled unseen. */
  sequence: z.number().int().min(0).optional(),
});
export type SessionCancel = z.infer<typeof SessionCancel>;

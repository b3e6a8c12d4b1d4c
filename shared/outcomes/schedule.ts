import { z } from "zod";
import { singleLine } from "../protocol/text.js";
import { DateTime } from "luxon";
import { Instrument } from "./instruments.js";

/**
 * [OUT5] A cohort's assessment schedule: visits relative to its first dosing day. The baseline
 * (day null) is due from enrolment until the first dosing starts; after that it is missed (a
 * baseline taken after dosing is not a baseline). Day N opens on the Nth calendar day after the
 * first dosing day in the program's zone, is due for `windowDays`, then overdue until taken.
 */
export const Visit = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z0-9-]+$/, "A visit id is lower-case letters, digits and dashes."),
  label: singleLine().trim().min(1, "Give the visit a name.").max(60, "A visit name holds at most 60 characters."),
  /** Days after the first dosing day; null for the baseline. */
  day: z
    .number("A day is a whole number of days after the first dosing.")
    .int("A day is a whole number of days after the first dosing.")
    .min(0, "A day is 0 or more days after the first dosing.")
    .max(730, "A visit is at most 730 days after the first dosing.")
    .nullable(),
});
export type Visit = z.infer<typeof Visit>;

export const AssessmentSchedule = z.strictObject({
  visits: z
    .array(Visit)
    .min(1, "A schedule has at least one visit.")
    .max(30, "A schedule has at most 30 visits.")
    .refine((v) => new Set(v.map((x) => x.id)).size === v.length, "Each visit needs its own id.")
    .refine((v) => v.filter((x) => x.day === null).length <= 1, "A schedule has at most one baseline."),
  instruments: z.array(Instrument).min(1, "Pick at least one questionnaire.").max(2),
  /** Days a visit is due before it counts as overdue. */
  windowDays: z
    .number("The window is a whole number of days.")
    .int("The window is a whole number of days.")
    .min(1, "A visit is due for at least 1 day.")
    .max(30, "A visit is due for at most 30 days."),
});
export type AssessmentSchedule = z.infer<typeof AssessmentSchedule>;

export const DEFAULT_SCHEDULE: AssessmentSchedule = {
  visits: [
    { id: "baseline", label: "Baseline", day: null },
    { id: "day-1", label: "Day 1", day: 1 },
    { id: "day-7", label: "Day 7", day: 7 },
    { id: "day-14", label: "Day 14", day: 14 },
    { id: "day-28", label: "Day 28", day: 28 },
    { id: "day-42", label: "Day 42", day: 42 },
  ],
  instruments: ["phq9", "qids-sr16"],
  windowDays: 3,
};

export type VisitStatus = "upcoming" | "due" | "overdue" | "done" | "missed";

export interface DueItem {
  visitId: string;
  label: string;
  instrument: Instrument;
  status: VisitStatus;
  /** When it can first be taken (ISO), or null for a baseline (from enrolment). */
  opensAt: string | null;
  /** When it becomes overdue (ISO); for a baseline, when the first dosing starts (null: none planned). */
  dueBy: string | null;
  /** The submission that completed it, if any. */
  submissionId: string | null;
}

/**
 * [OUT5] Every visit × instrument of one participant's schedule at `now`. `firstDosing` is the
 * start of the cohort's first dosing session (ISO) or null when none is scheduled; `done` maps
 * `${visitId}/${instrument}` to the submission that completed it.
 */
export function dueItems(
  schedule: AssessmentSchedule,
  firstDosing: string | null,
  zone: string,
  now: number,
  done: ReadonlyMap<string, string>,
): DueItem[] {
  const out: DueItem[] = [];
  const anchor = firstDosing === null ? null : DateTime.fromISO(firstDosing, { zone }).startOf("day");
  for (const v of schedule.visits) {
    for (const instrument of schedule.instruments) {
      const submissionId = done.get(visitKey(v.id, instrument)) ?? null;
      let opensAt: string | null = null;
      let dueBy: string | null = null;
      let status: VisitStatus;
      if (v.day === null) {
        dueBy = firstDosing;
        status = firstDosing !== null && now >= Date.parse(firstDosing) ? "missed" : "due";
      } else if (anchor === null) {
        status = "upcoming";
      } else {
        const opens = anchor.plus({ days: v.day });
        const overdue = opens.plus({ days: schedule.windowDays });
        opensAt = opens.toUTC().toISO();
        dueBy = overdue.toUTC().toISO();
        status = now < opens.toMillis() ? "upcoming" : now < overdue.toMillis() ? "due" : "overdue";
      }
      if (submissionId !== null) status = "done";
      out.push({ visitId: v.id, label: v.label, instrument, status, opensAt, dueBy, submissionId });
    }
  }
  return out;
}

export function visitKey(visitId: string, instrument: Instrument): string {
  return `${visitId}/${instrument}`;
}

/** A visit can be answered when it is due or overdue (never before it opens, never a missed baseline). */
export function isOpen(status: VisitStatus): boolean {
  return status === "due" || status === "overdue";
}

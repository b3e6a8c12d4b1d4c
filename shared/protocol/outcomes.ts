import { z } from "zod";
import { singleLine } from "./text.js";
import { EventId, Id } from "../log.js";
import { ALERT_ID_MAX } from "../domain/alerts.js";
import { answersSchema } from "../outcomes/answers.js";
import { AssessmentSchedule } from "../outcomes/schedule.js";
import type { CrisisResource } from "../profiles/schema.js";

/**
 * [OUT1]–[OUT5] The outcome questionnaires' contract. Spread into Commands / CommandReplies in
 * events.ts. A submission's id is the client's, made once per questionnaire and kept with the
 * draft, so a resubmission after a dropped connection lands once [LOG2]; the alert it may raise
 * is `$selfharm:<id>`, which no client id can equal [OUT2].
 */

/** Short enough that `$selfharm:<id>` is a valid alert id (ALERT_ID_MAX). */
const SubmissionId = Id.max(ALERT_ID_MAX - 12, `An id here holds at most ${ALERT_ID_MAX - 12} characters.`);
const VisitId = singleLine().min(1).max(40);

const submitFields = { id: SubmissionId, cohortId: Id, visitId: VisitId };

/** [OUT1][OUT3] The answers are checked against the instrument named: one per item, each an option. */
export const OutcomeSubmit = z.discriminatedUnion("instrument", [
  z.strictObject({ ...submitFields, instrument: z.literal("phq9"), answers: answersSchema("phq9") }),
  z.strictObject({ ...submitFields, instrument: z.literal("qids-sr16"), answers: answersSchema("qids-sr16") }),
]);
export type OutcomeSubmit = z.infer<typeof OutcomeSubmit>;

/** [OUT2][LIVE6] Any facilitator of the cohort answers a questionnaire's safety alert. */
export const OutcomeAck = z.strictObject({ id: Id, cohortId: Id, alertId: EventId });
export type OutcomeAck = z.infer<typeof OutcomeAck>;

/** [OUT5] Admin: a cohort's assessment schedule (HTTP body of PUT /api/admin/cohorts/:id/assessment-schedule). */
export const ScheduleSetBody = z.strictObject({ id: Id, schedule: AssessmentSchedule });
export type ScheduleSetBody = z.infer<typeof ScheduleSetBody>;

export const OutcomeCommands = {
  "outcome:submit": OutcomeSubmit,
  "outcome:ack": OutcomeAck,
} as const;

export interface OutcomeReplies {
  /**
   * `safety`: the answers raised an alert to the cohort's facilitators, and `crisis` lists the
   * program's crisis resources to show at once [OUT2] (also sent, for a calmer screen, without one).
   */
  "outcome:submit": {
    seq: number;
    submissionId: string;
    total: number;
    band: { code: string; label: string };
    safety: boolean;
    crisis: CrisisResource[];
  };
  "outcome:ack": { alertId: string; by: string; at: string };
}

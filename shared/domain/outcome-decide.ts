import { DateTime } from "luxon";
import { serverId } from "../log.js";
import { AppError, ErrorCode } from "../protocol/errors.js";
import type { OutcomeAck, OutcomeSubmit } from "../protocol/outcomes.js";
import { decideAlertAck, decideEscalations } from "./alerts.js";
import type { Draft } from "./live-types.js";
import type { OutcomeState } from "./outcome.js";
import { submissionsOf } from "./outcome.js";
import type { Viewer } from "./roles.js";
import { definitionOf, scoreAnswers } from "../outcomes/score.js";
import { dueItems, visitKey } from "../outcomes/schedule.js";

/** What the server knows that the outcome log does not: the cohort's plan and the time. */
export interface OutcomeContext {
  now: number;
  /** Start of this participant's first dosing session (ISO), or null when none is scheduled. */
  firstDosing: string | null;
  /** The program's IANA zone: visits open on its calendar days. */
  zone: string;
  /** Whether the actor is on the cohort's roster as a participant [AC4]. */
  enrolled: boolean;
}

function refuse(message: string): never {
  throw new AppError(ErrorCode.RULE_VIOLATION, message);
}

/** The alert a submission raises is named after it: `$selfharm:<submission id>` [OUT2]. */
export function safetyAlertId(submissionId: string): string {
  return serverId("selfharm", submissionId);
}

/**
 * [OUT1][OUT2][OUT3][OUT5] A participant's questionnaire: for themself only, on a visit of the
 * schedule that is open now, once per visit and instrument. The answers were parsed against the
 * instrument by the command's schema; the total and band are computed here, never taken from the
 * client. Answers reporting thoughts of self-harm raise an alert in the same append — the
 * submission and its alert land together or not at all [OUT2].
 */
export function decideSubmit(s: OutcomeState, cmd: OutcomeSubmit, actor: Viewer, ctx: OutcomeContext): Draft[] {
  if (actor.role !== "participant" || !ctx.enrolled)
    throw new AppError(ErrorCode.FORBIDDEN, "Only a participant of this cohort answers its questionnaires.");
  const def = definitionOf(cmd.instrument);
  const visit = s.schedule.visits.find((v) => v.id === cmd.visitId);
  if (!visit) throw new AppError(ErrorCode.NOT_FOUND, "That visit is not on this cohort's assessment schedule.");
  if (!s.schedule.instruments.includes(cmd.instrument))
    refuse(`This cohort's schedule does not ask for the ${def.shortTitle}.`);
  const mine = submissionsOf(s, actor.userId);
  if (mine.some((x) => x.id === cmd.id)) return [];
  const done = new Map(mine.map((x) => [visitKey(x.visitId, x.instrument), x.id]));
  const item = dueItems(s.schedule, ctx.firstDosing, ctx.zone, ctx.now, done).find(
    (d) => d.visitId === visit.id && d.instrument === cmd.instrument,
  );
  switch (item?.status) {
    case "done":
      refuse(`You have already answered the ${def.shortTitle} for ${visit.label}.`);
      break;
    case "missed":
      refuse(`The ${visit.label} ${def.shortTitle} was due before the first dosing; it can no longer be taken.`);
      break;
    case "upcoming":
      refuse(
        item.opensAt === null
          ? `The ${visit.label} ${def.shortTitle} opens once the first dosing day is scheduled.`
          : `The ${visit.label} ${def.shortTitle} opens on ${DateTime.fromISO(item.opensAt, { zone: ctx.zone }).toFormat("d LLL yyyy")}.`,
      );
      break;
    case "due":
    case "overdue":
    case undefined:
      break;
  }
  const score = scoreAnswers(cmd.instrument, cmd.answers);
  const drafts: Draft[] = [
    {
      id: cmd.id,
      type: "assessment.submitted",
      actor: actor.userId,
      data: {
        participantId: actor.userId,
        instrument: cmd.instrument,
        visitId: visit.id,
        answers: cmd.answers,
        total: score.total,
        band: score.band.code,
      },
    },
  ];
  if (score.safety) {
    const alertId = safetyAlertId(cmd.id);
    drafts.push({
      id: alertId,
      type: "alert.raised",
      actor: actor.userId,
      data: {
        alertId,
        kind: "selfharm",
        participantId: actor.userId,
        subjectId: null,
        // Staff-only detail (and the participant's own record); push notices never carry it.
        detail: safetyDetail(cmd.instrument, cmd.answers, score.total, score.band.label),
      },
    });
  }
  return drafts;
}

/** The sentence staff read: which answer raised it, in the instrument's own words, and the total. */
function safetyDetail(
  instrument: OutcomeSubmit["instrument"],
  answers: readonly number[],
  total: number,
  band: string,
): string {
  const def = definitionOf(instrument);
  const index = instrument === "phq9" ? 8 : 11;
  const item = def.items[index];
  const answer = item?.options.find((o) => o.value === answers[index]);
  const question = item ? `question ${item.linkId} ("${item.text}")` : "the self-harm question";
  return `${def.shortTitle} ${question} answered "${answer?.label ?? "above 0"}". Total ${total} (${band}).`;
}

/** [OUT2][LIVE6] Any facilitator of the cohort (or its program admin) answers; the participant is told. */
export function decideOutcomeAck(s: OutcomeState, cmd: OutcomeAck, actor: Viewer): Draft[] {
  return decideAlertAck(s.alerts, cmd.alertId, actor, true);
}

/** [OUT2][LIVE6] What the periodic check appends to a cohort's outcome log: escalations and reminders. */
export function decideOutcomeChecks(s: OutcomeState, now: number): Draft[] {
  return decideEscalations(s.alerts, now);
}

import { z } from "zod";
import type { StoredEvent } from "../log.js";
import { ALL, STAFF, onlyParticipant, type Audience } from "./roles.js";
import { AlertEventData, reduceAlerts, type Alerts } from "./alerts.js";
import { Instrument } from "../outcomes/instruments.js";
import { AssessmentSchedule, DEFAULT_SCHEDULE } from "../outcomes/schedule.js";

/**
 * [OUT1]–[OUT5] A cohort's outcome log (`outcome:<cohortId>`): questionnaire submissions, the
 * assessment schedule, and the safety alerts submissions raise [OUT2] — alerts with the same
 * events, reducer and escalation as a live session's (shared/domain/alerts.ts), so a self-harm
 * answer at home at night has LIVE6's guarantees without a live session.
 */
export const OutcomeEventData = {
  "assessment.submitted": z.object({
    participantId: z.string(),
    instrument: Instrument,
    visitId: z.string(),
    answers: z.array(z.number().int()),
    total: z.number().int(),
    /** The band's code (definition's `bands`). */
    band: z.string(),
  }),
  "assessment.schedule_set": z.object({ schedule: AssessmentSchedule }),
  ...AlertEventData,
} as const;

export interface Submission {
  /** The event id: the client's command id, the same on every retry [LOG2]. */
  id: string;
  seq: number;
  participantId: string;
  instrument: Instrument;
  visitId: string;
  answers: number[];
  total: number;
  band: string;
  at: string;
}

export interface OutcomeState {
  /** The cohort's id. */
  id: string;
  seq: number;
  schedule: AssessmentSchedule;
  /** Who set the schedule last and when; null while it is the default. */
  scheduleSet: { by: string; at: string } | null;
  /** In log order. A participant sees only their own (the others are hidden events). */
  submissions: Submission[];
  alerts: Alerts;
}

export function emptyOutcome(id: string): OutcomeState {
  return { id, seq: 0, schedule: DEFAULT_SCHEDULE, scheduleSet: null, submissions: [], alerts: {} };
}

export function reduceOutcome(s: OutcomeState, e: StoredEvent): OutcomeState {
  const next = { ...s, seq: e.seq };
  switch (e.type) {
    case "assessment.submitted": {
      const d = OutcomeEventData["assessment.submitted"].parse(e.data);
      if (s.submissions.some((x) => x.id === e.id)) return next;
      return { ...next, submissions: [...s.submissions, { id: e.id, seq: e.seq, at: e.at, ...d }] };
    }
    case "assessment.schedule_set": {
      const d = OutcomeEventData["assessment.schedule_set"].parse(e.data);
      return { ...next, schedule: d.schedule, scheduleSet: { by: e.actor, at: e.at } };
    }
    default:
      return { ...next, alerts: reduceAlerts(s.alerts, e) };
  }
}

/**
 * [AC2][AC3] A submission and the alert it raised are the participant's own record and their
 * cohort's staff's; no other participant receives more than their position. The schedule is for all.
 */
export function outcomeAudience(e: StoredEvent): Audience {
  switch (e.type) {
    case "assessment.submitted":
      return onlyParticipant(OutcomeEventData["assessment.submitted"].parse(e.data).participantId);
    case "assessment.schedule_set":
      return ALL;
    case "alert.raised": {
      const d = AlertEventData["alert.raised"].parse(e.data);
      return d.participantId === null ? STAFF : onlyParticipant(d.participantId);
    }
    case "alert.acknowledged": {
      const d = AlertEventData["alert.acknowledged"].parse(e.data);
      return d.notify === null ? STAFF : onlyParticipant(d.notify);
    }
    default:
      return STAFF;
  }
}

function str(data: Record<string, unknown>, key: string): string | null {
  const v = data[key];
  return typeof v === "string" ? v : null;
}

/**
 * [LOG3] Submissions of different participants commute: each touches its participant (and the
 * alert it raises, named after it); an alert's escalation and acknowledgement touch that alert.
 * A schedule change touches the whole stream.
 */
export function outcomeTouches(e: Pick<StoredEvent, "id" | "type" | "data">): string[] {
  switch (e.type) {
    case "assessment.submitted":
      return [`p:${str(e.data, "participantId") ?? ""}`];
    case "alert.raised": {
      const p = str(e.data, "participantId");
      return [`a:${e.id}`, ...(p === null ? [] : [`p:${p}`])];
    }
    case "alert.acknowledged":
    case "alert.escalated":
    case "alert.reminded":
    case "alert.resolved":
      return [`a:${str(e.data, "alertId") ?? ""}`];
    default:
      return ["*"];
  }
}

/** A participant's submissions, oldest first. */
export function submissionsOf(s: OutcomeState, participantId: string): Submission[] {
  return s.submissions.filter((x) => x.participantId === participantId);
}

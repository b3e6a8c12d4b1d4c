import { z } from "zod";
import { multiLine, singleLine } from "./text.js";
import { EventId, Id } from "../log.js";
import { ALERT_ID_MAX, AlertKind } from "../domain/alerts.js";
import { AdverseKind, AdverseSeverity, DoseKind } from "../domain/live.js";
import type { RuleProfile } from "../profiles/index.js";

/**
 * The live dosing session's contract: command schemas, their replies and the one server push
 * (escalations). Spread into Commands / CommandReplies in events.ts.
 */

/** Alert ids come from these command ids; kept short so escalation ids stay valid event ids. */
const AlertCommandId = Id.max(ALERT_ID_MAX, `An id here holds at most ${ALERT_ID_MAX} characters.`);

/** [LIVE6] "I need support". The same id on every retry, so it lands once. */
export const SupportRequest = z.strictObject({ id: AlertCommandId, sessionId: Id });

/** [LIVE6] A facilitator answers an alert. */
export const AlertAck = z.strictObject({ id: Id, sessionId: Id, alertId: EventId });

/** What a facilitator records about one participant in one session. */
const aboutParticipant = { sessionId: Id, participantId: Id };

/** [LIVE1] Absurd amounts are refused by the schema; amounts over the profile's maximum by the rule. */
export const DoseRecord = z.strictObject({
  id: Id,
  ...aboutParticipant,
  mg: z.number().positive("A dose is more than 0 mg.").max(1000, "A dose is at most 1000 mg."),
  kind: DoseKind,
  /**
   * When it was taken; now when absent. It may be earlier than the session was opened in the app,
   * within DOSE_BACKDATE_HOURS (live-decide.ts); an offset is accepted (a browser's local time).
   */
  givenAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type DoseRecord = z.infer<typeof DoseRecord>;

/** [LIVE8] Ranges a living person can have; anything else is a typing mistake. */
export const VitalsRecord = z.strictObject({
  id: AlertCommandId,
  ...aboutParticipant,
  systolic: z.number().int().min(50, "Systolic is at least 50 mmHg.").max(300, "Systolic is at most 300 mmHg."),
  diastolic: z.number().int().min(20, "Diastolic is at least 20 mmHg.").max(200, "Diastolic is at most 200 mmHg."),
  heartRate: z
    .number()
    .int()
    .min(20, "Heart rate is at least 20 per minute.")
    .max(250, "Heart rate is at most 250 per minute."),
});
export type VitalsRecord = z.infer<typeof VitalsRecord>;

/** [LIVE9] */
export const AdverseRecord = z.strictObject({
  id: Id,
  ...aboutParticipant,
  kind: AdverseKind,
  severity: AdverseSeverity,
  emergencyServicesCalled: z.boolean(),
  description: multiLine()
    .trim()
    .min(1, "Describe what happened.")
    .max(2000, "A description holds at most 2000 characters."),
});
export type AdverseRecord = z.infer<typeof AdverseRecord>;

/**
 * [LIVE2][LIVE10] `planConfirmed`: going home as on the transportation plan on file (then
 * `transportBy` may be left out: the plan's driver). A different driver is a change: `planConfirmed`
 * false and `planChange` says what was arranged; it is logged with the plan it differs from.
 */
export const ReleaseRecord = z.strictObject({
  id: Id,
  ...aboutParticipant,
  transportBy: singleLine().trim().min(1, "Say who is taking them home.").max(120).optional(),
  planConfirmed: z.boolean(),
  planChange: multiLine().trim().max(500).nullable().optional(),
  medicalTransferReason: multiLine().trim().max(500).nullable().optional(),
});
export type ReleaseRecord = z.infer<typeof ReleaseRecord>;

/** [LIVE4] Start or end the caller's own break. */
export const BreakSet = z.strictObject({ id: Id, sessionId: Id, onBreak: z.boolean() });
export type BreakSet = z.infer<typeof BreakSet>;

/** [RDY1] Admit a participant to the dosing session. */
export const AdmitParticipant = z.strictObject({ id: Id, sessionId: Id, participantId: Id });

/**
 * [LIVE6][LIVE10] A facilitator ends the dosing session at the end of the day. Refused while anyone
 * admitted is not released or any alert waits for a response (shared/domain/live-close.ts).
 */
export const SessionClose = z.strictObject({ id: Id, sessionId: Id });

/** Staff: the session's rule profile and each participant's readiness. */
export const LiveContextQuery = z.strictObject({ sessionId: Id });

export const LiveCommands = {
  "support:request": SupportRequest,
  "alert:ack": AlertAck,
  "dose:record": DoseRecord,
  "vitals:record": VitalsRecord,
  "adverse:record": AdverseRecord,
  "release:record": ReleaseRecord,
  "break:set": BreakSet,
  "participant:admit": AdmitParticipant,
  "live:context": LiveContextQuery,
  "session:close": SessionClose,
} as const;

export interface ReadinessView {
  ready: boolean;
  missing: { item: string; label: string }[];
  flags: string[];
}

/** [LIVE10][LIVE2] Staff only: what a participant's release is checked against. */
export interface ReleaseView {
  /** The transportation plan on file, or null. */
  plan: { driver: string; contact: string; notes: string } | null;
  /** Their latest dose in the program's other sessions (returning client [SCH7]), or null. */
  lastEarlierDose: string | null;
}

export interface LiveCommandReplies {
  "support:request": { alertId: string; seq: number };
  "alert:ack": { alertId: string; by: string; at: string };
  "dose:record": { seq: number; totalMg: number };
  "vitals:record": { seq: number; alert: boolean };
  "adverse:record": { seq: number };
  "release:record": { seq: number };
  "break:set": { seq: number; onBreak: boolean };
  "participant:admit": { seq: number };
  "live:context": {
    profile: RuleProfile;
    readiness: Record<string, ReadinessView>;
    /** Per participant of the cohort [LIVE10][LIVE2]. */
    release: Record<string, ReleaseView>;
  };
  /** The `session.closed` event's seq, who closed it and when (the first close, on a retry or a second close). */
  "session:close": { seq: number; closedBy: string; closedAt: string };
}

/**
 * Where a notified alert stands now, derived from the log: `waiting` (escalated, reminded, or a
 * ratio alert not yet answered), `answered` (a facilitator acknowledged it), `resolved` (its
 * cause went away: ratio restored, break over), `ended` (the session was closed). Only `waiting`
 * ever says "no response" [LIVE6].
 */
export const AlertNoticeState = z.enum(["waiting", "answered", "resolved", "ended"]);
export type AlertNoticeState = z.infer<typeof AlertNoticeState>;

/**
 * [LIVE3][LIVE6] Pushed to every facilitator of the cohort and the program's admins when an
 * alert escalates, at each reminder after that, at once for a ratio alert — and again when that
 * alert is answered or resolved, or its session ends, so a notice follows its alert to the end.
 * Ids, kind, where (session and cohort names), whom it is about and who answered — names staff of
 * the cohort see on every roster — and no clinical detail. It goes to staff sockets only; a
 * system notification or Web Push payload (seen on lock screens) must not copy `about`.
 * Parsed on arrival by the client (AlertNotices.tsx).
 */
export const AlertNotice = z.object({
  /**
   * Where the alert lives: a live session, or a cohort's questionnaires (OUT2: raised at home,
   * with no session open). `sessionId` is null for a questionnaire alert; `cohortId` always set.
   */
  source: z.enum(["session", "questionnaire"]),
  sessionId: z.string().nullable(),
  cohortId: z.string(),
  alertId: z.string(),
  kind: AlertKind,
  /** The highest tier reached (0 = not escalated: a ratio alert at once). */
  tier: z.number().int().min(0),
  /** 0 for the escalation itself; n for the n-th reminder after the last tier (a minute apart). */
  reminder: z.number().int().min(0),
  participantId: z.string().nullable(),
  /** The name of whom it is about (the participant, the facilitator on a long break); null for a ratio alert. */
  about: z.string().nullable(),
  raisedAt: z.string(),
  /** The session's title (for a questionnaire alert, the questionnaire's) and its cohort's name, so the notice says where without a click. */
  sessionTitle: z.string(),
  cohortName: z.string(),
  state: AlertNoticeState,
  /** Who acknowledged it (their name) and when; null until someone does. */
  answered: z.object({ by: z.string(), at: z.string() }).nullable(),
  /** When the alert stopped waiting (answered, resolved or ended); null while it waits. */
  closedAt: z.string().nullable(),
});
export type AlertNotice = z.infer<typeof AlertNotice>;

/**
 * [LIVE6] Sent to a staff socket when it connects (a reload, a reconnect, a node restart): every
 * alert still waiting in their cohorts' open sessions — and only those. The client replaces its
 * waiting notices with this list, so an alert answered while it was away never comes back.
 */
export const AlertNoticeSnapshot = z.object({ notices: z.array(AlertNotice) });
export type AlertNoticeSnapshot = z.infer<typeof AlertNoticeSnapshot>;

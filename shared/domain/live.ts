import { z } from "zod";
import type { StoredEvent } from "../log.js";
import { AlertEventData, raiseAlert, reduceAlerts, type Alerts } from "./alerts.js";
import { ALL, STAFF, onlyParticipant, type Audience } from "./roles.js";

/** [LIVE1] Primary dose first; any later dose is secondary. */
export const DoseKind = z.enum(["primary", "secondary"]);
export type DoseKind = z.infer<typeof DoseKind>;

/** [LIVE9] */
export const AdverseKind = z.enum(["behavioral", "medical"]);
export const AdverseSeverity = z.enum(["mild", "moderate", "severe", "life_threatening"]);

/** The dosing-day events of a session stream, beside the ones in session.ts. */
export const LiveEventData = {
  "participant.admitted": z.object({ participantId: z.string() }),
  "dose.recorded": z.object({
    participantId: z.string(),
    mg: z.number().positive(),
    givenAt: z.string(),
    kind: DoseKind,
  }),
  /**
   * `alert`: the detail of the alert this reading raised at the profile's limit [LIVE8], named after
   * this event. `implausible`: why the reading looks like a measuring mistake (re-measure); a
   * reading is recorded (and alerts) either way, never swallowed.
   */
  "vitals.recorded": z.object({
    participantId: z.string(),
    systolic: z.number().int(),
    diastolic: z.number().int(),
    heartRate: z.number().int(),
    alert: z.string().nullable().optional(),
    implausible: z.string().nullable().optional(),
  }),
  "adverse.recorded": z.object({
    participantId: z.string(),
    kind: AdverseKind,
    severity: AdverseSeverity,
    emergencyServicesCalled: z.boolean(),
    description: z.string(),
  }),
  "participant.released": z.object({
    participantId: z.string(),
    transportBy: z.string(),
    planConfirmed: z.boolean(),
    planChange: z.string().nullable(),
    medicalTransferReason: z.string().nullable(),
    earliestAt: z.string().nullable(),
    /** [LIVE10] The driver on the transportation plan on file, which the release was checked against. */
    plannedDriver: z.string().nullable().optional(),
    /** [LIVE2][SCH7] Whether the returning-client minimum applied, from the participant's own history. */
    returningClient: z.boolean().optional(),
  }),
  /**
   * [LIVE10] What the released participant's own phone is told, in the same command as the release:
   * that they are released and who is taking them home. The release itself (plan change, transfer
   * reason) stays staff-only [AC3]; this names only their ride, which is theirs to know.
   */
  "participant.going_home": z.object({ participantId: z.string(), transportBy: z.string(), asPlanned: z.boolean() }),
  /** [PR5][LIVE4] Break start and end are history. */
  "break.started": z.object({ userId: z.string() }),
  "break.ended": z.object({ userId: z.string() }),
  /** [LIVE7] A gentle "how are you?" to everyone in the session; `round` counts prompt intervals since opening. */
  "checkin.prompted": z.object({ round: z.number().int().positive() }),
  ...AlertEventData,
} as const;
export type LiveEventType = keyof typeof LiveEventData;

export function isLiveEvent(type: string): type is LiveEventType {
  return Object.hasOwn(LiveEventData, type);
}

export interface Dose {
  seq: number;
  mg: number;
  givenAt: string;
  kind: DoseKind;
  by: string;
}

export interface Vitals {
  seq: number;
  at: string;
  systolic: number;
  diastolic: number;
  heartRate: number;
  /** [LIVE8] Why the reading looks like a measuring mistake, or null. */
  implausible: string | null;
}

/** [LIVE10] What the participant's phone knows of their release (participant.going_home). */
export interface GoingHome {
  at: string;
  transportBy: string;
  asPlanned: boolean;
}

export interface Release {
  at: string;
  by: string;
  transportBy: string;
  planConfirmed: boolean;
  planChange: string | null;
  medicalTransferReason: string | null;
}

export interface ParticipantLive {
  admittedSeq: number | null;
  admittedAt: string | null;
  doses: Dose[];
  totalMg: number;
  firstDoseAt: string | null;
  vitals: Vitals | null;
  adverseCount: number;
  release: Release | null;
  goingHome: GoingHome | null;
}

export interface LiveState {
  participants: Record<string, ParticipantLive>;
  /** Facilitators the log says are in the room (arrived, not left) [PR5]. */
  facilitatorsInRoom: string[];
  /** Facilitators on break now: when it started and the seq of the start event. */
  breaks: Record<string, { startedAt: string; seq: number }>;
  alerts: Alerts;
  prompts: { round: number; seq: number; at: string }[];
}

export function emptyLive(): LiveState {
  return { participants: {}, facilitatorsInRoom: [], breaks: {}, alerts: {}, prompts: [] };
}

export function emptyParticipant(): ParticipantLive {
  return {
    admittedSeq: null,
    admittedAt: null,
    doses: [],
    totalMg: 0,
    firstDoseAt: null,
    vitals: null,
    adverseCount: 0,
    release: null,
    goingHome: null,
  };
}

function withParticipant(s: LiveState, id: string, f: (p: ParticipantLive) => ParticipantLive): LiveState {
  return { ...s, participants: { ...s.participants, [id]: f(s.participants[id] ?? emptyParticipant()) } };
}

const UserData = z.object({ userId: z.string() });
/** The part of a check-in (session.ts) that matters here: a need_support check-in's alert. */
const CheckinAlert = z.object({ participantId: z.string(), alert: z.string().nullable().optional() });

/** [LOG5] The dosing-day part of a session's state; run by reduceSession for every event. */
export function reduceLive(s: LiveState, e: StoredEvent): LiveState {
  const next = reduceLiveParts(s, e);
  return { ...next, alerts: reduceAlerts(next.alerts, e) };
}

/**
 * [LIVE6][LIVE8] Alerts a reading or a check-in raises are part of that one event, not a second
 * one: a command lands whole or not at all, and a participant sees one position per command.
 */
function raisedBy(
  s: LiveState,
  e: StoredEvent,
  participantId: string,
  kind: "support" | "vitals",
  detail: string | null | undefined,
): LiveState {
  return typeof detail === "string"
    ? { ...s, alerts: raiseAlert(s.alerts, e, { kind, participantId, subjectId: null, detail }) }
    : s;
}

function reduceLiveParts(s: LiveState, e: StoredEvent): LiveState {
  switch (e.type) {
    case "checkin.recorded": {
      const d = CheckinAlert.parse(e.data);
      return raisedBy(s, e, d.participantId, "support", d.alert);
    }
    case "facilitator.arrived": {
      const { userId } = UserData.parse(e.data);
      return s.facilitatorsInRoom.includes(userId)
        ? s
        : { ...s, facilitatorsInRoom: [...s.facilitatorsInRoom, userId] };
    }
    case "facilitator.left": {
      const { userId } = UserData.parse(e.data);
      return { ...s, facilitatorsInRoom: s.facilitatorsInRoom.filter((u) => u !== userId) };
    }
    case "participant.admitted": {
      const d = LiveEventData["participant.admitted"].parse(e.data);
      return withParticipant(s, d.participantId, (p) =>
        p.admittedSeq !== null ? p : { ...p, admittedSeq: e.seq, admittedAt: e.at },
      );
    }
    case "dose.recorded": {
      const d = LiveEventData["dose.recorded"].parse(e.data);
      return withParticipant(s, d.participantId, (p) => {
        const doses = [...p.doses, { seq: e.seq, mg: d.mg, givenAt: d.givenAt, kind: d.kind, by: e.actor }];
        const first = doses.reduce<string | null>((m, x) => (m === null || x.givenAt < m ? x.givenAt : m), null);
        return { ...p, doses, totalMg: round2(p.totalMg + d.mg), firstDoseAt: first };
      });
    }
    case "vitals.recorded": {
      const d = LiveEventData["vitals.recorded"].parse(e.data);
      const next = withParticipant(s, d.participantId, (p) => ({
        ...p,
        vitals: {
          seq: e.seq,
          at: e.at,
          systolic: d.systolic,
          diastolic: d.diastolic,
          heartRate: d.heartRate,
          implausible: d.implausible ?? null,
        },
      }));
      return raisedBy(next, e, d.participantId, "vitals", d.alert);
    }
    case "adverse.recorded": {
      const d = LiveEventData["adverse.recorded"].parse(e.data);
      return withParticipant(s, d.participantId, (p) => ({ ...p, adverseCount: p.adverseCount + 1 }));
    }
    case "participant.released": {
      const d = LiveEventData["participant.released"].parse(e.data);
      const release: Release = {
        at: e.at,
        by: e.actor,
        transportBy: d.transportBy,
        planConfirmed: d.planConfirmed,
        planChange: d.planChange,
        medicalTransferReason: d.medicalTransferReason,
      };
      return withParticipant(s, d.participantId, (p) => ({ ...p, release }));
    }
    case "participant.going_home": {
      const d = LiveEventData["participant.going_home"].parse(e.data);
      const goingHome: GoingHome = { at: e.at, transportBy: d.transportBy, asPlanned: d.asPlanned };
      return withParticipant(s, d.participantId, (p) => ({ ...p, goingHome }));
    }
    case "break.started": {
      const d = LiveEventData["break.started"].parse(e.data);
      return { ...s, breaks: { ...s.breaks, [d.userId]: { startedAt: e.at, seq: e.seq } } };
    }
    case "break.ended": {
      const d = LiveEventData["break.ended"].parse(e.data);
      const breaks = { ...s.breaks };
      delete breaks[d.userId];
      return { ...s, breaks };
    }
    case "checkin.prompted": {
      const d = LiveEventData["checkin.prompted"].parse(e.data);
      return { ...s, prompts: [...s.prompts, { round: d.round, seq: e.seq, at: e.at }].slice(-50) };
    }
    default:
      return s;
  }
}

/** Doses are entered to 0.01 mg; keep sums exact enough to compare against band limits. */
function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * [AC2][AC3] Who may see each dosing-day event. Vitals, doses, adverse events, releases and
 * staff alerts are staff-only; a participant sees their own admission, their own support alert
 * and its acknowledgement (who is coming), that they are going home and with whom, and the
 * prompts everyone gets. Null: not a live event.
 */
export function liveAudience(e: StoredEvent): Audience | null {
  switch (e.type) {
    case "participant.admitted":
      return onlyParticipant(LiveEventData["participant.admitted"].parse(e.data).participantId);
    case "participant.going_home":
      return onlyParticipant(LiveEventData["participant.going_home"].parse(e.data).participantId);
    case "checkin.prompted":
      return ALL;
    case "alert.raised": {
      const d = AlertEventData["alert.raised"].parse(e.data);
      return d.kind === "support" && d.participantId !== null ? onlyParticipant(d.participantId) : STAFF;
    }
    case "alert.acknowledged": {
      const d = AlertEventData["alert.acknowledged"].parse(e.data);
      return d.notify !== null ? onlyParticipant(d.notify) : STAFF;
    }
    default:
      return isLiveEvent(e.type) ? STAFF : null;
  }
}

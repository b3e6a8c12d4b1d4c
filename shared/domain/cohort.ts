import { z } from "zod";
import type { StoredEvent } from "../log.js";
import { ALL, STAFF, onlyParticipant, type Audience, type Viewer } from "./roles.js";
import { ScreeningAnswers } from "./screening.js";
import { CircleListed, type CohortCircle } from "./circle.js";

/** [SCH1] The three kinds of scheduled session. */
export const SessionKind = z.enum(["preparation", "dosing", "circle"]);
export type SessionKind = z.infer<typeof SessionKind>;

const Instant = z.string();

/** One scheduled occurrence as it is kept: UTC instants plus the program's zone [SCH1]. */
const ScheduledData = z.object({
  sessionId: z.string(),
  kind: SessionKind,
  title: z.string(),
  start: Instant,
  end: Instant,
  zone: z.string(),
  facilitators: z.array(z.string()),
  participants: z.array(z.string()),
  plannedDoseMg: z.number().nullable(),
  allReturning: z.boolean().default(false),
});

const Occurrence = z.object({ sessionId: z.string(), start: Instant, end: Instant, shifted: z.boolean() });

/**
 * [SCH9] An edit or a reschedule: the whole new plan of one session (its kind, zone and series
 * stay), with the calendar SEQUENCE it now has, so every feed tells calendar apps it changed.
 */
const ChangedData = ScheduledData.omit({ kind: true, zone: true }).extend({
  sequence: z.number().int().positive(),
});

export const TransportPlan = z.object({ driver: z.string(), contact: z.string(), notes: z.string() });
export type TransportPlan = z.infer<typeof TransportPlan>;

/** Events of a cohort's stream (`cohort:<id>`) [LOG1]: the cohort's whole history. */
export const CohortEventData = {
  "cohort.created": z.object({ programId: z.string(), name: z.string(), capacity: z.number().int().positive() }),
  "facilitator.assigned": z.object({ userId: z.string() }),
  "participant.enrolled": z.object({ userId: z.string(), via: z.enum(["admin", "invite"]).optional() }),
  "session.opened": z.object({
    sessionId: z.string(),
    title: z.string(),
    openedBy: z.string(),
    /** The scheduled session this live room was started from (issue 11), when it was. */
    scheduledId: z.string().nullable().optional(),
  }),
  "invite.created": z.object({ inviteId: z.string(), expiresAt: Instant }),
  "session.scheduled": ScheduledData,
  /** [SCH2][SCH3] A weekly / every-N-weeks series, expanded at scheduling time (a series always ends). */
  "series.scheduled": ScheduledData.omit({
    sessionId: true,
    start: true,
    end: true,
    plannedDoseMg: true,
    allReturning: true,
  }).extend({
    seriesId: z.string(),
    everyWeeks: z.number().int().positive(),
    occurrences: z.array(Occurrence),
  }),
  /** Same people, dose or title; the same times. */
  "session.edited": ChangedData,
  /** New times (and possibly the rest): checked again for gaps [SCH3] and overlaps [SCH4]. */
  "session.rescheduled": ChangedData,
  "session.cancelled": z.object({ sessionId: z.string(), sequence: z.number().int().positive().optional() }),
  "screening.submitted": z.object({ participantId: z.string(), answers: ScreeningAnswers }),
  "screening.reviewed": z.object({ participantId: z.string() }),
  "consent.recorded": z.object({ participantId: z.string(), version: z.string() }),
  "transport.recorded": z.object({ participantId: z.string() }).extend(TransportPlan.shape),
  "preparation.attended": z.object({ participantId: z.string(), sessionId: z.string() }),
} as const;
export type CohortEventType = keyof typeof CohortEventData;

export interface CohortSession {
  id: string;
  title: string;
  openedAt: string;
  /** The scheduled session it was started from, or null for one started before issue 11. */
  scheduledId: string | null;
}

export interface ScheduledSession {
  id: string;
  kind: SessionKind;
  title: string;
  start: string;
  end: string;
  zone: string;
  facilitators: string[];
  participants: string[];
  plannedDoseMg: number | null;
  allReturning: boolean;
  seriesId: string | null;
  /** [SCH3] A series occurrence moved forward out of a spring-forward gap. */
  shifted: boolean;
  /** [SCH9] The iCalendar SEQUENCE: 0 as scheduled, one more for each edit, reschedule or cancellation. */
  sequence: number;
}

/** [RDY1] What the log says about one participant's readiness. */
export interface ParticipantRecord {
  screening: { answers: ScreeningAnswers; submittedAt: string } | null;
  /** Reset by a new submission: a review covers the answers it saw. */
  review: { reviewedBy: string; reviewedAt: string } | null;
  consent: { version: string; recordedAt: string } | null;
  transport: (TransportPlan & { recordedAt: string }) | null;
  preparations: { sessionId: string; recordedBy: string; recordedAt: string }[];
}

export interface CohortState {
  id: string;
  seq: number;
  exists: boolean;
  programId: string | null;
  name: string;
  capacity: number;
  facilitators: string[];
  participants: string[];
  /** Live sessions opened in this cohort. */
  sessions: CohortSession[];
  /** Scheduled sessions, in start order [SCH1]. */
  schedule: ScheduledSession[];
  /** [SCH9] Cancelled sessions, kept so calendar feeds can say STATUS:CANCELLED. */
  cancelled: ScheduledSession[];
  /** Per participant; only the viewer's own for a participant's view [AC2]. */
  records: Record<string, ParticipantRecord>;
  invites: number;
  /** Integration circles started in this cohort (issue 5). */
  circles: CohortCircle[];
}

export function emptyCohort(id: string): CohortState {
  return {
    id,
    seq: 0,
    exists: false,
    programId: null,
    name: "",
    capacity: 0,
    facilitators: [],
    participants: [],
    sessions: [],
    schedule: [],
    cancelled: [],
    records: {},
    invites: 0,
    circles: [],
  };
}

export function emptyRecord(): ParticipantRecord {
  return { screening: null, review: null, consent: null, transport: null, preparations: [] };
}

function addOnce(list: string[], id: string): string[] {
  return list.includes(id) ? list : [...list, id];
}

function withSchedule(state: CohortState, added: ScheduledSession[]): CohortState {
  const ids = new Set(added.map((s) => s.id));
  const schedule = [...state.schedule.filter((s) => !ids.has(s.id)), ...added].sort((a, b) =>
    a.start.localeCompare(b.start),
  );
  return { ...state, schedule };
}

function withRecord(
  state: CohortState,
  participantId: string,
  change: (r: ParticipantRecord) => ParticipantRecord,
): CohortState {
  return {
    ...state,
    records: { ...state.records, [participantId]: change(state.records[participantId] ?? emptyRecord()) },
  };
}

/** [LOG5] The one reducer for a cohort stream. */
export function reduceCohort(state: CohortState, e: StoredEvent): CohortState {
  const next = { ...state, seq: e.seq };
  const D = CohortEventData;
  switch (e.type) {
    case "cohort.created": {
      const d = D["cohort.created"].parse(e.data);
      return { ...next, exists: true, programId: d.programId, name: d.name, capacity: d.capacity };
    }
    case "facilitator.assigned":
      return { ...next, facilitators: addOnce(next.facilitators, D["facilitator.assigned"].parse(e.data).userId) };
    case "participant.enrolled":
      return { ...next, participants: addOnce(next.participants, D["participant.enrolled"].parse(e.data).userId) };
    case "session.opened": {
      const d = D["session.opened"].parse(e.data);
      const session = { id: d.sessionId, title: d.title, openedAt: e.at, scheduledId: d.scheduledId ?? null };
      return { ...next, sessions: [...next.sessions, session] };
    }
    case "invite.created":
      return { ...next, invites: next.invites + 1 };
    case "session.scheduled": {
      const d = D["session.scheduled"].parse(e.data);
      return withSchedule(next, [{ ...d, id: d.sessionId, seriesId: null, shifted: false, sequence: 0 }]);
    }
    case "series.scheduled": {
      const d = D["series.scheduled"].parse(e.data);
      const base = {
        kind: d.kind,
        title: d.title,
        zone: d.zone,
        facilitators: d.facilitators,
        participants: d.participants,
        plannedDoseMg: null,
        allReturning: false,
        seriesId: d.seriesId,
        sequence: 0,
      };
      return withSchedule(
        next,
        d.occurrences.map((o) => ({ ...base, id: o.sessionId, start: o.start, end: o.end, shifted: o.shifted })),
      );
    }
    case "session.edited":
    case "session.rescheduled": {
      const { sessionId, ...d } = D[e.type].parse(e.data);
      const old = next.schedule.find((s) => s.id === sessionId);
      if (!old) return next;
      // A moved occurrence is no longer the one that fell in a gap.
      const shifted = e.type === "session.rescheduled" ? false : old.shifted;
      return withSchedule(next, [{ ...old, ...d, shifted }]);
    }
    case "session.cancelled": {
      const { sessionId, sequence } = D["session.cancelled"].parse(e.data);
      const old = next.schedule.find((s) => s.id === sessionId);
      if (!old) return next;
      return {
        ...next,
        schedule: next.schedule.filter((s) => s.id !== sessionId),
        cancelled: [...next.cancelled, { ...old, sequence: sequence ?? old.sequence + 1 }],
      };
    }
    case "screening.submitted": {
      const d = D["screening.submitted"].parse(e.data);
      return withRecord(next, d.participantId, (r) => ({
        ...r,
        screening: { answers: d.answers, submittedAt: e.at },
        review: null,
      }));
    }
    case "screening.reviewed": {
      const d = D["screening.reviewed"].parse(e.data);
      return withRecord(next, d.participantId, (r) => ({ ...r, review: { reviewedBy: e.actor, reviewedAt: e.at } }));
    }
    case "consent.recorded": {
      const d = D["consent.recorded"].parse(e.data);
      return withRecord(next, d.participantId, (r) => ({ ...r, consent: { version: d.version, recordedAt: e.at } }));
    }
    case "transport.recorded": {
      const d = D["transport.recorded"].parse(e.data);
      return withRecord(next, d.participantId, (r) => ({
        ...r,
        transport: { driver: d.driver, contact: d.contact, notes: d.notes, recordedAt: e.at },
      }));
    }
    case "preparation.attended": {
      const d = D["preparation.attended"].parse(e.data);
      return withRecord(next, d.participantId, (r) => ({
        ...r,
        preparations: r.preparations.some((p) => p.sessionId === d.sessionId)
          ? r.preparations
          : [...r.preparations, { sessionId: d.sessionId, recordedBy: e.actor, recordedAt: e.at }],
      }));
    }
    case "circle.listed": {
      const d = CircleListed.parse(e.data);
      return {
        ...next,
        circles: [...next.circles, { id: d.circleId, title: d.title, sessionId: d.sessionId, startedAt: e.at }],
      };
    }
    default:
      return next;
  }
}

const PERSONAL = new Set([
  "screening.submitted",
  "screening.reviewed",
  "consent.recorded",
  "transport.recorded",
  "preparation.attended",
]);

/**
 * [AC2][AC3] Participants learn of their own enrolment and their own record, not of anyone
 * else's. Screening answers go to that participant and staff only. The schedule names people
 * and planned doses, so it is staff-only; participants read theirs over HTTP, redacted.
 */
export function cohortAudience(e: StoredEvent): Audience {
  if (e.type === "circle.listed") return ALL;
  if (e.type === "participant.enrolled")
    return onlyParticipant(CohortEventData["participant.enrolled"].parse(e.data).userId);
  if (PERSONAL.has(e.type)) {
    const d = z.object({ participantId: z.string() }).parse(e.data);
    return onlyParticipant(d.participantId);
  }
  return e.type === "cohort.created" || e.type === "facilitator.assigned" || e.type === "session.opened" ? ALL : STAFF;
}

/** [AC4] Membership comes from the server-side roster (the cohort's log), never from the client. */
export function isCohortMember(cohort: CohortState, viewer: Viewer, programAdmins: readonly string[]): boolean {
  if (!cohort.exists) return false;
  switch (viewer.role) {
    case "admin":
      return programAdmins.includes(viewer.userId);
    case "facilitator":
      return cohort.facilitators.includes(viewer.userId);
    case "participant":
      return cohort.participants.includes(viewer.userId);
  }
}

/** A participant's first scheduled dosing session start, or null [SCH8][RDY1]. */
export function firstDosingAt(cohort: CohortState, participantId: string): string | null {
  return cohort.schedule.find((s) => s.kind === "dosing" && s.participants.includes(participantId))?.start ?? null;
}

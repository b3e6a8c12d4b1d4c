import { z } from "zod";
import { AppError, ErrorCode } from "../protocol/errors.js";
import type { DraftEvent, StoredEvent } from "../log.js";
import { ALL, STAFF, onlyParticipant, type Audience, type Viewer } from "./roles.js";
import { CheckinStatus } from "./checkin.js";
import { emptyLive, isLiveEvent, liveAudience, reduceLive, type LiveState } from "./live.js";
import { pendingAlerts } from "./alerts.js";
import { serverId } from "../log.js";

/** The events of a live session's stream (`session:<id>`), with their data schemas. */
export const SessionEventData = {
  "session.opened": z.object({
    cohortId: z.string(),
    title: z.string(),
    openedBy: z.string(),
    /** The scheduled dosing session this room runs (issue 11): its planned people and times. */
    scheduled: z
      .object({ sessionId: z.string(), start: z.string(), end: z.string(), participants: z.array(z.string()) })
      .nullable()
      .optional(),
  }),
  "session.closed": z.object({ closedBy: z.string() }),
  "checkin.recorded": z.object({
    participantId: z.string(),
    status: CheckinStatus,
    intensity: z.number().int().min(0).max(10).nullable(),
    text: z.string().nullable(),
    /** [LIVE6] The detail of the support alert this check-in raised (named after this event), or null. */
    alert: z.string().nullable().optional(),
  }),
  /** [PR5] Safety-relevant presence transitions are history: who entered and left the room. */
  "participant.arrived": z.object({ userId: z.string() }),
  "participant.left": z.object({ userId: z.string() }),
  "facilitator.arrived": z.object({ userId: z.string() }),
  "facilitator.left": z.object({ userId: z.string() }),
} as const;
export type SessionEventType = keyof typeof SessionEventData;

export interface Checkin {
  eventId: string;
  seq: number;
  participantId: string;
  status: CheckinStatus;
  intensity: number | null;
  text: string | null;
  at: string;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: string;
  subject: string | null;
  /** The alert an alert event is about (escalated, reminded, acknowledged, resolved), so the timeline can say whose. */
  alertId?: string;
}

export interface SessionState {
  id: string;
  seq: number;
  status: "none" | "open" | "closed";
  cohortId: string | null;
  title: string;
  openedAt: string | null;
  openedBy: string | null;
  /** The scheduled session it was started from, with its planned times and participants, or null. */
  scheduled: { sessionId: string; start: string; end: string; participants: string[] } | null;
  /** Who ended the session and when (session.closed) [LIVE6]. */
  closedAt: string | null;
  closedBy: string | null;
  /** Latest check-in per participant (only the viewer's own for a participant's view). */
  lastCheckin: Record<string, Checkin>;
  checkinCount: number;
  /** People the log says are in the room (arrived and not yet left). */
  inRoom: string[];
  timeline: TimelineEntry[];
  /** Dosing-day state: admissions, doses, vitals, releases, breaks, alerts, prompts (live.ts). */
  live: LiveState;
}

export function emptySession(id: string): SessionState {
  return {
    id,
    seq: 0,
    status: "none",
    cohortId: null,
    title: "",
    openedAt: null,
    openedBy: null,
    scheduled: null,
    closedAt: null,
    closedBy: null,
    lastCheckin: {},
    checkinCount: 0,
    inRoom: [],
    timeline: [],
    live: emptyLive(),
  };
}

const TIMELINE_MAX = 200;

function withTimeline(state: SessionState, e: StoredEvent, subject: string | null): SessionState {
  const entry: TimelineEntry = { seq: e.seq, at: e.at, type: e.type, actor: e.actor, subject };
  if (e.type.startsWith("alert.") && typeof e.data.alertId === "string") entry.alertId = e.data.alertId;
  const timeline = [...state.timeline, entry];
  return { ...state, timeline: timeline.length > TIMELINE_MAX ? timeline.slice(-TIMELINE_MAX) : timeline };
}

/** [LOG5] The one reducer for a session stream; the server and every client run this same code. */
export function reduceSession(state: SessionState, e: StoredEvent): SessionState {
  const core = reduceCore(state, e);
  return { ...core, live: reduceLive(core.live, e) };
}

/** Whom a dosing-day event is about, for the timeline. */
function liveSubject(data: Record<string, unknown>): string | null {
  for (const key of ["participantId", "userId", "subjectId"]) {
    const v = data[key];
    if (typeof v === "string") return v;
  }
  return null;
}

function reduceCore(state: SessionState, e: StoredEvent): SessionState {
  const next = { ...state, seq: e.seq };
  switch (e.type) {
    case "session.opened": {
      const d = SessionEventData["session.opened"].parse(e.data);
      return withTimeline(
        {
          ...next,
          status: "open",
          cohortId: d.cohortId,
          title: d.title,
          openedAt: e.at,
          openedBy: d.openedBy,
          scheduled: d.scheduled ?? null,
        },
        e,
        null,
      );
    }
    case "session.closed": {
      const d = SessionEventData["session.closed"].parse(e.data);
      return withTimeline({ ...next, status: "closed", closedAt: e.at, closedBy: d.closedBy }, e, null);
    }
    case "checkin.recorded": {
      const d = SessionEventData["checkin.recorded"].parse(e.data);
      const checkin: Checkin = {
        eventId: e.id,
        seq: e.seq,
        participantId: d.participantId,
        status: d.status,
        intensity: d.intensity,
        text: d.text,
        at: e.at,
      };
      return withTimeline(
        {
          ...next,
          lastCheckin: { ...next.lastCheckin, [d.participantId]: checkin },
          checkinCount: next.checkinCount + 1,
        },
        e,
        d.participantId,
      );
    }
    case "participant.arrived":
    case "facilitator.arrived": {
      const { userId } = SessionEventData["participant.arrived"].parse(e.data);
      return withTimeline(
        { ...next, inRoom: next.inRoom.includes(userId) ? next.inRoom : [...next.inRoom, userId] },
        e,
        userId,
      );
    }
    case "participant.left":
    case "facilitator.left": {
      const { userId } = SessionEventData["participant.left"].parse(e.data);
      return withTimeline({ ...next, inRoom: next.inRoom.filter((u) => u !== userId) }, e, userId);
    }
    default:
      if (isLiveEvent(e.type)) return withTimeline(next, e, liveSubject(e.data));
      // Unknown types come from newer servers; keep position, ignore content.
      return next;
  }
}

/** [AC2][AC3] Who may see each session event. A participant sees only their own check-ins. */
export function sessionAudience(e: StoredEvent): Audience {
  switch (e.type) {
    case "session.opened":
    case "session.closed":
      return ALL;
    case "checkin.recorded":
      return onlyParticipant(SessionEventData["checkin.recorded"].parse(e.data).participantId);
    default:
      return liveAudience(e) ?? STAFF;
  }
}

type Draft = Omit<DraftEvent, "at">;

/** [LIVE6] What a participant is told when the session has ended: their phone no longer reaches anyone. */
export const SESSION_ENDED = "This session has ended. If you need someone, call out or wave to a facilitator.";

/**
 * [LIVE6][LIVE10] What to do instead once the phone no longer reaches the facilitators (released,
 * or the session ended): in the room, call out; away from it, the program, or emergency services.
 */
export const WHAT_TO_DO_INSTEAD =
  "If you are still in the room, call out or wave to a facilitator. Once you have left, call your program's contact number; in an emergency, call 911.";

/** [LIVE10] What a released participant's "I need support" press is told. */
export const RELEASED_SUPPORT = `You have been released from this session, so this no longer reaches the facilitators. ${WHAT_TO_DO_INSTEAD}`;

export function decideOpenSession(
  state: SessionState,
  cmd: { id: string; cohortId: string; title: string; scheduled?: SessionState["scheduled"] },
  actor: Viewer,
): Draft[] {
  if (actor.role !== "facilitator")
    throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator can start a live session.");
  if (state.status !== "none") throw new AppError(ErrorCode.RULE_VIOLATION, "This session has already been started.");
  return [
    {
      id: cmd.id,
      type: "session.opened",
      actor: actor.userId,
      data: { cohortId: cmd.cohortId, title: cmd.title, openedBy: actor.userId, scheduled: cmd.scheduled ?? null },
    },
  ];
}

export function decideCheckin(
  state: SessionState,
  cmd: { id: string; status: CheckinStatus; intensity?: number | null | undefined; text?: string | null | undefined },
  actor: Viewer,
): Draft[] {
  if (actor.role !== "participant") throw new AppError(ErrorCode.FORBIDDEN, "Only participants send check-ins.");
  if (state.status === "closed") throw new AppError(ErrorCode.RULE_VIOLATION, SESSION_ENDED);
  if (state.status !== "open")
    throw new AppError(ErrorCode.RULE_VIOLATION, "This session is not open, so check-ins cannot be sent.");
  const text = cmd.text?.trim() ? cmd.text.trim() : null;
  // [LIVE6] "Need support" as a check-in is a request for a person: it raises the same alert as
  // the button, in the same event (so it can never be acknowledged without its alert).
  const waiting = pendingAlerts(state.live.alerts).some(
    (a) => a.kind === "support" && a.participantId === actor.userId,
  );
  const alert = cmd.status === "need_support" && !waiting ? CHECKIN_SUPPORT_DETAIL : null;
  return [
    {
      id: cmd.id,
      type: "checkin.recorded",
      actor: actor.userId,
      data: { participantId: actor.userId, status: cmd.status, intensity: cmd.intensity ?? null, text, alert },
    },
  ];
}

export const CHECKIN_SUPPORT_DETAIL = "Asked for support in a check-in.";

/**
 * [PR5] The id of a room transition: who, which way, and the seq of the state it was decided on.
 * Each real transition happens at a different seq, so leaving and coming back on the same
 * connection is a new event; two nodes deciding the same transition on the same state make the
 * same id, and the append's expectedSeq keeps one of them.
 */
export function roomTransitionId(state: Pick<SessionState, "seq">, userId: string, present: boolean): string {
  return serverId(present ? "arrived" : "left", userId, "at", state.seq);
}

/**
 * [PR5] Log a person entering or leaving the room once per real transition, even when several
 * nodes notice it at the same moment (they race on expectedSeq; the loser sees it already done).
 */
export function decideRoomTransition(
  state: SessionState,
  cmd: { userId: string; role: Viewer["role"]; present: boolean },
): Draft[] {
  if (cmd.role === "admin" || state.status !== "open") return [];
  const inRoom = state.inRoom.includes(cmd.userId);
  if (inRoom === cmd.present) return [];
  const type = `${cmd.role}.${cmd.present ? "arrived" : "left"}`;
  return [
    { id: roomTransitionId(state, cmd.userId, cmd.present), type, actor: cmd.userId, data: { userId: cmd.userId } },
  ];
}

import type { StoredEvent } from "../log.js";
import type { AlertNotice, AlertNoticeState } from "../protocol/live.js";
import { isPending, type Alert, type Alerts } from "./alerts.js";
import type { OutcomeState } from "./outcome.js";
import type { SessionState } from "./session.js";

/**
 * [LIVE3][LIVE6][OUT2] What staff are told about an alert away from where it lives, derived from
 * that stream's state alone: a notice is a view of the alert, never a separate fact, so it can
 * never say "no response" about an alert someone has answered, and every node derives the same
 * one. Alerts live in a live session, or in a cohort's outcome log (a questionnaire's safety
 * alert, raised at home with no session open); both are told through the same functions.
 */

/** Where alerts live, as a notice names it. */
export interface AlertPlace {
  source: AlertNotice["source"];
  sessionId: string | null;
  cohortId: string;
  title: string;
  /** When the place ended (a session closed), or null. A questionnaire's log never ends. */
  endedAt: string | null;
  alerts: Alerts;
}

export function sessionPlace(session: SessionState): AlertPlace {
  return {
    source: "session",
    sessionId: session.id,
    cohortId: session.cohortId ?? "",
    title: session.title,
    endedAt: session.status === "closed" ? session.closedAt : null,
    alerts: session.live.alerts,
  };
}

export function outcomePlace(outcome: OutcomeState): AlertPlace {
  return {
    source: "questionnaire",
    sessionId: null,
    cohortId: outcome.id,
    title: "Questionnaires",
    endedAt: null,
    alerts: outcome.alerts,
  };
}

/**
 * Alerts staff get a notice about: an escalated one (tier ≥ 1); at once, a ratio alert [LIVE3]
 * and a questionnaire's safety alert, whose participant may be alone at home [OUT2].
 */
export function isNotified(a: Alert): boolean {
  return a.tier > 0 || a.kind === "ratio" || a.kind === "selfharm";
}

/**
 * Where the alert stands. Resolved first (its cause is gone); answered while the place lasts;
 * an answered one whose session ended is `ended` (a broken ratio answered but never restored
 * otherwise stays forever). A pending alert stays `waiting` even in a closed session: it keeps
 * escalating there until answered [LIVE6].
 */
export function noticeState(place: AlertPlace, a: Alert): AlertNoticeState {
  if (a.resolved) return "resolved";
  if (a.ack) return place.endedAt !== null ? "ended" : "answered";
  return "waiting";
}

export interface NoticeContext {
  cohortName: string;
  /** A person's name from their id (whom it is about, who answered); the id's owner may be unknown. */
  name: (userId: string) => string;
}

/** The notice for one alert as its place's state has it now. */
export function noticeOf(place: AlertPlace, a: Alert, ctx: NoticeContext, reminder = a.reminders): AlertNotice {
  const state = noticeState(place, a);
  const aboutId = a.participantId ?? a.subjectId;
  const closedAt =
    state === "resolved"
      ? (a.resolved?.at ?? null)
      : state === "answered"
        ? (a.ack?.at ?? null)
        : state === "ended"
          ? place.endedAt
          : null;
  return {
    source: place.source,
    sessionId: place.sessionId,
    cohortId: place.cohortId,
    alertId: a.id,
    kind: a.kind,
    tier: a.tier,
    reminder,
    participantId: a.participantId,
    about: aboutId === null ? null : ctx.name(aboutId),
    raisedAt: a.raisedAt,
    sessionTitle: place.title,
    cohortName: ctx.cohortName,
    state,
    answered: a.ack ? { by: ctx.name(a.ack.by), at: a.ack.at } : null,
    closedAt,
  };
}

/** The alert an event is about, if it is one staff must be told about now; `reminder` is the event's count. */
function noticeTarget(place: AlertPlace, e: StoredEvent): { alert: Alert; reminder: number }[] {
  if (e.type === "session.closed")
    // The session ended: every notified alert still on someone's screen closes with it.
    return Object.values(place.alerts)
      .filter((a) => isNotified(a) && a.resolved === null && !isPending(a))
      .map((alert) => ({ alert, reminder: alert.reminders }));
  const alertId = e.type === "alert.raised" ? e.id : typeof e.data.alertId === "string" ? e.data.alertId : null;
  const alert = alertId === null ? undefined : place.alerts[alertId];
  if (!alert || !isNotified(alert)) return [];
  switch (e.type) {
    case "alert.raised":
    case "alert.escalated":
    case "alert.acknowledged":
    case "alert.resolved":
      return [{ alert, reminder: 0 }];
    case "alert.reminded":
      return [{ alert, reminder: typeof e.data.count === "number" ? e.data.count : alert.reminders }];
    default:
      return [];
  }
}

/**
 * The notices a batch of just-appended events calls for, from the state after them: an
 * escalation that raced an acknowledgement comes out as "answered", never as "no response".
 */
export function noticesFor(place: AlertPlace, events: readonly StoredEvent[], ctx: NoticeContext): AlertNotice[] {
  const out = new Map<string, AlertNotice>();
  for (const e of events)
    for (const { alert, reminder } of noticeTarget(place, e)) out.set(alert.id, noticeOf(place, alert, ctx, reminder));
  return [...out.values()];
}

/** [LIVE6] What a staff person who (re)connects is told about a place: its alerts still waiting, only. */
export function openNotices(place: AlertPlace, ctx: NoticeContext): AlertNotice[] {
  return Object.values(place.alerts)
    .filter((a) => isNotified(a) && isPending(a))
    .sort((a, b) => a.seq - b.seq)
    .map((a) => noticeOf(place, a, ctx));
}

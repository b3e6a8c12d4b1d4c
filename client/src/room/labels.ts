import type { CheckinStatus } from "../../../shared/domain/checkin.js";
import type { Alert, AlertKind } from "../../../shared/domain/alerts.js";
import type { PresenceState } from "../../../shared/protocol/presence.js";

/** Presence in words, so state never depends on telling colours apart. */
export const PRESENCE_LABEL: Record<PresenceState, string> = {
  online: "In the room",
  away: "Away",
  on_break: "On break",
  offline: "Offline",
};

/** Check-in status as a facilitator reads it on a tile. */
export const STATUS_LABEL: Record<CheckinStatus, string> = {
  ok: "OK",
  struggling: "Struggling",
  need_support: "NEEDS SUPPORT",
};

export function presenceOf(presence: Record<string, PresenceState>, userId: string): PresenceState {
  return presence[userId] ?? "offline";
}

/** How an event of the session's timeline reads, with names filled in. */
export function describeTimeline(type: string, actor: string, subject: string | null): string {
  const who = subject ?? actor;
  switch (type) {
    case "session.opened":
      return `${actor} started the session`;
    case "session.closed":
      return `${actor} closed the session`;
    case "checkin.recorded":
      return `${who} checked in`;
    case "participant.left":
      return `${who} left the room`;
    case "facilitator.left":
      return `${who} (facilitator) left the room`;
    case "participant.arrived":
      return `${who} arrived in the room`;
    case "facilitator.arrived":
      return `${who} (facilitator) arrived in the room`;
    default:
      return describeLive(type, actor, who, subject);
  }
}

/** What kind of alert, in words for a facilitator. */
export const ALERT_LABEL: Record<AlertKind, string> = {
  support: "Asked for support",
  ratio: "Facilitator ratio broken",
  break: "Break over time",
  vitals: "Vitals alert",
  selfharm: "Questionnaire: thoughts of self-harm",
};

/** Dosing-day events on the timeline; an unknown type reads as a quiet generic line, never a raw name. */
function describeLive(type: string, actor: string, who: string, subject: string | null): string {
  switch (type) {
    case "participant.admitted":
      return `${who} was admitted by ${actor}`;
    case "dose.recorded":
      return `${actor} recorded a dose for ${who}`;
    case "vitals.recorded":
      return `${actor} recorded vitals for ${who}`;
    case "adverse.recorded":
      return `${actor} recorded an adverse event for ${who}`;
    case "participant.released":
      return `${who} was released by ${actor}`;
    case "break.started":
      return `${who} went on break`;
    case "break.ended":
      return `${who} is back from break`;
    case "checkin.prompted":
      return "Everyone was asked how they are";
    case "alert.raised":
      return subject ? `Alert raised about ${subject}` : "Alert raised by Holdspace";
    case "alert.escalated":
      return "An alert was escalated (not yet acknowledged)";
    case "alert.reminded":
      return "An alert is still waiting for a response (everyone reminded)";
    case "alert.acknowledged":
      return `${actor} acknowledged an alert`;
    case "alert.resolved":
      return "An alert was resolved";
    default:
      return "Something was recorded";
  }
}

/** An alert as the object of a sentence: "Chloe's support request", "the facilitator ratio alert". */
export function alertPhrase(a: Alert, name: (id: string) => string): string {
  const about = a.participantId ?? a.subjectId;
  switch (a.kind) {
    case "support":
      return about ? `${name(about)}'s support request` : "a support request";
    case "vitals":
      return about ? `the vitals alert for ${name(about)}` : "a vitals alert";
    case "break":
      return about ? `the break alert for ${name(about)}` : "a break alert";
    case "ratio":
      return "the facilitator ratio alert";
    case "selfharm":
      return about ? `the questionnaire safety alert for ${name(about)}` : "a questionnaire safety alert";
  }
}

/** What an alert is, as a headline naming whom it is about: "Chloe asked for support". */
export function alertHeadline(kind: AlertKind, about: string | null): string {
  switch (kind) {
    case "support":
      return `${about ?? "Someone"} asked for support`;
    case "vitals":
      return `Vitals alert for ${about ?? "someone"}`;
    case "break":
      return `${about ?? "A facilitator"} has been on break too long`;
    case "ratio":
      return "Facilitator ratio broken";
    case "selfharm":
      return `${about ?? "A participant"} reported thoughts of self-harm on a questionnaire`;
  }
}

/** How an alert's raising reads on the timeline: what, and about whom. */
function raisedLine(a: Alert, name: (id: string) => string): string {
  const about = a.participantId ?? a.subjectId;
  return alertHeadline(a.kind, about === null ? null : name(about));
}

/** What became of it, after the raising line: "— answered by Jonah 10:40". */
function outcome(a: Alert, name: (id: string) => string, clock: (iso: string) => string): string {
  if (a.ack) return ` — answered by ${name(a.ack.by)} ${clock(a.ack.at)}`;
  if (a.resolved) return ` — resolved ${clock(a.resolved.at)}`;
  return " — waiting for a response";
}

/**
 * [LIVE6] A timeline line about an alert, naming what and who: the raising says how it ended
 * ("Chloe asked for support — answered by Jonah 10:40"), the steps after it name whose alert.
 * `raised` is the alert this very event raised (a support press, a check-in, a reading).
 */
export function describeAlertEntry(
  e: { type: string; actor: string },
  alert: Alert,
  raised: boolean,
  name: (id: string) => string,
  clock: (iso: string) => string,
): string {
  if (raised) {
    const base =
      e.type === "alert.raised"
        ? raisedLine(alert, name)
        : describeTimeline(e.type, name(e.actor), alert.participantId ? name(alert.participantId) : null);
    const lead =
      e.type === "checkin.recorded"
        ? `${base} (needs support)`
        : e.type === "vitals.recorded"
          ? `${base}: alert`
          : base;
    return `${lead}${outcome(alert, name, clock)}`;
  }
  const what = alertPhrase(alert, name);
  switch (e.type) {
    case "alert.escalated":
      return `No response yet to ${what}: everyone was alerted`;
    case "alert.reminded":
      return `Still no response to ${what}: everyone was reminded`;
    case "alert.acknowledged":
      return `${name(e.actor)} answered ${what}`;
    case "alert.resolved":
      return alert.kind === "ratio"
        ? "Facilitator ratio restored"
        : `${what.charAt(0).toUpperCase()}${what.slice(1)} was resolved`;
    default:
      return describeTimeline(e.type, name(e.actor), null);
  }
}

/** Arrivals and departures: the timeline can hide them, they are most of its lines on a long day. */
export const MOVEMENT_TYPES: ReadonlySet<string> = new Set([
  "participant.arrived",
  "participant.left",
  "facilitator.arrived",
  "facilitator.left",
]);

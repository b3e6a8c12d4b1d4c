import type { CheckinStatus } from "../../../shared/domain/checkin.js";
import type { AlertKind } from "../../../shared/domain/alerts.js";
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

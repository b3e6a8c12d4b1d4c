import type { CheckinStatus } from "../../../shared/domain/checkin.js";
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
    default:
      return type;
  }
}

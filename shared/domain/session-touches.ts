import type { StoredEvent } from "../log.js";

/** Scope names of a session stream's state (what decisions read and events change). */
export const scope = {
  participant: (id: string) => `p:${id}`,
  alert: (id: string) => `a:${id}`,
  room: (userId: string) => `room:${userId}`,
  /** Who is in care, their doses, facilitators in the room and on break, ratio and break alerts [LIVE3][LIVE4]. */
  ratio: "ratio",
  prompt: "prompt",
  whole: "*",
} as const;

function str(data: Record<string, unknown>, key: string): string | null {
  const v = data[key];
  return typeof v === "string" ? v : null;
}

/**
 * [LIVE5] What each session event changes, so a decision is checked only against the events that
 * could change it: a check-in, a dose or vitals depend on their own participant (and the session
 * being open), not on everyone else's — 25 people answering a prompt at once never conflict.
 * A decision reads exactly the scopes its own events touch (the table is built that way):
 * ratio checks and breaks read `ratio`; escalations their alert; room transitions the person.
 */
export function sessionTouches(e: Pick<StoredEvent, "id" | "type" | "data">): string[] {
  const participant = str(e.data, "participantId");
  const p = participant === null ? [] : [scope.participant(participant)];
  switch (e.type) {
    case "checkin.recorded":
    case "vitals.recorded":
      // The alert it may raise is named after the event (reduceSession).
      return e.data["alert"] == null ? p : [...p, scope.alert(e.id)];
    case "adverse.recorded":
    case "participant.going_home":
      return p;
    case "participant.admitted":
    case "dose.recorded":
    case "participant.released":
      return [...p, scope.ratio];
    case "participant.arrived":
    case "participant.left":
      return [scope.room(str(e.data, "userId") ?? "")];
    case "facilitator.arrived":
    case "facilitator.left":
      return [scope.room(str(e.data, "userId") ?? ""), scope.ratio];
    case "break.started":
    case "break.ended":
      return [scope.ratio];
    case "checkin.prompted":
      return [scope.prompt];
    case "alert.raised": {
      const kind = str(e.data, "kind");
      return [scope.alert(e.id), ...p, ...(kind === "ratio" || kind === "break" ? [scope.ratio] : [])];
    }
    case "alert.acknowledged": {
      const notify = str(e.data, "notify");
      return [scope.alert(str(e.data, "alertId") ?? ""), ...(notify === null ? [] : [scope.participant(notify)])];
    }
    case "alert.escalated":
    case "alert.reminded":
      return [scope.alert(str(e.data, "alertId") ?? "")];
    case "alert.resolved":
      return [scope.alert(str(e.data, "alertId") ?? ""), scope.ratio];
    default:
      // session.opened, session.closed and anything unknown: the whole stream.
      return [scope.whole];
  }
}

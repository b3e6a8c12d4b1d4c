import type { PushPayload } from "../protocol/push.js";
import type { AlertKind } from "./alerts.js";

/** Why a system notification is shown: the alert was raised, or it escalated / is reminded again. */
export type PushReason = "raised" | "escalated";

/**
 * [LIVE6][REC3] The one wording of a system notification about an alert, for Web Push (server)
 * and for the hidden-tab notification (client). Generic on purpose: lock screens are seen by
 * others, so it takes only the session id, the alert id and the alert's kind — it cannot name a
 * participant, a session title, a vital sign or a check-in text because it is never given one.
 */
export function alertPushPayload(
  a: { sessionId: string | null; cohortId?: string; alertId: string; kind: AlertKind },
  reason: PushReason,
): PushPayload {
  if (a.kind === "selfharm") {
    // [OUT2] Raised from a questionnaire, maybe at night at home: where to answer it, nothing of what was answered.
    return {
      title: reason === "raised" ? "Holdspace: a participant may need support" : "Holdspace: still no response",
      body: "A questionnaire answer needs a facilitator's attention — open Holdspace",
      url: a.cohortId === undefined ? "/" : `/cohort/${encodeURIComponent(a.cohortId)}/outcomes`,
      tag: a.alertId,
      requireInteraction: true,
    };
  }
  const support = a.kind === "support";
  const title = support
    ? reason === "raised"
      ? "Holdspace: support requested"
      : "Holdspace: support still needed"
    : reason === "raised"
      ? "Holdspace: an alert needs attention"
      : "Holdspace: an alert is still waiting";
  const body = support
    ? reason === "raised"
      ? "Someone in a live session needs support — open Holdspace"
      : "No one has answered yet — open Holdspace"
    : "A live session needs a facilitator's attention — open Holdspace";
  return {
    title,
    body,
    url: a.sessionId === null ? "/" : `/session/${encodeURIComponent(a.sessionId)}`,
    tag: a.alertId,
    requireInteraction: true,
  };
}

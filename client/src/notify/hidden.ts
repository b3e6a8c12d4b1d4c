import { useEffect } from "react";
import { AlertEventData, type AlertKind } from "../../../shared/domain/alerts.js";
import { alertPushPayload, type PushReason } from "../../../shared/domain/push-payload.js";
import { isHidden, streamId, type StreamName } from "../../../shared/log.js";
import type { AlertNotice } from "../../../shared/protocol/live.js";
import type { PushPayload } from "../../../shared/protocol/push.js";
import type { StreamEventMessage } from "../../../shared/protocol/events.js";
import { getSocket } from "../live/socket.js";
import { workerRegistration } from "./worker.js";

/**
 * A system notification through the worker, only while this tab is hidden (visible, the screen
 * itself chimes and shows the alert). The same generic payload Web Push carries: no names, no detail.
 */
export async function showWhenHidden(p: PushPayload): Promise<void> {
  if (document.visibilityState !== "hidden" || Notification.permission !== "granted") return;
  const reg = await workerRegistration();
  if (reg === null) return;
  // `renotify` (alert again when an escalation replaces its alert's notification) is not in
  // TypeScript's DOM types yet; an options object is passed as is.
  const options = {
    body: p.body,
    tag: p.tag,
    renotify: true,
    requireInteraction: p.requireInteraction,
    data: { url: p.url },
  };
  await reg.showNotification(p.title, options);
}

/** A support or other alert raised by a session event this tab follows (the room is open in it). */
function raisedIn(m: StreamEventMessage): { sessionId: string; alertId: string; kind: AlertKind } | null {
  const e = m.event;
  if (isHidden(e) || !m.stream.startsWith("session:")) return null;
  const sessionId = streamId(m.stream satisfies StreamName);
  if (e.type === "checkin.recorded" && typeof e.data.alert === "string")
    return { sessionId, alertId: e.id, kind: "support" };
  if (e.type !== "alert.raised") return null;
  const d = AlertEventData["alert.raised"].safeParse(e.data);
  return d.success ? { sessionId, alertId: e.id, kind: d.data.kind } : null;
}

const reasonOf = (n: AlertNotice): PushReason => (n.tier > 0 || n.reminder > 0 ? "escalated" : "raised");

/** An answered, resolved or ended alert: its system notification, if one is up, is taken down. */
async function closeShown(tag: string): Promise<void> {
  const reg = await workerRegistration();
  if (reg === null) return;
  for (const n of await reg.getNotifications({ tag })) n.close();
}

/**
 * [LIVE6] While `enabled` (staff who turned notifications on and the browser allows them): a new
 * alert in a room open in this tab, and every alert notice (escalations, reminders, ratio) that
 * reaches this person anywhere in the app, show a system notification when the tab is hidden.
 * Works without Web Push; with it, the notification of the same alert is replaced (same tag).
 */
export function useHiddenTabNotifications(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const socket = getSocket();
    // A notice follows its alert (issue 11): only a waiting one may say "still needed".
    const onNotice = (n: AlertNotice): void => {
      if (n.state === "waiting") void showWhenHidden(alertPushPayload(n, reasonOf(n)));
      else void closeShown(n.alertId);
    };
    const onEvent = (m: StreamEventMessage): void => {
      const raised = raisedIn(m);
      if (raised) void showWhenHidden(alertPushPayload(raised, "raised"));
    };
    socket.on("alert:notice", onNotice);
    socket.on("stream:event", onEvent);
    return () => {
      socket.off("alert:notice", onNotice);
      socket.off("stream:event", onEvent);
    };
  }, [enabled]);
}

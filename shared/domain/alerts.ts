import { z } from "zod";
import { serverId, type StoredEvent } from "../log.js";
import type { Draft } from "./live-types.js";
import type { Viewer } from "./roles.js";
import { AppError, ErrorCode } from "../protocol/errors.js";

/**
 * [LIVE6] Alerts of a live session. An alert is an event in the session log; whether it is
 * pending, escalated or acknowledged is derived from the log, so every node computes the same
 * answer and no process's memory is the truth (DESIGN.md "Alerts").
 */
export const AlertKind = z.enum(["support", "ratio", "break", "vitals", "selfharm"]);
export type AlertKind = z.infer<typeof AlertKind>;

/** [LIVE6] Unacknowledged this long after it was raised, an alert escalates to the next tier. */
export const ESCALATION_TIERS = [
  { tier: 1, afterMs: 15_000 },
  { tier: 2, afterMs: 60_000 },
] as const;

/**
 * [LIVE6] Past the last tier an unanswered alert is not left to go quiet: every minute after it,
 * a reminder goes to all facilitators and the program admins again, until someone answers or
 * its cause is gone (docs/alerts.md: "escalating until someone answers").
 */
export const REMINDER_EVERY_MS = 60_000;

/** Who acts for jobs: events decided by a node's periodic check, not by a person. */
export const SYSTEM_ACTOR = "system";

export const AlertEventData = {
  /** The alert's id is the id of the event that raised it (unique in the stream; `alertId` repeats it). */
  "alert.raised": z.object({
    alertId: z.string().optional(),
    kind: AlertKind,
    /** The participant the alert is about, if any (support, vitals). */
    participantId: z.string().nullable(),
    /** Another person it is about (the facilitator on a long break). */
    subjectId: z.string().nullable(),
    /** A readable sentence for staff. Staff-only events may carry numbers; push notices never do. */
    detail: z.string(),
  }),
  "alert.escalated": z.object({ alertId: z.string(), tier: z.number().int().min(1).max(2) }),
  /** The n-th reminder after the last tier (n = 1 at 2 min, 2 at 3 min, …) [LIVE6]. */
  "alert.reminded": z.object({ alertId: z.string(), count: z.number().int().positive() }),
  /** `notify`: the participant who asked for support, so they see who is coming [LIVE6]. */
  "alert.acknowledged": z.object({ alertId: z.string(), by: z.string(), notify: z.string().nullable() }),
  /** Ratio restored, break ended: the condition behind the alert is gone. */
  "alert.resolved": z.object({ alertId: z.string(), reason: z.string() }),
} as const;

export interface Alert {
  id: string;
  kind: AlertKind;
  participantId: string | null;
  subjectId: string | null;
  detail: string;
  raisedAt: string;
  raisedBy: string;
  seq: number;
  /** The highest tier reached so far (0 = not escalated). */
  tier: number;
  /** Reminders sent after the last tier (REMINDER_EVERY_MS). */
  reminders: number;
  ack: { by: string; at: string } | null;
  resolved: { at: string; reason: string } | null;
}

export type Alerts = Record<string, Alert>;

/** What an event that raises an alert says about it. */
export interface Raised {
  kind: AlertKind;
  participantId: string | null;
  subjectId: string | null;
  detail: string;
}

/**
 * An alert named after the event that raised it: event ids are unique in a stream and a client
 * id never equals a server-made one, so no command can take another alert's id first [LIVE6].
 */
export function raiseAlert(alerts: Alerts, e: StoredEvent, r: Raised): Alerts {
  if (alerts[e.id]) return alerts;
  const a: Alert = {
    id: e.id,
    kind: r.kind,
    participantId: r.participantId,
    subjectId: r.subjectId,
    detail: r.detail,
    raisedAt: e.at,
    raisedBy: e.actor,
    seq: e.seq,
    tier: 0,
    reminders: 0,
    ack: null,
    resolved: null,
  };
  return { ...alerts, [a.id]: a };
}

/** Reduce the alert events; other events leave the alerts as they are. */
export function reduceAlerts(alerts: Alerts, e: StoredEvent): Alerts {
  switch (e.type) {
    case "alert.raised":
      return raiseAlert(alerts, e, AlertEventData["alert.raised"].parse(e.data));
    case "alert.escalated": {
      const d = AlertEventData["alert.escalated"].parse(e.data);
      const a = alerts[d.alertId];
      return a ? { ...alerts, [a.id]: { ...a, tier: Math.max(a.tier, d.tier) } } : alerts;
    }
    case "alert.reminded": {
      const d = AlertEventData["alert.reminded"].parse(e.data);
      const a = alerts[d.alertId];
      return a ? { ...alerts, [a.id]: { ...a, reminders: Math.max(a.reminders, d.count) } } : alerts;
    }
    case "alert.acknowledged": {
      const d = AlertEventData["alert.acknowledged"].parse(e.data);
      const a = alerts[d.alertId];
      return a && !a.ack ? { ...alerts, [a.id]: { ...a, ack: { by: d.by, at: e.at } } } : alerts;
    }
    case "alert.resolved": {
      const d = AlertEventData["alert.resolved"].parse(e.data);
      const a = alerts[d.alertId];
      return a && !a.resolved ? { ...alerts, [a.id]: { ...a, resolved: { at: e.at, reason: d.reason } } } : alerts;
    }
    default:
      return alerts;
  }
}

/** Pending: nobody has acknowledged it and its cause has not gone away. It sounds and escalates. */
export function isPending(a: Alert): boolean {
  return a.ack === null && a.resolved === null;
}

export function pendingAlerts(alerts: Alerts): Alert[] {
  return Object.values(alerts)
    .filter(isPending)
    .sort((a, b) => a.seq - b.seq);
}

/** Still on screen: pending, or acknowledged but its cause remains (a broken ratio stays visible until restored [LIVE3]). */
export function visibleAlerts(alerts: Alerts): Alert[] {
  return Object.values(alerts)
    .filter((a) => a.resolved === null && (a.ack === null || a.kind === "ratio" || a.kind === "break"))
    .sort((a, b) => a.seq - b.seq);
}

/** Alert ids stay short enough that `$escalate:<alertId>:<tier>` is still a valid event id. */
export const ALERT_ID_MAX = 100;

export function escalationId(alertId: string, tier: number): string {
  return serverId("escalate", alertId, tier);
}

export function reminderId(alertId: string, count: number): string {
  return serverId("remind", alertId, count);
}

export function resolveId(alertId: string): string {
  return serverId("resolve", alertId);
}

export function ackId(alertId: string): string {
  return serverId("ack", alertId);
}

const LAST_TIER = ESCALATION_TIERS[ESCALATION_TIERS.length - 1];

/**
 * [LIVE6] An acknowledgement of an alert, wherever it lives (a session, a cohort's questionnaires).
 * The event id is the alert's (`$ack:<alertId>`), not the command's: two facilitators answering
 * at once land one, and a retry finds it answered. `notify`: the participant told who is coming.
 */
export function decideAlertAck(alerts: Alerts, alertId: string, actor: Viewer, notify: boolean): Draft[] {
  if (actor.role === "participant") throw new AppError(ErrorCode.FORBIDDEN, "Only facilitators acknowledge alerts.");
  const a = alerts[alertId];
  if (!a) throw new AppError(ErrorCode.NOT_FOUND, "There is no such alert here.");
  if (a.ack || a.resolved) return [];
  return [
    {
      id: ackId(a.id),
      type: "alert.acknowledged",
      actor: actor.userId,
      data: { alertId: a.id, by: actor.userId, notify: notify ? a.participantId : null },
    },
  ];
}

/**
 * [LIVE6] When the next escalation or reminder of these alerts falls due (ms), or null when none
 * is pending. The same clock for every stream that holds alerts.
 */
export function nextAlertCheckAt(alerts: Alerts): number | null {
  const times: number[] = [];
  for (const a of pendingAlerts(alerts)) {
    const raised = Date.parse(a.raisedAt);
    const next = ESCALATION_TIERS.find((t) => a.tier < t.tier);
    if (next) times.push(raised + next.afterMs);
    else if (LAST_TIER) times.push(raised + LAST_TIER.afterMs + (a.reminders + 1) * REMINDER_EVERY_MS);
  }
  return times.length === 0 ? null : Math.min(...times);
}

/**
 * [LIVE6] Escalations now due, then reminders once the last tier is reached. Ids are
 * `$escalate:<alertId>:<tier>` and `$remind:<alertId>:<n>`, so any number of nodes can run this and
 * the log keeps exactly one of each. After an outage only the latest reminder is sent, not a burst.
 */
export function decideEscalations(alerts: Alerts, now: number): Draft[] {
  const out: Draft[] = [];
  for (const a of pendingAlerts(alerts)) {
    const age = now - Date.parse(a.raisedAt);
    for (const t of ESCALATION_TIERS) {
      if (a.tier < t.tier && age >= t.afterMs) {
        out.push({
          id: escalationId(a.id, t.tier),
          type: "alert.escalated",
          actor: SYSTEM_ACTOR,
          data: { alertId: a.id, tier: t.tier },
        });
      }
    }
    if (LAST_TIER && a.tier >= LAST_TIER.tier) {
      const due = Math.floor((age - LAST_TIER.afterMs) / REMINDER_EVERY_MS);
      if (due > a.reminders)
        out.push({
          id: reminderId(a.id, due),
          type: "alert.reminded",
          actor: SYSTEM_ACTOR,
          data: { alertId: a.id, count: due },
        });
    }
  }
  return out;
}

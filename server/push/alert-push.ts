import { isPending, type Alert, type Alerts } from "../../shared/domain/alerts.js";
import { outcomePlace, sessionPlace, type AlertPlace } from "../../shared/domain/alert-notice.js";
import { wakesChecks } from "../../shared/domain/live-checks.js";
import { alertPushPayload, type PushReason } from "../../shared/domain/push-payload.js";
import type { StoredEvent, StreamKind } from "../../shared/log.js";
import { profileForCohort } from "../gateway/handlers/live-shared.js";
import { errorKind } from "../logger.js";
import type { Services } from "../services.js";
import type { EndpointRule } from "./endpoint-rule.js";
import { sendPush, type VapidKeys } from "./sender.js";
import { PushSubscriptions } from "./subscriptions.js";

export interface PushSettings {
  /** Null: Web Push is off (no VAPID keys in the environment); everything else works. */
  vapid: VapidKeys | null;
  rule: EndpointRule;
}

/** Long enough to cover any retry of the command that appended the event (LOG2). */
const SENT_TTL_MS = 60 * 60_000;
/** A session's key is its id alone (as before questionnaires had alerts); an outcome log's names its kind. */
const sentKey = (place: AlertPlace, eventId: string) =>
  `push:sent:${place.sessionId ?? `outcome:${place.cohortId}`}:${eventId}`;

interface Due {
  eventId: string;
  alert: Alert;
  reason: PushReason;
}

/**
 * [LIVE6][OUT2] What of a batch is worth a push: an alert raised (a support request, a
 * need_support check-in, vitals at the limit, the ratio, a long break, a questionnaire's safety
 * answer) or an escalation / reminder of one still pending. Acknowledged or resolved alerts are not pushed.
 */
function dueOf(alerts: Alerts, events: readonly StoredEvent[]): Due[] {
  const due: Due[] = [];
  for (const e of events) {
    const raised = alerts[e.id];
    const later = e.type === "alert.escalated" || e.type === "alert.reminded";
    const alert = raised ?? (later && typeof e.data.alertId === "string" ? alerts[e.data.alertId] : undefined);
    if (alert === undefined || !isPending(alert)) continue;
    due.push({ eventId: e.id, alert, reason: raised ? "raised" : "escalated" });
  }
  return due;
}

/**
 * Web Push to staff devices when an alert is raised or escalates (issue 11). Called from the one
 * after-append hook (app.ts), so it sees every alert whichever path appended it — a command on
 * any node, or the due-job escalation another node runs after this one crashed. It never blocks
 * or fails the command path: `afterAppend` only starts the work, and every failure is logged
 * with ids and a code only [REC3]. Each event is pushed once across nodes and retries (a KV key
 * set with nx), and a device the push service says is gone (404/410) is forgotten.
 */
export class AlertPush {
  readonly subscriptions: PushSubscriptions;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly s: Services,
    readonly settings: PushSettings,
  ) {
    this.subscriptions = new PushSubscriptions(s.stores.kv);
  }

  get publicKey(): string | null {
    return this.settings.vapid?.publicKey ?? null;
  }

  afterAppend(kind: StreamKind, id: string, events: readonly StoredEvent[]): void {
    const vapid = this.settings.vapid;
    // Only a batch that touches an alert (the same test that makes the checks due) costs a read.
    const touchesAlert =
      kind === "session"
        ? events.some(wakesChecks)
        : kind === "outcome" && events.some((e) => e.type.startsWith("alert."));
    if (vapid === null || !touchesAlert) return;
    const run = this.deliver(kind, id, events, vapid).catch((err: unknown) =>
      this.s.logger.warn("alert push failed", { stream: { id: `${kind}:${id}` }, error: errorKind(err) }),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Resolves when every push started so far has been sent or given up on (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async place(kind: StreamKind, id: string): Promise<AlertPlace | null> {
    if (kind === "session") return sessionPlace(await this.s.streams.state("session", id));
    if (kind === "outcome") return outcomePlace(await this.s.streams.state("outcome", id));
    return null;
  }

  private async deliver(kind: StreamKind, id: string, events: readonly StoredEvent[], vapid: VapidKeys): Promise<void> {
    const place = await this.place(kind, id);
    if (place === null || place.cohortId === "") return;
    const due = dueOf(place.alerts, events);
    if (due.length === 0) return;
    const cohort = await this.s.streams.state("cohort", place.cohortId);
    const { admins } = await profileForCohort(this.s, cohort);
    for (const d of due) {
      if (!(await this.s.stores.kv.set(sentKey(place, d.eventId), "1", { nx: true, ttlMs: SENT_TTL_MS }))) continue;
      // [LIVE6] A new alert reaches the room's facilitators; an escalation (and a ratio alert,
      // as its notice does) also the program's admins.
      const toAdmins = d.reason === "escalated" || d.alert.kind === "ratio";
      const people = new Set([...cohort.facilitators, ...(toAdmins ? admins : [])]);
      const payload = alertPushPayload(
        { sessionId: place.sessionId, cohortId: place.cohortId, alertId: d.alert.id, kind: d.alert.kind },
        d.reason,
      );
      await Promise.all([...people].map((userId) => this.toPerson(userId, payload, vapid)));
    }
  }

  private async toPerson(
    userId: string,
    payload: ReturnType<typeof alertPushPayload>,
    vapid: VapidKeys,
  ): Promise<void> {
    const subs = await this.subscriptions.list(userId);
    await Promise.all(
      subs.map(async (sub) => {
        const outcome = await sendPush(sub, payload, vapid, this.settings.rule);
        if (outcome === "gone" || outcome === "refused") await this.subscriptions.remove(userId, sub.endpoint);
        if (outcome !== "sent")
          this.s.logger.warn("push not delivered", { user: { id: userId }, outcome: { id: outcome } });
      }),
    );
  }
}

import { randomUUID } from "node:crypto";
import type { CheckinStatus } from "../../shared/domain/checkin.js";
import type { Alert } from "../../shared/domain/alerts.js";
import type { CommandPayload, CommandReplies } from "../../shared/protocol/events.js";
import { backoffMs, isRetryable } from "../../client/src/live/retry.js";
import type { ChaosClient } from "./client.js";
import type { SessionFollower } from "./follower.js";
import { between, sleep, Tally } from "./util.js";

type IdCommand = "session:open" | "checkin:send" | "alert:ack";

export type Sent<T> =
  | { kind: "acked"; data: T; attempts: number; nodeId: string | null }
  | { kind: "refused"; code: string; attempts: number }
  | { kind: "gave_up"; attempts: number };

const MAX_ATTEMPTS = 500;

/**
 * [LOG2] Send a command with one id until it is acknowledged, as the real client does
 * (client/src/live/command.ts): across timeouts, dropped connections and reconnects, with the
 * same backoff, stopping only at a refusal that retrying would not change — or at `giveUpAt`.
 */
export async function sendUntilAcked<K extends IdCommand>(
  c: ChaosClient,
  name: K,
  payload: CommandPayload<K>,
  giveUpAt: number,
  signal?: AbortSignal,
): Promise<Sent<CommandReplies[K]>> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (signal?.aborted || Date.now() >= giveUpAt || !(await c.waitConnected(giveUpAt)))
      return { kind: "gave_up", attempts: attempt };
    const nodeId = c.nodeId;
    const r = await c.attempt(name, payload);
    if (r.kind === "ack") {
      if (r.ack.ok) return { kind: "acked", data: r.ack.data, attempts: attempt + 1, nodeId };
      if (!isRetryable(r.ack.error.code)) return { kind: "refused", code: r.ack.error.code, attempts: attempt + 1 };
    }
    await sleep(Math.min(backoffMs(attempt), Math.max(0, giveUpAt - Date.now())), signal);
  }
  return { kind: "gave_up", attempts: MAX_ATTEMPTS };
}

export interface AckedCheckin {
  id: string;
  sessionId: string;
  userId: string;
  clientKey: string;
  status: CheckinStatus;
  intensity: number | null;
  text: string | null;
  seq: number;
  issuedAt: number;
  ackAt: number;
  attempts: number;
}

export interface AckedAlertAck {
  id: string;
  sessionId: string;
  alertId: string;
  by: string;
  ackAt: number;
}

export interface AckedOpen {
  id: string;
  sessionId: string;
  cohortId: string;
  userId: string;
  seq: number;
}

/** Everything the clients were told, for the checks against the streams afterwards. */
export class Recorder {
  readonly checkins: AckedCheckin[] = [];
  readonly alertAcks: AckedAlertAck[] = [];
  readonly opens: AckedOpen[] = [];
  /** Final outcomes that were not an ack: `<command> <code>` or `<command> gave_up`. */
  readonly unacked = new Tally();
  /** Check-ins issued and not yet settled. */
  inFlight = 0;
}

export interface ParticipantPlan {
  sessionId: string;
  loadEnd: number;
  giveUpAt: number;
  everyMs: [number, number];
  needSupport: number;
  signal: AbortSignal;
}

/**
 * A participant's phone: a check-in every few seconds (some `need_support`), each sent until
 * acked with its one id, one at a time. Text is neutral or absent: nothing clinical is made up,
 * and none of it is ever printed.
 */
export async function runParticipant(c: ChaosClient, plan: ParticipantPlan, rec: Recorder): Promise<void> {
  await sleep(between(0, plan.everyMs[1]), plan.signal);
  for (let i = 0; i < 100_000; i++) {
    if (Date.now() >= plan.loadEnd || plan.signal.aborted) return;
    const roll = Math.random();
    const status: CheckinStatus =
      roll < plan.needSupport ? "need_support" : roll < plan.needSupport + 0.15 ? "struggling" : "ok";
    const intensity = Math.random() < 0.3 ? null : Math.floor(Math.random() * 11);
    const text = Math.random() < 0.2 ? "chaos run" : null;
    const payload = { id: randomUUID(), sessionId: plan.sessionId, status, intensity, text };
    const issuedAt = Date.now();
    rec.inFlight++;
    const sent = await sendUntilAcked(c, "checkin:send", payload, plan.giveUpAt, plan.signal);
    rec.inFlight--;
    if (sent.kind === "acked") {
      rec.checkins.push({
        ...payload,
        userId: c.person.userId,
        clientKey: c.person.key,
        seq: sent.data.seq,
        issuedAt,
        ackAt: Date.now(),
        attempts: sent.attempts,
      });
    } else {
      rec.unacked.add(`checkin:send ${sent.kind === "refused" ? sent.code : "gave_up"}`);
    }
    await sleep(between(plan.everyMs[0], plan.everyMs[1]), plan.signal);
  }
}

/** What the cohort's facilitators do about one alert; decided once, by whoever sees it first. */
interface AlertPlan {
  /** quick: 0.5–8 s after it is seen; late: 17–25 s after it was raised (past tier 1); never. */
  kind: "quick" | "late" | "never";
  by: string;
  /** The other facilitator acknowledges it too (two acks at once land one). */
  both: boolean;
}

export type AlertPlans = Map<string, AlertPlan>;

/**
 * A facilitator's laptop: watches its session, and acknowledges most alerts after a delay, some
 * only after they escalated, and leaves some alone so they escalate to the last tier.
 */
export class Facilitator {
  private readonly seen = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private stopped = false;
  follower: SessionFollower | null = null;

  constructor(
    readonly client: ChaosClient,
    private readonly sessionId: string,
    private readonly plans: AlertPlans,
    private readonly rec: Recorder,
    private readonly giveUpAt: number,
    private readonly signal: AbortSignal,
  ) {}

  /** Called after every change of this facilitator's view. */
  readonly onChange = (): void => {
    const state = this.follower?.state;
    if (!state || this.stopped) return;
    for (const a of Object.values(state.live.alerts)) {
      if (this.seen.has(a.id)) continue;
      this.seen.add(a.id);
      if (a.ack !== null || a.resolved !== null) continue;
      this.consider(a);
    }
  };

  private consider(a: Alert): void {
    const me = this.client.person.key;
    let plan = this.plans.get(a.id);
    if (!plan) {
      const roll = Math.random();
      plan = { kind: roll < 0.7 ? "quick" : roll < 0.9 ? "late" : "never", by: me, both: Math.random() < 0.1 };
      this.plans.set(a.id, plan);
    }
    if (plan.kind === "never" || (plan.by !== me && !plan.both)) return;
    const delay =
      plan.kind === "quick" ? between(500, 8000) : Date.parse(a.raisedAt) + between(17_000, 25_000) - Date.now();
    const both = plan.both;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        const current = this.follower?.state.live.alerts[a.id];
        if (this.stopped || (!both && current?.ack)) return;
        const p = this.acknowledge(a.id).finally(() => this.inflight.delete(p));
        this.inflight.add(p);
      },
      Math.max(0, delay),
    );
    this.timers.add(timer);
  }

  private async acknowledge(alertId: string): Promise<void> {
    const payload = { id: randomUUID(), sessionId: this.sessionId, alertId };
    const sent = await sendUntilAcked(this.client, "alert:ack", payload, this.giveUpAt, this.signal);
    if (sent.kind === "acked")
      this.rec.alertAcks.push({
        id: payload.id,
        sessionId: this.sessionId,
        alertId,
        by: sent.data.by,
        ackAt: Date.now(),
      });
    else this.rec.unacked.add(`alert:ack ${sent.kind === "refused" ? sent.code : "gave_up"}`);
  }

  /** Alerts in this facilitator's view that nobody answered and that have not escalated yet. */
  waiting(): number {
    const state = this.follower?.state;
    if (!state) return 0;
    return Object.values(state.live.alerts).filter((a) => a.ack === null && a.resolved === null && a.tier === 0).length;
  }

  /** Stop planning; let acks already being sent finish (each is bounded by `giveUpAt`). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inflight]);
  }
}

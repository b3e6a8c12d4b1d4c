import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { createRedisStores } from "../../server/stores/redis/index.js";
import { Facilitator, Recorder, runParticipant, sendUntilAcked, type AlertPlans } from "./actors.js";
import { ChaosClient, newClientStats, type ClientStats } from "./client.js";
import { Cluster } from "./cluster.js";
import { planFaults, runFaults, type FaultOptions, type FaultRecord } from "./faults.js";
import { startChaosRedis } from "./redis.js";
import { CHAOS_PASSWORD, seedCohorts, type SeededCohort } from "./seed.js";
import { eachLimit, quantile, secs, sleep, Tally } from "./util.js";
import type { ViewerUnderTest } from "./checks.js";
import { recoveries, type Recovery } from "./recovery.js";
import { verify, type Verdict } from "./verify.js";

export interface ChaosOptions {
  /** Clients in all (participants + facilitators); rounded to whole cohorts. */
  clients: number;
  /** How long participants send check-ins. */
  seconds: number;
  nodes: number;
  participantsPerCohort: number;
  facilitatorsPerCohort: number;
  /** Pause between one participant's check-ins. */
  checkinEverySec: [number, number];
  /** Share of check-ins that are `need_support`. */
  needSupport: number;
  faults: FaultOptions;
  /** After the load: at most this long for every alert to be acknowledged or escalated. */
  drainSeconds: number;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export function defaultOptions(clients = 300, seconds = 120): ChaosOptions {
  return {
    clients,
    seconds,
    nodes: 3,
    participantsPerCohort: 10,
    facilitatorsPerCohort: 2,
    checkinEverySec: [3, 7],
    needSupport: 0.12,
    faults: {
      firstKillSec: [20, 30],
      killEverySec: [20, 30],
      maxKills: 100,
      redisRestartSec: Math.round(seconds * 0.45),
      redisStallSec: Math.round(seconds * 0.72),
      redisStallSeconds: 2,
      nodeDownSec: [1, 3],
    },
    drainSeconds: 30,
    log: (line) => console.log(line),
  };
}

export interface ChaosReport {
  verdict: Verdict;
  kills: number;
  faults: FaultRecord[];
  recoveries: Recovery[];
  maxRecoverS: number;
  stats: ClientStats;
  /** Every reason the run failed; empty when every check held. */
  failures: string[];
  /** Lines describing the run (counts, per-fault recovery, first problems found). */
  summary: string[];
  /** The one-line verdict, printed last. */
  line: string;
}

/** Seconds allowed for everything that is not the load or the drain (start, sign-in, final sync). */
const OVERHEAD_SEC = 240;

/**
 * The chaos run (issue 8): its own Redis (AOF, fsync always), N server processes on it, a few
 * hundred signed-in clients checking in and answering alerts while nodes are killed with -9 and
 * Redis crashes, restarts from its AOF and stalls; then proof from the streams themselves.
 * Every process it starts is stopped before it returns or throws.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const signal = o.signal ?? new AbortController().signal;
  // Every client's sleeps listen on this one signal.
  setMaxListeners(0, signal);
  const cleanups: (() => Promise<void>)[] = [];
  const checkAbort = (): void => {
    if (signal.aborted) throw new Error("chaos run aborted");
  };
  try {
    const started = Date.now();
    const hardDeadline = started + (OVERHEAD_SEC + o.seconds + o.drainSeconds) * 1000;
    const redis = await startChaosRedis();
    cleanups.push(() => redis.stop());
    const prefix = `hs-chaos:${randomUUID().slice(0, 8)}:`;
    const tag = prefix.replace(/[^a-z0-9]/gi, "").slice(-8);
    const perCohort = o.participantsPerCohort + o.facilitatorsPerCohort;
    const cohortCount = Math.max(1, Math.round(o.clients / perCohort));
    o.log(
      `chaos: redis at ${redis.url}, prefix ${prefix}; seeding ${cohortCount} cohorts × (${o.participantsPerCohort} participants + ${o.facilitatorsPerCohort} facilitators)`,
    );
    const cohorts = await seedCohorts(redis.url, prefix, tag, cohortCount, {
      participants: o.participantsPerCohort,
      facilitators: o.facilitatorsPerCohort,
    });
    checkAbort();

    const cluster = await Cluster.start(o.nodes, redis.url, prefix);
    cleanups.push(() => cluster.stopAll());
    o.log(
      `chaos: ${o.nodes} server processes up: ${cluster
        .live()
        .map((n) => `${n.id} ${n.url}`)
        .join(", ")}`,
    );

    const stats = newClientStats();
    const rec = new Recorder();
    const clients = cohorts
      .flatMap((c) => [...c.facilitators, ...c.participants])
      .map((p) => new ChaosClient(p, cluster, stats, hardDeadline, CHAOS_PASSWORD));
    cleanups.push(async () => {
      await Promise.all(clients.map((c) => c.stop()));
    });
    await connectAll(clients, cluster, o);
    checkAbort();

    const sessions = await openSessions(cohorts, clients, rec, signal);
    checkAbort();
    const facilitators: Facilitator[] = [];
    // A cohort's plans, typed so that `new Map()` is not a Map<any, any>.
    const newPlans = (): AlertPlans => new Map();
    // One plan per alert per cohort, shared by its facilitators (whoever sees an alert first decides).
    const plans = cohorts.map(() => newPlans());
    const loadStart = Date.now();
    const loadEnd = loadStart + o.seconds * 1000;
    const giveUpAt = loadEnd + 60_000;
    for (const c of clients) {
      const sessionId = sessions[c.person.cohort];
      if (sessionId === undefined) throw new Error(`no session for cohort ${c.person.cohort}`);
      if (c.person.role === "facilitator") {
        const f = new Facilitator(c, sessionId, plans[c.person.cohort] ?? newPlans(), rec, giveUpAt, signal);
        f.follower = c.follow(sessionId, f.onChange);
        facilitators.push(f);
      } else {
        c.follow(sessionId);
      }
    }
    if (!(await waitFor(() => clients.every((c) => c.joins.length > 0), Date.now() + 30_000, signal))) {
      o.log(
        `chaos: ${clients.filter((c) => c.joins.length === 0).length} clients have not joined their session after 30 s; going on`,
      );
    }
    o.log(`chaos: ${clients.length} clients signed in, connected and joined; load for ${o.seconds} s`);

    const plan = planFaults(o.seconds, o.faults);
    const faultRun = runFaults(plan, {
      cluster,
      redis,
      t0: loadStart,
      until: loadEnd,
      options: o.faults,
      clientsOn: (nodeId) => clients.filter((c) => nodeId === null || c.nodeId === nodeId).map((c) => c.person.key),
      log: o.log,
      signal,
    });
    const ticker = setInterval(() => o.log(progress(loadStart, cluster, rec, stats)), 10_000);
    try {
      const runs = clients
        .filter((c) => c.person.role === "participant")
        .map((c) => {
          const sessionId = sessions[c.person.cohort] ?? "";
          return runParticipant(
            c,
            {
              sessionId,
              loadEnd,
              giveUpAt,
              everyMs: [o.checkinEverySec[0] * 1000, o.checkinEverySec[1] * 1000],
              needSupport: o.needSupport,
              signal,
            },
            rec,
          );
        });
      await Promise.all(runs);
      const faults = await faultRun;
      checkAbort();
      o.log(
        `chaos: load over (${rec.checkins.length} check-ins acked); waiting up to ${o.drainSeconds} s for every alert to be acknowledged or escalated`,
      );
      await waitFor(() => facilitators.every((f) => f.waiting() === 0), Date.now() + o.drainSeconds * 1000, signal);
      await Promise.all(facilitators.map((f) => f.stop()));
      checkAbort();

      // Final sync: every client catches up from what it holds, as after any reconnect [LOG4].
      const settled = new Map<string, boolean>();
      const settleBy = Date.now() + 45_000;
      await eachLimit(clients, 25, async (c) => {
        settled.set(c.person.key, (await c.follower?.settle(settleBy)) ?? false);
      });
      const checkedAt = Date.now();
      const viewers: ViewerUnderTest[] = clients.map((c) => ({
        key: c.person.key,
        viewer: { userId: c.person.userId, role: c.person.role },
        follower: c.follower,
        settled: settled.get(c.person.key) ?? false,
      }));
      const stores = await createRedisStores({ url: redis.url, prefix });
      let verdict: Verdict;
      try {
        verdict = await verify(stores.log, sessions, rec, viewers, checkedAt, loadStart, faults);
      } finally {
        await stores.close();
      }
      const participantKeys = new Set(clients.filter((c) => c.person.role === "participant").map((c) => c.person.key));
      return report(verdict, faults, recoveries(faults, rec, participantKeys), rec, stats, cluster, clients, started);
    } finally {
      clearInterval(ticker);
    }
  } finally {
    for (const c of cleanups.reverse())
      await c().catch((err: unknown) =>
        o.log(`chaos: cleanup step failed: ${err instanceof Error ? err.message : String(err)}`),
      );
  }
}

async function connectAll(clients: ChaosClient[], cluster: Cluster, o: ChaosOptions): Promise<void> {
  const live = cluster.live();
  // Spread across the nodes; sign-in is scrypt-bound, so a few at a time.
  await eachLimit(clients, 6, async (c, i) => {
    const node = live[i % live.length];
    if (!node) throw new Error("no live node");
    for (let tries = 0; ; tries++) {
      try {
        await c.signIn(node.url);
        return;
      } catch (err) {
        if (tries >= 4) throw err;
        await sleep(500 * (tries + 1));
      }
    }
  });
  await eachLimit(clients, 20, (c, i) => c.start(live[i % live.length]?.url ?? null));
  const down = clients.filter((c) => !c.connected).length;
  if (down > 0) o.log(`chaos: ${down} clients not connected after start`);
}

/** The first facilitator of each cohort opens its live session over the socket, retrying with one id. */
async function openSessions(
  cohorts: SeededCohort[],
  clients: ChaosClient[],
  rec: Recorder,
  signal: AbortSignal,
): Promise<string[]> {
  return Promise.all(
    cohorts.map(async (cohort, i) => {
      const opener = clients.find((c) => c.person.key === cohort.facilitators[0]?.key);
      if (!opener) throw new Error(`cohort ${i} has no facilitator`);
      const payload = { id: randomUUID(), cohortId: cohort.cohortId, title: "Chaos dosing day" };
      const sent = await sendUntilAcked(opener, "session:open", payload, Date.now() + 30_000, signal);
      if (sent.kind !== "acked")
        throw new Error(`session:open for cohort ${i}: ${sent.kind === "refused" ? sent.code : "no ack in 30 s"}`);
      rec.opens.push({
        id: payload.id,
        sessionId: sent.data.sessionId,
        cohortId: cohort.cohortId,
        userId: opener.person.userId,
        seq: sent.data.seq,
      });
      return sent.data.sessionId;
    }),
  );
}

async function waitFor(test: () => boolean, until: number, signal: AbortSignal): Promise<boolean> {
  for (let i = 0; i < 100_000 && Date.now() < until && !signal.aborted; i++) {
    if (test()) return true;
    await sleep(200, signal);
  }
  return test();
}

function progress(t0: number, cluster: Cluster, rec: Recorder, stats: ClientStats): string {
  return `chaos: t=${secs(Date.now() - t0)}s nodes=${cluster.live().length}/${cluster.size} acked=${rec.checkins.length} in_flight=${rec.inFlight} alert_acks=${rec.alertAcks.length} reconnects=${stats.reconnects} attempts: ${stats.attempts.toString()}`;
}

function report(
  v: Verdict,
  faults: FaultRecord[],
  rs: Recovery[],
  rec: Recorder,
  stats: ClientStats,
  cluster: Cluster,
  clients: ChaosClient[],
  started: number,
): ChaosReport {
  const kills = faults.filter((f) => f.kind === "node-kill").length;
  const maxRecoverMs = Math.max(0, ...rs.map((r) => r.maxMs));
  const latencies = rec.checkins.map((c) => c.ackAt - c.issuedAt);
  const failures: string[] = [];
  const fail = (n: number, what: string): void => {
    if (n > 0) failures.push(`${n} ${what}`);
  };
  fail(v.lost, "acknowledged commands missing from their stream");
  fail(v.dup, "acknowledged commands more than once in their stream");
  fail(v.partial, "acknowledged commands not whole (or a need_support without its alert)");
  fail(v.lateEscalations, `escalations more than 3 s late (${v.missingEscalations} of them never landed)`);
  fail(v.earlyEscalations, "escalations more than 1 s early");
  fail(v.dupEscalations, "escalation tiers landed twice");
  fail(v.unanswered, "alerts neither acknowledged nor escalated");
  fail(v.seqMismatch, "acks naming another seq than their event's");
  fail(v.streamGaps, "gaps or epoch changes inside a stream");
  fail(v.dupEventIds, "event ids twice in one stream");
  fail(v.viewMismatch, "client views that differ from the stream");
  fail(faults.filter((f) => f.error !== null).length, "faults that could not be carried out (see above)");
  const gaveUp = rec.unacked
    .entries()
    .filter(([k]) => k.endsWith("gave_up"))
    .reduce((n, [, c]) => n + c, 0);
  fail(gaveUp, "commands never acknowledged although retried to the end of the run");
  if (v.acked === 0) failures.push("nothing was acknowledged");

  const anomalies = new Tally();
  let syncs = 0;
  for (const c of clients) {
    syncs += c.follower?.syncs ?? 0;
    for (const [k, n] of c.follower?.anomalies.entries() ?? []) anomalies.add(k, n);
  }
  const summary = [
    `chaos: ran ${secs(Date.now() - started)} s; ${clients.length} clients; ${rec.checkins.length} check-ins, ${rec.alertAcks.length} alert acks, ${rec.opens.length} session opens acknowledged`,
    `chaos: ack latency p50=${secs(quantile(latencies, 0.5))}s p99=${secs(quantile(latencies, 0.99))}s max=${secs(Math.max(0, ...latencies))}s; attempts: ${stats.attempts.toString()}`,
    `chaos: not acknowledged in the end: ${rec.unacked.toString()}; reconnects=${stats.reconnects} connect errors: ${stats.connectErrors.toString()}`,
    `chaos: need_support acked=${v.needSupportAcked}: ${v.needSupportRaised} raised their alert, ${v.needSupportJoined} joined one already pending`,
    `chaos: alerts=${v.alerts} escalations=${v.escalations} (max ${secs(v.maxEscalationLateMs)} s after due, or after Redis answered again for the ${v.dueInStoreOutage} due during a Redis outage) escalated_after_ack=${v.escalatedAfterAck} unanswered=${v.unanswered}; server-made ($) event ids: ${v.serverIdEvents}`,
    `chaos: escalations more than 3 s after their due time counting Redis outages too (strict): ${v.lateFromDueStrict}`,
    `chaos: views checked=${v.viewsChecked} mismatched=${v.viewMismatch}; stream gaps=${v.streamGaps} dup event ids=${v.dupEventIds} seq mismatches=${v.seqMismatch}; clients' stream:syncs=${syncs} (why: ${anomalies.toString()})`,
    ...rs.map(
      (r) =>
        `chaos: ${r.kind}${r.nodeId ? ` ${r.nodeId}` : ""}: ${r.affected} participants affected, acked again within max ${secs(r.maxMs)} s (median ${secs(r.medianMs)} s)${r.neverAcked ? `, ${r.neverAcked} with no ack after it` : ""}`,
    ),
    `chaos: server log warnings/errors: ${cluster.logLines.toString()}`,
    ...v.details.map((d) => `chaos: ${d}`),
    failures.length ? `chaos: FAILED: ${failures.join("; ")}` : "chaos: every check held",
  ];
  const line = `chaos: kills=${kills} acked=${v.acked} lost=${v.lost} dup=${v.dup} partial=${v.partial} late_escalations=${v.lateEscalations} max_recover_s=${secs(maxRecoverMs)}`;
  return {
    verdict: v,
    kills,
    faults,
    recoveries: rs,
    maxRecoverS: maxRecoverMs / 1000,
    stats,
    failures,
    summary,
    line,
  };
}

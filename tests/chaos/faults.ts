import type { Cluster } from "./cluster.js";
import type { ChaosRedis } from "./redis.js";
import { between, secs, sleep } from "./util.js";

export type FaultKind = "node-kill" | "redis-restart" | "redis-stall";

export interface FaultOptions {
  /** First node kill, seconds after the load starts. */
  firstKillSec: [number, number];
  /** Then another every… */
  killEverySec: [number, number];
  /** At most this many node kills (the schedule may fit fewer). */
  maxKills: number;
  /** When to crash Redis (kill -9) and start it again from its AOF; null: never. */
  redisRestartSec: number | null;
  /** When to stall Redis with DEBUG SLEEP; null: never. */
  redisStallSec: number | null;
  redisStallSeconds: number;
  /** How long a killed node stays down before its restart. */
  nodeDownSec: [number, number];
}

export interface PlannedFault {
  atSec: number;
  kind: FaultKind;
}

export interface FaultRecord {
  kind: FaultKind;
  /** When the fault hit (ms since epoch). */
  at: number;
  /** When it was over (node restarted, Redis answering again). */
  doneAt: number;
  /** The killed node's id. */
  nodeId: string | null;
  /** Keys of the clients it cut off (on the killed node; everyone for a Redis fault). */
  affected: string[];
  error: string | null;
}

/** No node kill in the last seconds of the load: it would only test the drain. */
const QUIET_TAIL_SEC = 6;

export function planFaults(loadSeconds: number, o: FaultOptions): PlannedFault[] {
  const plan: PlannedFault[] = [];
  let t = between(o.firstKillSec[0], o.firstKillSec[1]);
  for (let i = 0; i < o.maxKills && t < loadSeconds - QUIET_TAIL_SEC; i++) {
    plan.push({ atSec: t, kind: "node-kill" });
    t += between(o.killEverySec[0], o.killEverySec[1]);
  }
  if (o.redisRestartSec !== null && o.redisRestartSec < loadSeconds)
    plan.push({ atSec: o.redisRestartSec, kind: "redis-restart" });
  if (o.redisStallSec !== null && o.redisStallSec < loadSeconds)
    plan.push({ atSec: o.redisStallSec, kind: "redis-stall" });
  return plan.sort((a, b) => a.atSec - b.atSec);
}

export interface FaultContext {
  cluster: Cluster;
  redis: ChaosRedis;
  /** Load start (ms since epoch). */
  t0: number;
  /** No fault starts after this. */
  until: number;
  options: FaultOptions;
  /** Keys of the clients connected to a node now (or every client, for null). */
  clientsOn(nodeId: string | null): string[];
  log(line: string): void;
  signal: AbortSignal;
}

/** Gap between the end of one fault and the start of the next, so their effects can be told apart. */
const SPACING_MS = 3000;

/**
 * Run the faults one after another, each at its planned time or once the previous one is over.
 * Node kills go round the slots so every node dies at least once when there are enough kills.
 */
export async function runFaults(plan: readonly PlannedFault[], ctx: FaultContext): Promise<FaultRecord[]> {
  const done: FaultRecord[] = [];
  let nextFree = 0;
  let slot = 0;
  for (const f of plan) {
    const at = Math.max(ctx.t0 + f.atSec * 1000, nextFree);
    await sleep(at - Date.now(), ctx.signal);
    if (ctx.signal.aborted || Date.now() > ctx.until) break;
    const rec = await runOne(f.kind, slot % ctx.cluster.size, ctx);
    if (f.kind === "node-kill") slot++;
    done.push(rec);
    ctx.log(
      `fault ${rec.kind}${rec.nodeId ? ` ${rec.nodeId}` : ""} at t=${secs(rec.at - ctx.t0)}s, over after ${secs(rec.doneAt - rec.at)}s, ${rec.affected.length} clients affected${rec.error ? `, error: ${rec.error}` : ""}`,
    );
    nextFree = Date.now() + SPACING_MS;
  }
  return done;
}

async function runOne(kind: FaultKind, slot: number, ctx: FaultContext): Promise<FaultRecord> {
  switch (kind) {
    case "node-kill": {
      const node = ctx.cluster.live().find((n) => n.slot === slot);
      const nodeId = node?.id ?? null;
      const affected = ctx.clientsOn(nodeId);
      const at = Date.now();
      let error: string | null = null;
      try {
        if (node) await ctx.cluster.kill9(slot);
        await sleep(between(ctx.options.nodeDownSec[0], ctx.options.nodeDownSec[1]) * 1000, ctx.signal);
        error = await restartSlot(ctx.cluster, slot);
      } catch (err) {
        error = err instanceof Error ? err.message.slice(0, 200) : String(err);
      }
      return { kind, at, doneAt: Date.now(), nodeId, affected, error };
    }
    case "redis-restart": {
      const affected = ctx.clientsOn(null);
      const at = Date.now();
      let error: string | null = null;
      try {
        await ctx.redis.crash();
        await sleep(1000, ctx.signal);
        await ctx.redis.start();
      } catch (err) {
        error = err instanceof Error ? err.message.slice(0, 200) : String(err);
      }
      return { kind, at, doneAt: Date.now(), nodeId: null, affected, error };
    }
    case "redis-stall": {
      const affected = ctx.clientsOn(null);
      const at = Date.now();
      let error: string | null = null;
      await ctx.redis.stall(ctx.options.redisStallSeconds).catch((err: unknown) => {
        error = err instanceof Error ? err.message.slice(0, 200) : String(err);
      });
      return { kind, at, doneAt: Date.now(), nodeId: null, affected, error };
    }
  }
}

/** Start a killed slot again; a start that fails (e.g. Redis was busy) is tried twice more. */
async function restartSlot(cluster: Cluster, slot: number): Promise<string | null> {
  let last: string | null = null;
  for (let i = 0; i < 3; i++) {
    try {
      await cluster.startSlot(slot);
      return null;
    } catch (err) {
      last = err instanceof Error ? err.message.slice(0, 200) : String(err);
      await sleep(1000);
    }
  }
  return last;
}

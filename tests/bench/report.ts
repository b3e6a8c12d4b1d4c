import { z } from "zod";
import {
  round,
  type BurstResult,
  type ConnectResult,
  type Dist,
  type FinishResult,
  type JoinsResult,
  type StepResult,
} from "./protocol.js";
import type { RedisDelta } from "./processes.js";

export type TargetName = "relay" | "embedded" | "redis" | "two_node";
export const TARGETS: readonly TargetName[] = ["relay", "embedded", "redis", "two_node"];
export const TARGET_LABEL: Record<TargetName, string> = {
  relay: "plain Socket.IO relay",
  embedded: "Holdspace, embedded store",
  redis: "Holdspace, Redis, one node",
  two_node: "Holdspace, Redis, two nodes",
};
/** The p99 a stepped rate must stay under to count toward `max` (issue 9). */
export const P99_LIMIT_MS: Record<TargetName, number> = { relay: 50, embedded: 50, redis: 50, two_node: 100 };

export interface ServerUse {
  label: string;
  cpuMs: number;
  cpuPct: number;
  rssKb: number;
}

export interface StepRow extends StepResult {
  servers: ServerUse[];
  serverCpuPct: number;
  /** Server CPU (all nodes) per check-in delivered to a facilitator. */
  cpuUsPerDelivery: number | null;
  redis: (RedisDelta & { commandsPerCheckin: number | null; usPerDelivery: number | null }) | null;
  /** The whole machine's busy CPU during the step, and what of it was neither the servers, Redis nor the generator (others' work). */
  machineCpuPct: number;
  otherCpuPct: number;
  /** How long the servers took to go quiet after the step (a backlog of timed-out commands), ms. */
  settleMs: number;
  /** Lost/dup counted again at the end of the target's run, with deliveries that came after the step's drain. */
  final?: { lost: number; dup: number; unackedDelivered: number };
}

export interface TargetResult {
  target: TargetName;
  label: string;
  nodes: number;
  error?: string;
  timings: Record<string, number>;
  connect?: { warm: z.infer<typeof ConnectResult>; main: z.infer<typeof ConnectResult> };
  /** After a full GC in each server (tests/bench/probe.ts): RSS, and V8 heap + external memory. */
  memory?: {
    sockets: number;
    rssBeforeKb: number[];
    rssAfterKb: number[];
    perSocketKb: number;
    heapPerSocketKb: number;
  };
  warmup?: StepRow;
  steps: StepRow[];
  /** Rates not run because an earlier step had already collapsed (p99 over 1 s). */
  skipped: number[];
  maxRate?: number;
  burst?: BurstResult;
  idle?: {
    sessions: number;
    opened: number;
    seconds: number;
    cpuPct: number;
    perProcess: ServerUse[];
    redis: (RedisDelta & { perSessionPerSec: number }) | null;
  };
  fill?: { events: number; acked: number; wallMs: number; errors: Record<string, number> };
  join?: { events: number; rounds: JoinsResult[]; joinMs: Dist; coldMs: number[]; warmMs: Dist; catchupMs: Dist };
  totals?: FinishResult;
  /** Wall-clock ms (Date.now) of the profiled step and of the server's exit, to cut the profile to the step. */
  profileWindow?: { stepStart: number; stepEnd: number; exited: number };
}

/** The highest stepped rate whose p99 stayed under the target's limit with the rate actually offered. */
export function maxRate(target: TargetName, steps: readonly StepRow[]): number {
  let best = 0;
  for (const s of steps) {
    const p99 = s.latency.p99;
    if (p99 !== null && p99 <= P99_LIMIT_MS[target] && s.sendRate >= 0.9 * s.rate && s.failed === 0 && s.rate > best)
      best = s.rate;
  }
  return best;
}

function stepAt(t: TargetResult | undefined, rate: number): StepRow | undefined {
  return t?.steps.find((s) => s.rate === rate);
}

const fmt = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || Number.isNaN(v) ? "—" : Number.isFinite(v) ? String(round(v, digits)) : "inf";
const ratio = (a: number | null | undefined, b: number | null | undefined): string =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? "—" : `${round(a / b, 2)}×`;
/** A p99 in ms; `inf` when over 1 % of the expected deliveries never came (lost, or the check-in failed). */
const p99Text = (s: StepRow | undefined, unit = ""): string =>
  !s ? "—" : s.latency.p99 === null ? (s.latency.n === 0 ? "—" : "inf") : `${fmt(s.latency.p99)}${unit}`;
const codes = (rec: Record<string, number>): string =>
  Object.entries(rec)
    .map(([k, v]) => `${k}:${v}`)
    .join(" ") || "0";

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ") + " |";
  return [line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

export function stepTable(results: readonly TargetResult[]): string {
  const head = [
    "target",
    "rate/s",
    "sent/s",
    "deliv/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "ack p50",
    "ack p99",
    "errors",
    "failed",
    "lost",
    "dup",
    "srv CPU %",
    "µs/deliv",
    "RSS MB",
    "Redis CPU %",
    "cmds/check-in",
    "gen CPU %",
    "gen lag p99",
    "others' CPU %",
    "settle s",
  ];
  const rows: string[][] = [];
  for (const t of results) {
    for (const s of t.steps) {
      rows.push([
        t.target,
        String(s.rate),
        fmt(s.sendRate, 0),
        fmt(s.deliveriesPerSec, 0),
        fmt(s.latency.p50),
        p99Text(s),
        fmt(s.latency.max),
        fmt(s.ack.p50),
        fmt(s.ack.p99),
        codes(s.errors),
        String(s.failed),
        String(s.final?.lost ?? s.lost),
        s.final && s.final.dup !== s.dup ? `${s.final.dup} (${s.dup} in the drain)` : String(s.dup),
        fmt(s.serverCpuPct, 0),
        fmt(s.cpuUsPerDelivery, 0),
        s.servers.map((x) => fmt(x.rssKb / 1024, 0)).join("+"),
        fmt(s.redis?.cpuPct, 0),
        fmt(s.redis?.commandsPerCheckin),
        fmt(s.genCpuPct, 0),
        fmt(s.genLoopDelayP99Ms),
        fmt(s.otherCpuPct, 0),
        fmt(s.settleMs / 1000, 0),
      ]);
    }
    for (const r of t.skipped)
      rows.push([t.target, String(r), "skipped: an earlier step collapsed (p99 > 1 s)", ...Array<string>(19).fill("")]);
    if (t.error) rows.push([t.target, "failed", t.error.slice(0, 120), ...Array<string>(19).fill("")]);
  }
  return table(head, rows);
}

export function summaryTable(results: readonly TargetResult[], refRate: number): string {
  const relay = results.find((r) => r.target === "relay");
  const relayRef = stepAt(relay, refRate);
  const head = [
    "",
    "max rate, p99 ≤ limit",
    "× relay",
    `p99 @${refRate}/s`,
    "× relay",
    "p99 @1000/s",
    `server CPU/delivery @${refRate}/s`,
    "× relay",
    `Redis cmds/check-in @${refRate}/s`,
    "memory/socket (RSS after GC)",
    "× relay",
    "idle CPU",
    "idle Redis cmds/session/s",
    "burst CONFLICT",
    "burst all seen",
    "join 10k p99 (cold)",
    "lost",
    "dup",
  ];
  const rows = results.map((t) => {
    const ref = stepAt(t, refRate);
    const top = t.steps.at(-1);
    const maxText =
      t.maxRate === undefined
        ? "—"
        : `${t.maxRate === top?.rate && t.skipped.length === 0 ? "≥ " : ""}${t.maxRate}/s (≤ ${P99_LIMIT_MS[t.target]} ms)`;
    const burstSeen = t.burst
      ? Math.max(...t.burst.rounds.map((r) => (r.allSeenMs === null ? Infinity : r.allSeenMs)))
      : null;
    return [
      TARGET_LABEL[t.target] + (t.error ? " (stopped early, see the error)" : ""),
      maxText,
      t.target === "relay" ? "1×" : ratio(t.maxRate, relay?.maxRate),
      p99Text(ref, " ms"),
      t.target === "relay" ? "1×" : ratio(ref?.latency.p99, relayRef?.latency.p99),
      (() => {
        const s = stepAt(t, 1000);
        return p99Text(s, " ms");
      })(),
      ref?.cpuUsPerDelivery != null
        ? `${fmt(ref.cpuUsPerDelivery, 0)} µs${ref.redis?.usPerDelivery != null ? ` + Redis ${fmt(ref.redis.usPerDelivery, 0)} µs` : ""}`
        : "—",
      t.target === "relay" ? "1×" : ratio(ref?.cpuUsPerDelivery, relayRef?.cpuUsPerDelivery),
      fmt(ref?.redis?.commandsPerCheckin),
      t.memory ? `${fmt(t.memory.perSocketKb)} KB (heap ${fmt(t.memory.heapPerSocketKb)})` : "—",
      t.target === "relay" ? "1×" : ratio(t.memory?.perSocketKb, relay?.memory?.perSocketKb),
      t.idle ? `${fmt(t.idle.cpuPct)} % (${t.idle.sessions} sessions)` : "—",
      fmt(t.idle?.redis?.perSessionPerSec, 2),
      t.burst ? String(t.burst.rounds.reduce((a, r) => a + r.conflicts, 0)) : "—",
      burstSeen === null ? "—" : Number.isFinite(burstSeen) ? `${fmt(burstSeen, 0)} ms` : "not all",
      t.join ? `${fmt(t.join.joinMs.p99)} ms (${t.join.coldMs.map((c) => fmt(c, 0)).join(", ")})` : "—",
      t.totals ? String(t.totals.lost) : "—",
      t.totals ? String(t.totals.dup) : "—",
    ];
  });
  return table(head, rows);
}

/**
 * The issue's one-line summary. Numbers, `na` for what was not run (or not reached before a
 * target failed: what it measured before still counts), `inf` for a p99 past lost deliveries.
 */
export function lastLine(results: readonly TargetResult[]): string {
  const by = (t: TargetName) => results.find((r) => r.target === t);
  const holdspace = results.filter((r) => r.target !== "relay");
  const num = (v: number | null | undefined, digits = 1) =>
    v === null || v === undefined || Number.isNaN(v) ? "na" : Number.isFinite(v) ? String(round(v, digits)) : "inf";
  const maxOf = (vals: (number | null | undefined)[]) => {
    const xs = vals.filter((v): v is number => typeof v === "number");
    return xs.length === 0 ? null : Math.max(...xs);
  };
  const at1000 = stepAt(by("redis") ?? holdspace[0], 1000);
  const p99At1000 = at1000 ? (at1000.latency.p99 === null ? Infinity : at1000.latency.p99) : null;
  const conflicts = holdspace.some((t) => t.burst)
    ? holdspace.reduce((a, t) => a + (t.burst?.rounds.reduce((b, r) => b + r.conflicts, 0) ?? 0), 0)
    : null;
  const lost = results.reduce((a, t) => a + (t.totals?.lost ?? 0), 0);
  const dup = results.reduce((a, t) => a + (t.totals?.dup ?? 0), 0);
  const idle = maxOf(holdspace.map((t) => t.idle?.cpuPct));
  return [
    "bench:",
    `relay_max=${num(by("relay")?.maxRate, 0)}`,
    `embedded_max=${num(by("embedded")?.maxRate, 0)}`,
    `redis_max=${num(by("redis")?.maxRate, 0)}`,
    `two_node_max=${num(by("two_node")?.maxRate, 0)}`,
    `p99_ms@1000=${num(p99At1000)}`,
    `burst_conflicts=${num(conflicts, 0)}`,
    `join10k_p99_ms=${num(maxOf(holdspace.map((t) => t.join?.joinMs.p99)))}`,
    `mem_per_socket_kb=${num(maxOf(holdspace.map((t) => t.memory?.perSocketKb)))}`,
    `idle_cpu=${idle === null ? "na" : `${num(idle, 2)}%`}`,
    `lost=${lost}`,
    `dup=${dup}`,
  ].join(" ");
}

/** Matches a well-formed last line; the smoke test uses it. */
export const LAST_LINE =
  /^bench: relay_max=(\d+|na) embedded_max=(\d+|na) redis_max=(\d+|na) two_node_max=(\d+|na) p99_ms@1000=([\d.]+|na|inf) burst_conflicts=(\d+|na) join10k_p99_ms=([\d.]+|na) mem_per_socket_kb=(-?[\d.]+|na) idle_cpu=([\d.]+%|na) lost=(\d+) dup=(\d+)$/;

const CpuProfile = z.object({
  startTime: z.number(),
  endTime: z.number(),
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileEntry {
  name: string;
  selfMs: number;
  pct: number;
}

/**
 * Self time per function (and per package/file) from a V8 .cpuprofile; idle time left out of the
 * percentages. `window` keeps only the samples between these many ms before the profile's end
 * (the process's exit), so start-up and sign-in do not count.
 */
export function summarizeProfile(
  json: unknown,
  top = 15,
  window?: { fromBeforeEndMs: number; toBeforeEndMs: number },
): { totalMs: number; busyMs: number; functions: ProfileEntry[]; modules: ProfileEntry[] } {
  const p = CpuProfile.parse(json);
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<number, number>();
  const from = window ? p.endTime - window.fromBeforeEndMs * 1000 : -Infinity;
  const to = window ? p.endTime - window.toBeforeEndMs * 1000 : Infinity;
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    const d = p.timeDeltas[i] ?? 0;
    t += d;
    if (t >= from && t <= to) selfUs.set(id, (selfUs.get(id) ?? 0) + d);
  });
  const byFn = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const f = frames.get(id);
    if (!f) continue;
    total += us;
    if (f.functionName === "(idle)" || f.functionName === "(program)") {
      idle += us;
      continue;
    }
    const file = shortUrl(f.url);
    const name = `${f.functionName || "(anonymous)"} ${file}${f.url ? `:${f.lineNumber + 1}` : ""}`;
    byFn.set(name, (byFn.get(name) ?? 0) + us);
    const mod = moduleOf(f.url, f.functionName);
    byModule.set(mod, (byModule.get(mod) ?? 0) + us);
  }
  const busy = Math.max(1, total - idle);
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: round(us / 1000, 1), pct: round((us / busy) * 100, 1) }));
  return {
    totalMs: round(total / 1000, 0),
    busyMs: round(busy / 1000, 0),
    functions: list(byFn),
    modules: list(byModule),
  };
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  const at = url.search(/\/(server|shared)\//);
  if (at >= 0) return url.slice(at + 1);
  return url.replace(/^file:\/\//, "");
}

function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1] ?? ""}` : (rest[0] ?? url);
  }
  if (url.startsWith("node:")) return url;
  const at = url.search(/\/(server|shared)\//);
  return at >= 0 ? url.slice(at + 1) : url;
}

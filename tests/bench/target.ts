import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { startRedisServer } from "../support/redis-server.js";
import type { Config } from "./config.js";
import { Generator } from "./generator-client.js";
import {
  Cleanup,
  machinePct,
  redisDelta,
  redisProbe,
  sampleMachine,
  sampleProc,
  serverEnv,
  startNodeScript,
  type MemorySample,
  type Proc,
  type ProcSample,
  type RedisProbe,
  type RedisSample,
} from "./processes.js";
import {
  BurstResult,
  ConnectResult,
  FillResult,
  FinishResult,
  JoinsResult,
  OpenResult,
  SetupResult,
  StepResult,
  dist,
  round,
} from "./protocol.js";
import { TARGET_LABEL, maxRate, type ServerUse, type StepRow, type TargetName, type TargetResult } from "./report.js";
import { BENCH_PASSWORD, plan, seedEmbedded, seedRedis } from "./seed.js";
import { message, say, sleep } from "./util.js";

/**
 * One target of the bench (the relay, Holdspace embedded, on Redis, two nodes): its store and
 * server processes, then every measurement against them in turn, into one TargetResult.
 */

async function sampleAll(procs: readonly Proc[]): Promise<ProcSample[]> {
  return Promise.all(procs.map((p) => sampleProc(p.pid)));
}

function usage(procs: readonly Proc[], a: readonly ProcSample[], b: readonly ProcSample[]): ServerUse[] {
  return procs.map((p, i) => {
    const x = a[i];
    const y = b[i];
    if (!x || !y) return { label: p.label, cpuMs: 0, cpuPct: 0, rssKb: 0 };
    const cpuMs = y.cpuMs - x.cpuMs;
    return {
      label: p.label,
      cpuMs: round(cpuMs, 0),
      cpuPct: round((cpuMs / Math.max(1, y.at - x.at)) * 100, 1),
      rssKb: y.rssKb,
    };
  });
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Wait (at most `maxMs`) until the servers are quiet: `windows` 1-second windows in a row under
 * 20 % CPU per process. After an overloaded step a server keeps working through commands whose phones
 * already gave up; the next measurement should not inherit that backlog.
 */
async function settle(procs: readonly Proc[], windows: number, maxMs = 30_000): Promise<number> {
  const t0 = performance.now();
  let quiet = 0;
  for (let i = 0; i < maxMs / 1000 && quiet < windows; i++) {
    const a = await sampleAll(procs);
    await sleep(1000);
    const b = await sampleAll(procs);
    const busiest = Math.max(...usage(procs, a, b).map((u) => u.cpuPct));
    quiet = busiest < 20 ? quiet + 1 : 0;
  }
  return round(performance.now() - t0, 0);
}

export interface TargetOptions {
  /** Only warm-up and one step at this rate, the server(s) under `--cpu-prof` writing to `dir`. */
  profile?: { rate: number; dir: string };
}

export async function runTarget(
  target: TargetName,
  cfg: Config,
  all: Cleanup,
  opts: TargetOptions = {},
): Promise<TargetResult> {
  const cleanup = new Cleanup();
  const unregister = all.add(() => cleanup.runAll());
  const nodeIds = target === "two_node" ? ["A", "B"] : ["A"];
  const result: TargetResult = {
    target,
    label: TARGET_LABEL[target],
    nodes: nodeIds.length,
    timings: {},
    steps: [],
    skipped: [],
  };
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      result.timings[name] = round(performance.now() - t0, 0);
    }
  };
  let procs: Proc[] = [];
  try {
    const tag = randomUUID().replace(/-/g, "").slice(0, 8);
    const p = plan(tag, cfg.rooms, cfg.burstSize);
    const nodeArgs = opts.profile ? ["--cpu-prof", "--cpu-prof-dir", opts.profile.dir] : [];
    let probe: RedisProbe | null = null;
    const probeDir = await mkdtemp(join(tmpdir(), "holdspace-bench-probe-"));
    cleanup.add(() => rm(probeDir, { recursive: true, force: true }));
    let startOnce: () => Promise<Proc[]>;
    say(`${target}: seeding ${p.rooms.length} rooms, ${p.people.length} people`);
    if (target === "relay") {
      startOnce = async () => [
        await startNodeScript({
          label: "relay",
          script: "tests/bench/relay.ts",
          env: serverEnv({ dataDir: "/nonexistent" }, "relay"),
          cleanup,
          probeDir,
        }),
      ];
    } else if (target === "embedded") {
      const dataDir = await mkdtemp(join(tmpdir(), "holdspace-bench-"));
      cleanup.add(() => rm(dataDir, { recursive: true, force: true }));
      await timed("seedMs", () => seedEmbedded(dataDir, p.specs));
      startOnce = async () => [
        await startNodeScript({
          label: "embedded",
          script: "server/main.ts",
          env: serverEnv({ dataDir }, "bench-embedded"),
          nodeArgs,
          cleanup,
          probeDir,
        }),
      ];
    } else {
      const redis = await startRedisServer();
      cleanup.add(() => redis.stop());
      const prefix = `bench:${tag}:`;
      await timed("seedMs", () => seedRedis(redis.url, prefix, p.specs));
      const pr = await redisProbe(redis.url);
      probe = pr;
      cleanup.add(() => pr.close());
      startOnce = async () => {
        const started = await Promise.allSettled(
          nodeIds.map((id) =>
            startNodeScript({
              label: `node ${id}`,
              script: "server/main.ts",
              env: serverEnv({ redisUrl: redis.url, prefix }, `bench-${id}`),
              nodeArgs,
              cleanup,
              probeDir,
            }),
          ),
        );
        const up = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
        const failed = started.find((r) => r.status === "rejected");
        if (!failed) return up;
        await Promise.all(up.map((x) => x.stop()));
        throw failed.reason;
      };
    }
    // A process that dies while starting (seen once under a shared machine's load: killed by a
    // signal before its first line) gets one more try; the retry is counted in `timings`.
    const start = async (): Promise<Proc[]> => {
      try {
        return await startOnce();
      } catch (err) {
        result.timings.startRetries = (result.timings.startRetries ?? 0) + 1;
        say(`${target}: ${message(err)}; starting again`);
        return startOnce();
      }
    };
    procs = await timed("startMs", start);
    const gen = await Generator.start(cleanup);
    const mode = target === "relay" ? "relay" : "holdspace";
    const setup = await timed("signInMs", () =>
      gen.ask(
        {
          type: "setup",
          mode,
          urls: procs.map((x) => x.url),
          password: BENCH_PASSWORD,
          rooms: p.rooms,
          people: p.people,
        },
        SetupResult,
        300_000,
      ),
    );
    say(`${target}: ${setup.signedIn} signed in (p50 ${setup.signInMs.p50 ?? "—"} ms)`);
    if (target !== "relay") {
      // Sign-in leaves scrypt's buffers and its garbage behind; fresh processes (the sessions are in
      // the store) make the memory per socket a measure of sockets.
      await Promise.all(procs.map((x) => x.stop()));
      procs = await timed("restartMs", start);
    }
    const urls = procs.map((x) => x.url);
    const warm = await timed("connectWarmMs", () =>
      gen.ask({ type: "connect", groups: ["burst"], urls }, ConnectResult, 300_000),
    );
    await settle(procs, cfg.settleWindows, 10_000);
    const mem0 = await Promise.all(procs.map((x) => x.memory()));
    const main = await timed("connectMainMs", () =>
      gen.ask({ type: "connect", groups: ["main"], urls }, ConnectResult, 300_000),
    );
    await settle(procs, cfg.settleWindows, 10_000);
    const mem1 = await Promise.all(procs.map((x) => x.memory()));
    result.connect = { warm, main };
    const kb = (ms: readonly MemorySample[], f: (m: MemorySample) => number) => ms.map((m) => round(f(m) / 1024, 0));
    const perSocket = (f: (m: MemorySample) => number) =>
      round((sum(mem1.map(f)) - sum(mem0.map(f))) / 1024 / Math.max(1, main.sockets), 1);
    result.memory = {
      sockets: main.sockets,
      rssBeforeKb: kb(mem0, (m) => m.rss),
      rssAfterKb: kb(mem1, (m) => m.rss),
      perSocketKb: perSocket((m) => m.rss),
      heapPerSocketKb: perSocket((m) => m.heapUsed + m.external),
    };
    say(
      `${target}: ${warm.sockets + main.sockets} sockets joined (join errors ${JSON.stringify({ ...warm.joinErrors, ...main.joinErrors })}, failed ${warm.joinFailed + main.joinFailed}); ${result.memory.perSocketKb} KB RSS, ${result.memory.heapPerSocketKb} KB heap per socket`,
    );

    const measured = async (label: string, rate: number, ms: number): Promise<StepRow> => {
      const ma = await sampleMachine();
      const a = await sampleAll(procs);
      const ra: RedisSample | null = probe ? await probe.sample() : null;
      const s = await gen.ask({ type: "step", label, rate, durationMs: ms }, StepResult, ms + 90_000);
      const b = await sampleAll(procs);
      const rb: RedisSample | null = probe ? await probe.sample() : null;
      const mb = await sampleMachine();
      const settleMs = await settle(procs, cfg.settleWindows);
      const servers = usage(procs, a, b);
      const cpuMs = sum(servers.map((x) => x.cpuMs));
      const rd = ra && rb ? redisDelta(ra, rb) : null;
      const serverCpuPct = round(sum(servers.map((x) => x.cpuPct)), 1);
      const machineCpuPct = round(machinePct(ma, mb, cpus().length), 1);
      return {
        ...s,
        servers,
        serverCpuPct,
        machineCpuPct,
        otherCpuPct: round(Math.max(0, machineCpuPct - serverCpuPct - (rd?.cpuPct ?? 0) - s.genCpuPct), 1),
        settleMs,
        cpuUsPerDelivery: s.deliveries > 0 ? round((cpuMs * 1000) / s.deliveries, 1) : null,
        redis:
          rd && ra && rb
            ? {
                ...rd,
                commandsPerCheckin: s.sent > 0 ? round(rd.commands / s.sent, 2) : null,
                usPerDelivery: s.deliveries > 0 ? round(((rb.cpuMs - ra.cpuMs) * 1000) / s.deliveries, 1) : null,
              }
            : null,
      };
    };
    const show = (r: StepRow) =>
      say(
        `${target}: ${r.label} ${r.rate}/s → sent ${r.sendRate}/s, p50 ${r.latency.p50 ?? "—"} p99 ${r.latency.p99 ?? "lost"} max ${r.latency.max ?? "—"} ms, ack p99 ${r.ack.p99 ?? "—"} ms, errors ${JSON.stringify(r.errors)}, failed ${r.failed}, lost ${r.lost}, dup ${r.dup}, server CPU ${r.serverCpuPct} %${r.redis ? `, Redis ${round(r.redis.cpuPct, 0)} % ${r.redis.commandsPerCheckin ?? "—"} cmds/check-in` : ""}, generator ${r.genCpuPct} %, others on the machine ${r.otherCpuPct} %${r.settleMs > 2500 ? `, servers busy ${round(r.settleMs / 1000, 0)} s after` : ""}`,
      );

    result.warmup = await measured("warmup", cfg.warmup.rate, cfg.warmup.ms);
    show(result.warmup);
    const rates = opts.profile ? [opts.profile.rate] : cfg.steps;
    const stepStart = Date.now();
    let collapsed = false;
    for (const rate of rates) {
      if (collapsed) {
        result.skipped.push(rate);
        continue;
      }
      const row = await measured(`s${rate}`, rate, cfg.stepMs);
      show(row);
      result.steps.push(row);
      if (row.latency.p99 === null || row.latency.p99 > 1000) collapsed = true;
    }
    result.maxRate = maxRate(target, result.steps);
    if (opts.profile) {
      const stepEnd = Date.now();
      await gen.ask({ type: "close" }, z.unknown(), 30_000);
      // SIGTERM: the server shuts down and exits normally, which is when --cpu-prof writes its file.
      await Promise.all(procs.map((x) => x.stop(60_000)));
      result.profileWindow = { stepStart, stepEnd, exited: Date.now() };
      return result;
    }

    result.timings.settleBeforeBurstMs = await settle(procs, cfg.settleWindows);
    result.burst = await gen.ask({ type: "burst", rounds: cfg.burstRounds }, BurstResult, 120_000);
    say(
      `${target}: burst of ${result.burst.size}: ${result.burst.rounds.map((r) => `${r.conflicts} CONFLICT, all seen in ${r.allSeenMs ?? "—"} ms`).join("; ")}`,
    );

    const extra = Math.max(0, cfg.idleSessions - p.rooms.length);
    const opened = await gen.ask({ type: "open", count: extra }, OpenResult, 300_000);
    await sleep(cfg.idleSettleMs);
    result.timings.settleBeforeIdleMs = await settle(procs, cfg.settleWindows);
    const ia = await sampleAll(procs);
    const ira = probe ? await probe.sample() : null;
    await sleep(cfg.idleMs);
    const ib = await sampleAll(procs);
    const irb = probe ? await probe.sample() : null;
    const perProcess = usage(procs, ia, ib);
    const sessions = p.rooms.length + opened.opened;
    const ird = ira && irb ? redisDelta(ira, irb) : null;
    result.idle = {
      sessions,
      opened: opened.opened,
      seconds: cfg.idleMs / 1000,
      cpuPct: round(sum(perProcess.map((x) => x.cpuPct)), 2),
      perProcess,
      redis: ird ? { ...ird, perSessionPerSec: round(ird.commands / sessions / (cfg.idleMs / 1000), 3) } : null,
    };
    say(
      `${target}: idle with ${sessions} sessions open: ${result.idle.cpuPct} % server CPU${ird ? `, ${result.idle.redis?.perSessionPerSec} Redis commands per session per second` : ""}${Object.keys(opened.errors).length ? `, open errors ${JSON.stringify(opened.errors)}` : ""}`,
    );

    if (target !== "relay") {
      const fill = await timed("fillMs", () => gen.ask({ type: "fill", events: cfg.bigEvents }, FillResult, 400_000));
      result.fill = { events: cfg.bigEvents, ...fill };
      say(
        `${target}: the burst room's session filled with ${fill.acked} check-ins in ${round(fill.wallMs / 1000, 1)} s`,
      );
    }
    result.totals = await gen.ask({ type: "finish" }, FinishResult, 60_000);
    for (const row of [result.warmup, ...result.steps]) row.final = result.totals.byPhase[row.label];
    await gen.ask({ type: "close" }, z.unknown(), 30_000);

    if (target !== "relay") {
      const rounds: z.infer<typeof JoinsResult>[] = [];
      for (let r = 0; r < cfg.coldRounds; r++) {
        // A fresh process has read nothing yet: its first join of the session is the cold one.
        await Promise.all(procs.map((x) => x.stop()));
        procs = await start();
        // Let start-up work (the first round of periodic checks, JIT) finish: cold means the session, not the process.
        result.timings[`settleBeforeJoins${r}Ms`] = await settle(procs, cfg.settleWindows, 15_000);
        rounds.push(
          await gen.ask(
            { type: "joins", urls: procs.map((x) => x.url), count: nodeIds.length * (1 + cfg.warmJoins) },
            JoinsResult,
            300_000,
          ),
        );
      }
      const allJoins = rounds.flatMap((r) => r.joinMs);
      const cold = rounds.flatMap((r) => r.joinMs.slice(0, nodeIds.length));
      const warmJ = rounds.flatMap((r) => r.joinMs.slice(nodeIds.length));
      result.join = {
        events: cfg.bigEvents,
        rounds,
        joinMs: dist(allJoins),
        coldMs: cold,
        warmMs: dist(warmJ),
        catchupMs: dist(rounds.flatMap((r) => r.catchupMs)),
      };
      say(
        `${target}: join of a ${cfg.bigEvents}-event session: cold ${cold.join(", ")} ms, warm p50 ${result.join.warmMs.p50 ?? "—"} ms, p99 over all ${result.join.joinMs.p99 ?? "—"} ms; full catch-up p99 ${result.join.catchupMs.p99 ?? "—"} ms${rounds.some((r) => Object.keys(r.errors).length > 0) ? `, errors ${JSON.stringify(rounds.map((r) => r.errors))}` : ""}`,
      );
    }
    say(
      `${target}: totals: ${result.totals.checkins} check-ins, ${result.totals.expectedDeliveries} expected deliveries, lost ${result.totals.lost}, dup ${result.totals.dup}`,
    );
  } catch (err) {
    result.error = message(err);
    const tails = procs.map((x) => `${x.label}: ${x.stderrTail().split("\n").slice(-5).join(" | ")}`).join("\n");
    say(`${target}: FAILED: ${result.error}${tails.trim() ? `\n${tails}` : ""}`);
  } finally {
    await cleanup.runAll();
    unregister();
  }
  return result;
}

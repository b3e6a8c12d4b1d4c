import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { startRedisServer } from "../support/redis-server.js";
import { Cleanup, machinePct, redisDelta, redisProbe, sampleMachine, sampleProc, serverEnv, startNodeScript, type MemorySample, type Proc, type ProcSample, type RedisProbe, type RedisSample } from "./processes.js";
import { BurstResult, ConnectResult, FillResult, FinishResult, JoinsResult, OpenResult, Reply, SetupResult, StepResult, dist, round, type Request } from "./protocol.js";
import { LAST_LINE, P99_LIMIT_MS, TARGETS, TARGET_LABEL, lastLine, maxRate, stepTable, summarizeProfile, summaryTable, type ServerUse, type StepRow, type TargetName, type TargetResult } from "./report.js";
import { BENCH_PASSWORD, plan, seedEmbedded, seedRedis } from "./seed.js";

/**
 * `npm run bench`: Holdspace against a plain Socket.IO relay in the same run (issue 9). Starts
 * its own redis-server (AOF, fsync always), real server processes and a load generator process,
 * all on 127.0.0.1 and bounded in time; prints a table and one summary line, and writes the
 * full results as JSON under bench-results/.
 *
 *   npm run bench -- [--quick] [--targets relay,embedded,redis,two_node] [--profile]
 *                    [--rooms N] [--steps 250,500,1000,2000] [--step-ms 10000] [--events 10000] [--out DIR]
 */

interface Config {
  quick: boolean;
  targets: TargetName[];
  profile: boolean;
  outDir: string;
  rooms: number;
  steps: number[];
  stepMs: number;
  warmup: { rate: number; ms: number };
  burstSize: number;
  burstRounds: number;
  /** Sessions open during the idle measurement (the rooms' own plus empty ones opened for it). */
  idleSessions: number;
  idleMs: number;
  /** Wait after opening the idle sessions before measuring. */
  idleSettleMs: number;
  /** Check-ins appended to the burst room's session before the join measurement. */
  bigEvents: number;
  /** Server restarts for cold joins of the big session; after each, 1 cold + `warmJoins` joins per node. */
  coldRounds: number;
  warmJoins: number;
  refRate: number;
  /** Quiet 1-second windows in a row that count as settled after a step. */
  settleWindows: number;
  deadlineMs: number;
}

const Targets = z.array(z.enum(["relay", "embedded", "redis", "two_node"])).min(1);
const PositiveList = z.array(z.coerce.number().int().positive()).min(1);

function parseArgs(argv: readonly string[]): Config {
  const flag = (name: string) => argv.includes(name);
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  const quick = flag("--quick");
  const steps = PositiveList.parse((value("--steps") ?? (quick ? "100,300" : "250,500,1000,2000")).split(","));
  const targets = Targets.parse((value("--targets") ?? TARGETS.join(",")).split(",").map((t) => (t === "two-node" || t === "two_nodes" ? "two_node" : t)));
  return {
    quick,
    targets: TARGETS.filter((t) => targets.includes(t)),
    profile: flag("--profile"),
    outDir: resolve(value("--out") ?? "bench-results"),
    rooms: z.coerce.number().int().min(1).max(500).parse(value("--rooms") ?? (quick ? 3 : 50)),
    steps: [...new Set(steps)].sort((a, b) => a - b),
    stepMs: z.coerce.number().int().min(500).max(120_000).parse(value("--step-ms") ?? (quick ? 2000 : 10_000)),
    warmup: quick ? { rate: 50, ms: 1000 } : { rate: 100, ms: 5000 },
    burstSize: 25,
    burstRounds: quick ? 1 : 3,
    idleSessions: quick ? 10 : 200,
    idleMs: quick ? 2000 : 10_000,
    idleSettleMs: quick ? 1000 : 3000,
    bigEvents: z.coerce.number().int().min(1).max(100_000).parse(value("--events") ?? (quick ? 300 : 10_000)),
    coldRounds: quick ? 1 : 2,
    warmJoins: quick ? 1 : 4,
    refRate: steps.includes(500) ? 500 : (steps[0] ?? 500),
    settleWindows: quick ? 1 : 2,
    deadlineMs: quick ? 240_000 : 45 * 60_000,
  };
}

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0]?.slice(0, 300) ?? "";

/** The load generator process and its request/reply channel. */
class Generator {
  private n = 0;
  private readonly waiters = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (raw: unknown) => {
      const r = Reply.safeParse(raw);
      if (!r.success) return;
      const w = this.waiters.get(r.data.n);
      this.waiters.delete(r.data.n);
      w?.resolve(r.data);
    });
    child.once("exit", (code) => {
      for (const w of this.waiters.values()) w.reject(new Error(`the load generator exited (${code})`));
      this.waiters.clear();
    });
  }

  static async start(cleanup: Cleanup): Promise<Generator> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, ["--import", "tsx", join(process.cwd(), "tests", "bench", "generator.ts")], { stdio: ["ignore", "inherit", "inherit", "ipc"], env });
    const g = new Generator(child);
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    };
    cleanup.add(stop);
    await g.wait(0, 30_000);
    return g;
  }

  private wait(n: number, ms: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(n);
        reject(new Error(`the load generator did not answer request ${n} within ${ms} ms`));
      }, ms);
      this.waiters.set(n, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  async ask<S extends z.ZodType>(request: Request, schema: S, ms: number): Promise<z.output<S>> {
    const n = ++this.n;
    const reply = this.wait(n, ms);
    this.child.send({ n, request });
    const r = await reply;
    if (!r.ok) throw new Error(`load generator, ${request.type}: ${r.error ?? "failed"}`);
    return schema.parse(r.result);
  }
}

async function sampleAll(procs: readonly Proc[]): Promise<ProcSample[]> {
  return Promise.all(procs.map((p) => sampleProc(p.pid)));
}

function usage(procs: readonly Proc[], a: readonly ProcSample[], b: readonly ProcSample[]): ServerUse[] {
  return procs.map((p, i) => {
    const x = a[i];
    const y = b[i];
    if (!x || !y) return { label: p.label, cpuMs: 0, cpuPct: 0, rssKb: 0 };
    const cpuMs = y.cpuMs - x.cpuMs;
    return { label: p.label, cpuMs: round(cpuMs, 0), cpuPct: round((cpuMs / Math.max(1, y.at - x.at)) * 100, 1), rssKb: y.rssKb };
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

interface TargetOptions {
  /** Only warm-up and one step at this rate, the server(s) under `--cpu-prof` writing to `dir`. */
  profile?: { rate: number; dir: string };
}

async function runTarget(target: TargetName, cfg: Config, all: Cleanup, opts: TargetOptions = {}): Promise<TargetResult> {
  const cleanup = new Cleanup();
  const unregister = all.add(() => cleanup.runAll());
  const nodeIds = target === "two_node" ? ["A", "B"] : ["A"];
  const result: TargetResult = { target, label: TARGET_LABEL[target], nodes: nodeIds.length, timings: {}, steps: [], skipped: [] };
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
      startOnce = async () => [await startNodeScript({ label: "relay", script: "tests/bench/relay.ts", env: serverEnv({ dataDir: "/nonexistent" }, "relay"), cleanup, probeDir })];
    } else if (target === "embedded") {
      const dataDir = await mkdtemp(join(tmpdir(), "holdspace-bench-"));
      cleanup.add(() => rm(dataDir, { recursive: true, force: true }));
      await timed("seedMs", () => seedEmbedded(dataDir, p.specs));
      startOnce = async () => [await startNodeScript({ label: "embedded", script: "server/main.ts", env: serverEnv({ dataDir }, "bench-embedded"), nodeArgs, cleanup, probeDir })];
    } else {
      const redis = await startRedisServer();
      cleanup.add(() => redis.stop());
      const prefix = `bench:${tag}:`;
      await timed("seedMs", () => seedRedis(redis.url, prefix, p.specs));
      const pr = await redisProbe(redis.url);
      probe = pr;
      cleanup.add(() => pr.close());
      startOnce = async () => {
        const started = await Promise.allSettled(nodeIds.map((id) => startNodeScript({ label: `node ${id}`, script: "server/main.ts", env: serverEnv({ redisUrl: redis.url, prefix }, `bench-${id}`), nodeArgs, cleanup, probeDir })));
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
    const setup = await timed("signInMs", () => gen.ask({ type: "setup", mode, urls: procs.map((x) => x.url), password: BENCH_PASSWORD, rooms: p.rooms, people: p.people }, SetupResult, 300_000));
    say(`${target}: ${setup.signedIn} signed in (p50 ${setup.signInMs.p50 ?? "—"} ms)`);
    if (target !== "relay") {
      // Sign-in leaves scrypt's buffers and its garbage behind; fresh processes (the sessions are in
      // the store) make the memory per socket a measure of sockets.
      await Promise.all(procs.map((x) => x.stop()));
      procs = await timed("restartMs", start);
    }
    const urls = procs.map((x) => x.url);
    const warm = await timed("connectWarmMs", () => gen.ask({ type: "connect", groups: ["burst"], urls }, ConnectResult, 300_000));
    await settle(procs, cfg.settleWindows, 10_000);
    const mem0 = await Promise.all(procs.map((x) => x.memory()));
    const main = await timed("connectMainMs", () => gen.ask({ type: "connect", groups: ["main"], urls }, ConnectResult, 300_000));
    await settle(procs, cfg.settleWindows, 10_000);
    const mem1 = await Promise.all(procs.map((x) => x.memory()));
    result.connect = { warm, main };
    const kb = (ms: readonly MemorySample[], f: (m: MemorySample) => number) => ms.map((m) => round(f(m) / 1024, 0));
    const perSocket = (f: (m: MemorySample) => number) => round((sum(mem1.map(f)) - sum(mem0.map(f))) / 1024 / Math.max(1, main.sockets), 1);
    result.memory = {
      sockets: main.sockets,
      rssBeforeKb: kb(mem0, (m) => m.rss),
      rssAfterKb: kb(mem1, (m) => m.rss),
      perSocketKb: perSocket((m) => m.rss),
      heapPerSocketKb: perSocket((m) => m.heapUsed + m.external),
    };
    say(`${target}: ${warm.sockets + main.sockets} sockets joined (join errors ${JSON.stringify({ ...warm.joinErrors, ...main.joinErrors })}, failed ${warm.joinFailed + main.joinFailed}); ${result.memory.perSocketKb} KB RSS, ${result.memory.heapPerSocketKb} KB heap per socket`);

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
        redis: rd && ra && rb ? { ...rd, commandsPerCheckin: s.sent > 0 ? round(rd.commands / s.sent, 2) : null, usPerDelivery: s.deliveries > 0 ? round(((rb.cpuMs - ra.cpuMs) * 1000) / s.deliveries, 1) : null } : null,
      };
    };
    const show = (r: StepRow) =>
      say(`${target}: ${r.label} ${r.rate}/s → sent ${r.sendRate}/s, p50 ${r.latency.p50 ?? "—"} p99 ${r.latency.p99 ?? "lost"} max ${r.latency.max ?? "—"} ms, ack p99 ${r.ack.p99 ?? "—"} ms, errors ${JSON.stringify(r.errors)}, failed ${r.failed}, lost ${r.lost}, dup ${r.dup}, server CPU ${r.serverCpuPct} %${r.redis ? `, Redis ${round(r.redis.cpuPct, 0)} % ${r.redis.commandsPerCheckin ?? "—"} cmds/check-in` : ""}, generator ${r.genCpuPct} %, others on the machine ${r.otherCpuPct} %${r.settleMs > 2500 ? `, servers busy ${round(r.settleMs / 1000, 0)} s after` : ""}`);

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
    say(`${target}: burst of ${result.burst.size}: ${result.burst.rounds.map((r) => `${r.conflicts} CONFLICT, all seen in ${r.allSeenMs ?? "—"} ms`).join("; ")}`);

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
    result.idle = { sessions, opened: opened.opened, seconds: cfg.idleMs / 1000, cpuPct: round(sum(perProcess.map((x) => x.cpuPct)), 2), perProcess, redis: ird ? { ...ird, perSessionPerSec: round(ird.commands / sessions / (cfg.idleMs / 1000), 3) } : null };
    say(`${target}: idle with ${sessions} sessions open: ${result.idle.cpuPct} % server CPU${ird ? `, ${result.idle.redis?.perSessionPerSec} Redis commands per session per second` : ""}${Object.keys(opened.errors).length ? `, open errors ${JSON.stringify(opened.errors)}` : ""}`);

    if (target !== "relay") {
      const fill = await timed("fillMs", () => gen.ask({ type: "fill", events: cfg.bigEvents }, FillResult, 400_000));
      result.fill = { events: cfg.bigEvents, ...fill };
      say(`${target}: the burst room's session filled with ${fill.acked} check-ins in ${round(fill.wallMs / 1000, 1)} s`);
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
        rounds.push(await gen.ask({ type: "joins", urls: procs.map((x) => x.url), count: nodeIds.length * (1 + cfg.warmJoins) }, JoinsResult, 300_000));
      }
      const allJoins = rounds.flatMap((r) => r.joinMs);
      const cold = rounds.flatMap((r) => r.joinMs.slice(0, nodeIds.length));
      const warmJ = rounds.flatMap((r) => r.joinMs.slice(nodeIds.length));
      result.join = { events: cfg.bigEvents, rounds, joinMs: dist(allJoins), coldMs: cold, warmMs: dist(warmJ), catchupMs: dist(rounds.flatMap((r) => r.catchupMs)) };
      say(`${target}: join of a ${cfg.bigEvents}-event session: cold ${cold.join(", ")} ms, warm p50 ${result.join.warmMs.p50 ?? "—"} ms, p99 over all ${result.join.joinMs.p99 ?? "—"} ms; full catch-up p99 ${result.join.catchupMs.p99 ?? "—"} ms${rounds.some((r) => Object.keys(r.errors).length > 0) ? `, errors ${JSON.stringify(rounds.map((r) => r.errors))}` : ""}`);
    }
    say(`${target}: totals: ${result.totals.checkins} check-ins, ${result.totals.expectedDeliveries} expected deliveries, lost ${result.totals.lost}, dup ${result.totals.dup}`);
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

/**
 * The server's main-thread profile: `CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile`, thread 0
 * (tsx's loader runs in a worker thread that writes a profile of its own).
 */
async function newestProfile(dir: string, since: number): Promise<string | null> {
  let best: { path: string; at: number } | null = null;
  for (const name of await readdir(dir).catch(() => [])) {
    if (!/\.\d+\.0\.\d+\.cpuprofile$/.test(name)) continue;
    const path = join(dir, name);
    const at = (await stat(path)).mtimeMs;
    if (at >= since && (!best || at > best.at)) best = { path, at };
  }
  return best?.path ?? null;
}

/** Every process and temp dir of the run, stopped on success, failure, Ctrl-C and the time limit. */
const all = new Cleanup();

async function main(): Promise<void> {
  const cfg = parseArgs(process.argv.slice(2));
  let stopping = false;
  const abort = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say(`${why}: stopping everything the bench started`);
    void all.runAll().finally(() => process.exit(code));
  };
  process.on("SIGINT", () => abort("interrupted", 130));
  process.on("SIGTERM", () => abort("terminated", 143));
  const deadline = setTimeout(() => abort(`over the time limit of ${cfg.deadlineMs / 1000} s`, 2), cfg.deadlineMs);

  const startedAt = new Date();
  const loadBefore = loadavg();
  say(`targets ${cfg.targets.join(", ")}; ${cfg.rooms} rooms × (10 participants + 2 facilitators); steps ${cfg.steps.join(", ")}/s × ${cfg.stepMs / 1000} s; load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} CPUs`);
  const results: TargetResult[] = [];
  for (const t of cfg.targets) results.push(await runTarget(t, cfg, all));

  let profile: (ReturnType<typeof summarizeProfile> & { rate: number; file: string }) | { error: string } | undefined;
  if (cfg.profile) {
    const redis = results.find((r) => r.target === "redis");
    const limit = P99_LIMIT_MS.redis;
    const knee = redis?.steps.find((s) => s.latency.p99 === null || s.latency.p99 > limit)?.rate ?? redis?.steps.at(-1)?.rate ?? cfg.steps[Math.floor(cfg.steps.length / 2)] ?? 500;
    const dir = join(cfg.outDir, "prof");
    await mkdir(dir, { recursive: true });
    const since = Date.now();
    say(`profile: Redis one node under --cpu-prof at ${knee}/s`);
    const run = await runTarget("redis", cfg, all, { profile: { rate: knee, dir } });
    const file = await newestProfile(dir, since - 1000);
    if (run.error || !file) profile = { error: run.error ?? "no .cpuprofile was written" };
    else {
      const w = run.profileWindow;
      const window = w ? { fromBeforeEndMs: w.exited - w.stepStart, toBeforeEndMs: w.exited - w.stepEnd } : undefined;
      profile = { rate: knee, file, ...summarizeProfile(JSON.parse(await readFile(file, "utf8")), 15, window) };
    }
  }
  const loadAfter = loadavg();

  const refRate = cfg.refRate;
  const out: string[] = [];
  out.push("", `Holdspace bench — ${startedAt.toISOString()} — ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`);
  out.push(`${cfg.rooms} rooms × (10 participants + 2 facilitators) + a burst room of ${cfg.burstSize}; latency = check-in sent → seen by each facilitator, in the load generator's clock; a delivery = one check-in reaching one facilitator.`, "");
  out.push(stepTable(results), "");
  out.push(summaryTable(results, refRate), "");
  if (profile) {
    if ("error" in profile) out.push(`profile: ${profile.error}`, "");
    else {
      out.push(`Profile of Redis one node during the ${profile.rate}/s step (${profile.file}; ${profile.busyMs} ms busy of ${profile.totalMs} ms on the main thread), top self time:`);
      for (const f of profile.functions) out.push(`  ${String(f.pct).padStart(5)} %  ${String(f.selfMs).padStart(8)} ms  ${f.name}`);
      out.push("  by module:");
      for (const m of profile.modules.slice(0, 10)) out.push(`  ${String(m.pct).padStart(5)} %  ${String(m.selfMs).padStart(8)} ms  ${m.name}`);
      out.push("");
    }
  }
  const line = lastLine(results);
  if (!LAST_LINE.test(line)) throw new Error(`malformed summary line: ${line}`);
  await mkdir(cfg.outDir, { recursive: true });
  const file = join(cfg.outDir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(file, JSON.stringify({ startedAt: startedAt.toISOString(), machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, node: process.version, loadBefore, loadAfter }, config: cfg, results, profile: profile ?? null, lastLine: line }, null, 2) + "\n");
  out.push(`results: ${file}`);
  process.stdout.write(out.join("\n") + "\n" + line + "\n");
  clearTimeout(deadline);
  await all.runAll();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[bench] failed: ${message(err)}\n`);
    void all.runAll().finally(() => process.exit(1));
  },
);

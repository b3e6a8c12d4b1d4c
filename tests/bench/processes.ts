import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createClient } from "redis";
import { z } from "zod";

/** Everything the bench starts registers how to stop it here, so a failure or Ctrl-C stops it too. */
export class Cleanup {
  private readonly tasks = new Map<number, () => Promise<void>>();
  private next = 0;

  add(task: () => Promise<void>): () => void {
    const id = this.next++;
    this.tasks.set(id, task);
    return () => void this.tasks.delete(id);
  }

  async runAll(): Promise<void> {
    const tasks = [...this.tasks.values()].reverse();
    this.tasks.clear();
    for (const t of tasks) await t().catch(() => undefined);
  }
}

export interface Proc {
  label: string;
  pid: number;
  url: string;
  child: ChildProcess;
  /** The last few KB of its stderr (operational log lines). */
  stderrTail(): string;
  /** Memory after a full GC, from the preloaded probe (tests/bench/probe.ts). */
  memory(): Promise<MemorySample>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const ReadyLine = z.object({ port: z.number().int().positive() });

export const MemorySample = z.object({
  at: z.number(),
  rss: z.number(),
  heapTotal: z.number(),
  heapUsed: z.number(),
  external: z.number(),
  arrayBuffers: z.number(),
});
export type MemorySample = z.infer<typeof MemorySample>;

const PROBE = pathToFileURL(join(process.cwd(), "tests", "bench", "probe.ts")).href;

/**
 * Spawn `node [nodeArgs] --import tsx <script>` (one OS process, so its pid is the one to
 * measure) and wait for its first stdout line `{"ready":true,"port":N,…}`.
 */
export async function startNodeScript(opts: {
  label: string;
  script: string;
  env: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  cleanup: Cleanup;
  startMs?: number;
  probeDir: string;
}): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), "--import", "tsx", "--import", PROBE, join(process.cwd(), opts.script)],
    { env: { ...opts.env, BENCH_PROBE_DIR: opts.probeDir }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const forget = opts.cleanup.add(() => stop(2000));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${opts.label} did not start: ${stderr}`)),
        opts.startMs ?? 30_000,
      );
      child.once("exit", (code, signal) =>
        reject(
          new Error(
            `${opts.label} exited during start-up (${signal ?? `code ${code}`})${stderr.trim() ? `: ${stderr.trim().slice(-500)}` : ""}`,
          ),
        ),
      );
      const lines = createInterface({ input: child.stdout });
      lines.once("line", (line) => {
        clearTimeout(timer);
        const parsed = ReadyLine.safeParse(safeJson(line));
        if (parsed.success) resolve(parsed.data.port);
        else reject(new Error(`${opts.label}: unexpected first line`));
      });
    });
    // Keep draining stdout so a chatty process never blocks on a full pipe.
    child.stdout.resume();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${opts.label}: no pid`);
    return {
      label: opts.label,
      pid,
      url: `http://127.0.0.1:${port}`,
      child,
      stderrTail: () => stderr,
      async memory() {
        const file = join(opts.probeDir, `${pid}.json`);
        const asked = Date.now();
        child.kill("SIGUSR2");
        for (let i = 0; i < 200; i++) {
          await new Promise((r) => setTimeout(r, 25));
          const raw = await readFile(file, "utf8").catch(() => null);
          const parsed = raw === null ? null : MemorySample.safeParse(safeJson(raw));
          if (parsed?.success && parsed.data.at >= asked) return parsed.data;
        }
        throw new Error(`${opts.label}: no memory sample from the probe`);
      },
      async stop(graceMs) {
        await stop(graceMs);
        forget();
      },
    };
  } catch (err) {
    await stop(1000);
    forget();
    throw err;
  }
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

/** Environment of a Holdspace server process: the caller's, minus any store settings, plus these. */
export function serverEnv(
  store: { redisUrl: string; prefix: string } | { dataDir: string },
  nodeId: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    NODE_ID: nodeId,
    DEMO: "0",
    STATIC_DIR: "/nonexistent",
  };
  delete env.REDIS_URL;
  delete env.REDIS_PREFIX;
  delete env.DATA_DIR;
  delete env.NODE_OPTIONS;
  if ("redisUrl" in store) return { ...env, REDIS_URL: store.redisUrl, REDIS_PREFIX: store.prefix };
  return { ...env, DATA_DIR: store.dataDir };
}

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcSample {
  at: number;
  /** user + system CPU time, ms. */
  cpuMs: number;
  rssKb: number;
}

/** CPU time and RSS of a process from /proc (Linux). */
export async function sampleProc(pid: number): Promise<ProcSample> {
  const [stat, status] = await Promise.all([
    readFile(`/proc/${pid}/stat`, "utf8"),
    readFile(`/proc/${pid}/status`, "utf8"),
  ]);
  // Fields after the command name (which may hold spaces) start at field 3 (state).
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(rest[11] ?? 0) + Number(rest[12] ?? 0);
  const rss = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  return { at: performance.now(), cpuMs: (ticks * 1000) / ticksPerSecond(), rssKb: Number(rss ?? 0) };
}

export interface MachineSample {
  at: number;
  /** Busy and total CPU time of the whole machine, all CPUs, in ticks. */
  busy: number;
  total: number;
}

/** The whole machine's CPU counters (/proc/stat): the bench shares its CPUs with whatever else runs. */
export async function sampleMachine(): Promise<MachineSample> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { at: performance.now(), busy, total: busy + idle + iowait };
}

/** Busy CPU of the machine between two samples, in % of one CPU (so 2 CPUs make 200 %). */
export function machinePct(a: MachineSample, b: MachineSample, cpus: number): number {
  const total = b.total - a.total;
  return total > 0 ? ((b.busy - a.busy) / total) * cpus * 100 : 0;
}

export interface RedisSample {
  at: number;
  /** Redis process CPU (user + sys), ms. */
  cpuMs: number;
  commands: number;
  perCommand: Record<string, number>;
}

export interface RedisProbe {
  sample(): Promise<RedisSample>;
  close(): Promise<void>;
}

/** A client that only reads INFO (each read is itself one command, subtracted in `redisDelta`). */
export async function redisProbe(url: string): Promise<RedisProbe> {
  const client = createClient({ url });
  client.on("error", () => undefined);
  await client.connect();
  return {
    async sample() {
      const text = String(await client.info("everything"));
      const fields = new Map<string, string>();
      const perCommand: Record<string, number> = {};
      for (const line of text.split(/\r?\n/)) {
        const i = line.indexOf(":");
        if (i <= 0) continue;
        const key = line.slice(0, i);
        const value = line.slice(i + 1);
        fields.set(key, value);
        if (key.startsWith("cmdstat_")) perCommand[key.slice(8)] = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
      }
      const num = (k: string) => Number(fields.get(k) ?? 0);
      return {
        at: performance.now(),
        cpuMs: (num("used_cpu_user") + num("used_cpu_sys")) * 1000,
        commands: num("total_commands_processed"),
        perCommand,
      };
    },
    async close() {
      await client.close().catch(() => client.destroy());
    },
  };
}

export interface RedisDelta {
  cpuPct: number;
  commands: number;
  /** Commands by name, the bench's own INFO left out, most first. */
  top: Record<string, number>;
}

export function redisDelta(a: RedisSample, b: RedisSample): RedisDelta {
  const wall = Math.max(1, b.at - a.at);
  const top: [string, number][] = [];
  for (const [name, calls] of Object.entries(b.perCommand)) {
    if (name === "info") continue;
    const d = calls - (a.perCommand[name] ?? 0);
    if (d > 0) top.push([name, d]);
  }
  top.sort((x, y) => y[1] - x[1]);
  return {
    cpuPct: ((b.cpuMs - a.cpuMs) / wall) * 100,
    commands: Math.max(0, b.commands - a.commands - 1),
    top: Object.fromEntries(top.slice(0, 8)),
  };
}

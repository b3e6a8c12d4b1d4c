import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "./config.js";
import { Cleanup } from "./processes.js";
import {
  LAST_LINE,
  P99_LIMIT_MS,
  lastLine,
  stepTable,
  summarizeProfile,
  summaryTable,
  type TargetResult,
} from "./report.js";
import { runTarget } from "./target.js";
import { message, say } from "./util.js";

/**
 * `npm run bench`: Holdspace against a plain Socket.IO relay in the same run (issue 9). Starts
 * its own redis-server (AOF, fsync always), real server processes and a load generator process,
 * all on 127.0.0.1 and bounded in time; prints a table and one summary line, and writes the
 * full results as JSON under bench-results/. Options: config.ts; one target: target.ts.
 */

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
  say(
    `targets ${cfg.targets.join(", ")}; ${cfg.rooms} rooms × (10 participants + 2 facilitators); steps ${cfg.steps.join(", ")}/s × ${cfg.stepMs / 1000} s; load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} CPUs`,
  );
  const results: TargetResult[] = [];
  for (const t of cfg.targets) results.push(await runTarget(t, cfg, all));

  let profile: (ReturnType<typeof summarizeProfile> & { rate: number; file: string }) | { error: string } | undefined;
  if (cfg.profile) {
    const redis = results.find((r) => r.target === "redis");
    const limit = P99_LIMIT_MS.redis;
    const knee =
      redis?.steps.find((s) => s.latency.p99 === null || s.latency.p99 > limit)?.rate ??
      redis?.steps.at(-1)?.rate ??
      cfg.steps[Math.floor(cfg.steps.length / 2)] ??
      500;
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
  out.push(
    "",
    `Holdspace bench — ${startedAt.toISOString()} — ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`,
  );
  out.push(
    `${cfg.rooms} rooms × (10 participants + 2 facilitators) + a burst room of ${cfg.burstSize}; latency = check-in sent → seen by each facilitator, in the load generator's clock; a delivery = one check-in reaching one facilitator.`,
    "",
  );
  out.push(stepTable(results), "");
  out.push(summaryTable(results, refRate), "");
  if (profile) {
    if ("error" in profile) out.push(`profile: ${profile.error}`, "");
    else {
      out.push(
        `Profile of Redis one node during the ${profile.rate}/s step (${profile.file}; ${profile.busyMs} ms busy of ${profile.totalMs} ms on the main thread), top self time:`,
      );
      for (const f of profile.functions)
        out.push(`  ${String(f.pct).padStart(5)} %  ${String(f.selfMs).padStart(8)} ms  ${f.name}`);
      out.push("  by module:");
      for (const m of profile.modules.slice(0, 10))
        out.push(`  ${String(m.pct).padStart(5)} %  ${String(m.selfMs).padStart(8)} ms  ${m.name}`);
      out.push("");
    }
  }
  const line = lastLine(results);
  if (!LAST_LINE.test(line)) throw new Error(`malformed summary line: ${line}`);
  await mkdir(cfg.outDir, { recursive: true });
  const file = join(cfg.outDir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(
    file,
    JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, node: process.version, loadBefore, loadAfter },
        config: cfg,
        results,
        profile: profile ?? null,
        lastLine: line,
      },
      null,
      2,
    ) + "\n",
  );
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

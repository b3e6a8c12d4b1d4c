/**
 * `npm run chaos` — the chaos run of issue 8, standalone (not a timed test):
 *
 *   node --import tsx tests/chaos/run.ts [--clients 300] [--seconds 120] [--nodes 3]
 *
 * Needs `redis-server` on PATH (7.x). Prints progress, then what it proved, and last one line:
 *   chaos: kills=… acked=… lost=0 dup=0 partial=0 late_escalations=… max_recover_s=…
 * Exits 1 when any check failed (lost, duplicated or partial commands, late or missing
 * escalations, unanswered alerts, client views that differ from the stream…), 2 when the run
 * itself could not be carried out, 130 on Ctrl-C (after stopping every process it started).
 */
import { parseArgs } from "node:util";
import { defaultOptions, runChaos } from "./chaos.js";

function numberArg(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      clients: { type: "string" },
      seconds: { type: "string" },
      nodes: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm run chaos -- [--clients 300] [--seconds 120] [--nodes 3]");
    return 0;
  }
  const clients = numberArg(values.clients, "clients", 300, 3, 2000);
  const seconds = numberArg(values.seconds, "seconds", 120, 20, 3600);
  const options = defaultOptions(clients, seconds);
  options.nodes = numberArg(values.nodes, "nodes", 3, 2, 10);

  const abort = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      console.log("chaos: interrupted; stopping every process it started…");
      abort.abort();
    } else {
      // A second Ctrl-C: leave now (the exit hook still SIGKILLs every tracked process).
      process.exit(130);
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  options.signal = abort.signal;

  try {
    const r = await runChaos(options);
    for (const line of r.summary) console.log(line);
    console.log(r.line);
    return r.failures.length ? 1 : 0;
  } catch (err) {
    if (abort.signal.aborted) return 130;
    console.log(`chaos: the run could not be carried out: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);

import { resolve } from "node:path";
import { z } from "zod";
import { TARGETS, type TargetName } from "./report.js";

/**
 * The bench's command line (tests/bench/run.ts):
 *
 *   npm run bench -- [--quick] [--targets relay,embedded,redis,two_node] [--profile]
 *                    [--rooms N] [--steps 250,500,1000,2000] [--step-ms 10000] [--events 10000] [--out DIR]
 */

export interface Config {
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

export function parseArgs(argv: readonly string[]): Config {
  const flag = (name: string) => argv.includes(name);
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  const quick = flag("--quick");
  const steps = PositiveList.parse((value("--steps") ?? (quick ? "100,300" : "250,500,1000,2000")).split(","));
  const targets = Targets.parse(
    (value("--targets") ?? TARGETS.join(","))
      .split(",")
      .map((t) => (t === "two-node" || t === "two_nodes" ? "two_node" : t)),
  );
  return {
    quick,
    targets: TARGETS.filter((t) => targets.includes(t)),
    profile: flag("--profile"),
    outDir: resolve(value("--out") ?? "bench-results"),
    rooms: z.coerce
      .number()
      .int()
      .min(1)
      .max(500)
      .parse(value("--rooms") ?? (quick ? 3 : 50)),
    steps: [...new Set(steps)].sort((a, b) => a - b),
    stepMs: z.coerce
      .number()
      .int()
      .min(500)
      .max(120_000)
      .parse(value("--step-ms") ?? (quick ? 2000 : 10_000)),
    warmup: quick ? { rate: 50, ms: 1000 } : { rate: 100, ms: 5000 },
    burstSize: 25,
    burstRounds: quick ? 1 : 3,
    idleSessions: quick ? 10 : 200,
    idleMs: quick ? 2000 : 10_000,
    idleSettleMs: quick ? 1000 : 3000,
    bigEvents: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .parse(value("--events") ?? (quick ? 300 : 10_000)),
    coldRounds: quick ? 1 : 2,
    warmJoins: quick ? 1 : 4,
    refRate: steps.includes(500) ? 500 : (steps[0] ?? 500),
    settleWindows: quick ? 1 : 2,
    deadlineMs: quick ? 240_000 : 45 * 60_000,
  };
}

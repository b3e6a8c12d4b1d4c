import { afterAll, describe, expect, it } from "vitest";
import { defaultOptions, runChaos, type ChaosOptions } from "../chaos/chaos.js";

/**
 * The short version of `npm run chaos` (tests/chaos/run.ts), on the same code with small numbers:
 * its own redis-server (it crashes and restarts it, so not the suite's shared one), 3 server
 * processes, 30 clients for 40 s, one kill -9 of a node, one Redis stall, one Redis restart from
 * its AOF. About 70–80 s on 2 cores.
 */
describe("chaos (short)", () => {
  const abort = new AbortController();
  // If the test times out, the run still stops every process it started.
  afterAll(() => abort.abort());

  it("[LOG1] [LOG2] [LOG3] [LOG4] [LIVE6] through kill -9, a Redis stall and a Redis restart every acked check-in lands once and whole, every view equals the stream, and escalations are on time", async () => {
    const base = defaultOptions(30, 40);
    const options: ChaosOptions = {
      ...base,
      participantsPerCohort: 8,
      facilitatorsPerCohort: 2,
      checkinEverySec: [2, 4],
      needSupport: 0.15,
      faults: {
        ...base.faults,
        firstKillSec: [6, 8],
        maxKills: 1,
        nodeDownSec: [1, 1],
        redisStallSec: 20,
        redisStallSeconds: 2,
        redisRestartSec: 27,
      },
      drainSeconds: 25,
      log: (line) => console.info(line),
      signal: abort.signal,
    };
    const r = await runChaos(options);
    for (const line of r.summary) console.info(line);
    console.info(r.line);

    expect(r.faults.map((f) => f.kind)).toEqual(["node-kill", "redis-stall", "redis-restart"]);
    expect(r.faults.filter((f) => f.error !== null)).toEqual([]);
    expect(r.verdict.acked).toBeGreaterThan(100);
    expect({
      lost: r.verdict.lost,
      dup: r.verdict.dup,
      partial: r.verdict.partial,
      late: r.verdict.lateEscalations,
    }).toEqual({ lost: 0, dup: 0, partial: 0, late: 0 });
    expect(r.failures).toEqual([]);
  }, 170_000);
});

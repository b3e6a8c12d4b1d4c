import { afterEach, describe, expect, it } from "vitest";
import { LIVE_CHECK_MS } from "../../server/jobs/live-checks.js";
import { startApp, type Running } from "../support/harness.js";

/** Real timers, real Redis, a store made slow on purpose: the periodic check must not pile up. */
describe("live checks on a slow store", () => {
  let node: (Running & { tag: string }) | null = null;
  afterEach(async () => {
    await node?.stop();
  });

  it("[LIVE6] [LIVE3] with reads slower than the check interval, runs never overlap (skipped, not stacked)", async () => {
    node = await startApp("redis", { timers: true });
    // What every round reads first: the due index.
    const dueStore = node.stores.due;
    const due = dueStore.due.bind(dueStore);
    const slowMs = LIVE_CHECK_MS * 2.5;
    let inFlight = 0;
    let most = 0;
    let done = 0;
    dueStore.due = async (now, limit) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        await new Promise((r) => setTimeout(r, slowMs));
        return await due(now, limit);
      } finally {
        inFlight--;
        done++;
      }
    };
    await expect.poll(() => done, { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(2);
    console.info(
      `slow store (${slowMs} ms per read, check every ${LIVE_CHECK_MS} ms): at most ${most} run(s) at once over ${done} runs`,
    );
    expect(most).toBe(1);
  }, 30_000);
});

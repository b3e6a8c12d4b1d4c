import { describe, expect, it } from "vitest";
import { guardJob } from "../../server/jobs/guard.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("periodic jobs (escalation checks, presence sweep)", () => {
  it("[LIVE6] a run that outlasts its interval is not started again on top of itself", async () => {
    const gate = deferred();
    let runs = 0;
    const job = guardJob(
      async () => {
        runs++;
        await gate.promise;
      },
      () => undefined,
    );
    job.beat();
    job.beat();
    job.beat();
    expect(runs).toBe(1);
    expect(job.skipped()).toBe(2);
    gate.resolve();
    await job.running();
    job.beat();
    await job.running();
    expect(runs).toBe(2);
  });

  it("[LIVE6] a failing job (rejection or synchronous throw) is reported and never escapes the timer", async () => {
    const seen: string[] = [];
    const onError = (e: unknown) => {
      seen.push(e instanceof Error ? e.message : "?");
    };
    const rejecting = guardJob(() => Promise.reject(new Error("store down")), onError);
    rejecting.beat();
    await rejecting.running();
    const throwing = guardJob(() => {
      throw new Error("bug");
    }, onError);
    throwing.beat();
    await throwing.running();
    const badReporter = guardJob(
      () => Promise.reject(new Error("x")),
      () => {
        throw new Error("logger broke");
      },
    );
    badReporter.beat();
    await expect(badReporter.running()).resolves.toBeUndefined();
    expect(seen).toEqual(["store down", "bug"]);
    // The next beat runs again: one failure does not stop the escalation checks for good.
    rejecting.beat();
    await rejecting.running();
    expect(seen).toEqual(["store down", "bug", "store down"]);
  });
});

/**
 * Periodic jobs on timers: never an unhandled rejection, never two runs of the same job at
 * once. With a slow store a run can outlast its interval; starting another on top would pile up
 * work (and connections) exactly when the store is struggling. A beat that finds the previous
 * run still going is skipped and counted; the next beat after it finishes runs as usual.
 */
export interface GuardedJob {
  /** Start a run unless one is in progress. Never throws, never rejects. */
  beat(): void;
  /** The run in progress, if any (for shutdown and tests). */
  running(): Promise<void> | null;
  /** Beats skipped because the previous run was still going. */
  skipped(): number;
}

export function guardJob(job: () => Promise<void>, onError: (err: unknown) => void): GuardedJob {
  let current: Promise<void> | null = null;
  let skipped = 0;
  const start = async (): Promise<void> => {
    try {
      await job();
    } catch (err) {
      // A job's failure is logged, never thrown into a timer (an uncaught error ends the process).
      try {
        onError(err);
      } catch {
        // The error reporter itself failed: nothing more to do from inside a timer.
      }
    }
  };
  return {
    beat() {
      if (current) {
        skipped++;
        return;
      }
      current = start().finally(() => {
        current = null;
      });
    },
    running: () => current,
    skipped: () => skipped,
  };
}

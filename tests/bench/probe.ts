import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Preloaded (`--import`) into every process the bench measures, Holdspace and the relay alike,
 * for one thing: on SIGUSR2, run a full garbage collection and write `process.memoryUsage()` to
 * `$BENCH_PROBE_DIR/<pid>.json`. RSS alone cannot tell sockets from garbage a process has not
 * collected yet (a server that just read its journal has pages of it), so the bench asks for a
 * collection before each memory sample. Nothing else in the process changes.
 */
const dir = process.env.BENCH_PROBE_DIR;
/** V8's `gc()`, once `--expose-gc` is set: a full collection, no arguments. */
const isGc = (f: unknown): f is () => void => typeof f === "function";
if (dir) {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("gc");
  process.on("SIGUSR2", () => {
    if (isGc(gc)) {
      gc();
      gc();
    }
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
  });
}

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "redis";
import { freePort } from "../support/free-port.js";
import { redisServerArgs, waitForExit, waitForPing } from "../support/redis-server.js";
import { track, untrack } from "./reaper.js";

const run = promisify(execFile);

/** The chaos run's own Redis: it crashes, comes back from its AOF, and stalls on request. */
export interface ChaosRedis {
  url: string;
  /** kill -9: no save, no goodbye. What `appendfsync always` put in the AOF is what survives [LOG3]. */
  crash(): Promise<void>;
  /** Start again on the same port, dir and config: Redis loads its AOF. */
  start(): Promise<void>;
  /** Block the server for `seconds` (`DEBUG SLEEP`): every node's commands wait meanwhile. */
  stall(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real redis-server on a free loopback port in its own temp dir, AOF on with fsync on every
 * write (what LOG3 relies on), DEBUG allowed from loopback only (for the stall).
 */
export async function startChaosRedis(): Promise<ChaosRedis> {
  const dir = await mkdtemp(join(tmpdir(), "holdspace-chaos-redis-"));
  const port = await freePort();
  const pidfile = join(dir, "redis.pid");
  const url = `redis://127.0.0.1:${port}`;
  const args = redisServerArgs(port, dir, pidfile, { debug: true });
  let pid: number | null = null;

  const readPid = async (): Promise<number> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const text = await readFile(pidfile, "utf8").catch(() => "");
      const n = Number(text.trim());
      if (Number.isInteger(n) && n > 0) return n;
      if (Date.now() > deadline) throw new Error("redis-server wrote no pidfile");
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const start = async (): Promise<void> => {
    await rm(pidfile, { force: true });
    await run("redis-server", args);
    pid = await readPid();
    track(pid);
    await waitForPing(url);
  };
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    const p = pid;
    if (p === null) return;
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
    await waitForExit(p);
    untrack(p);
    pid = null;
  };

  await start();
  return {
    url,
    start,
    crash: () => kill("SIGKILL"),
    async stall(seconds) {
      const client = createClient({ url, socket: { reconnectStrategy: false } });
      client.on("error", () => undefined);
      await client.connect();
      try {
        await client.sendCommand(["DEBUG", "SLEEP", String(seconds)]);
      } finally {
        client.destroy();
      }
    },
    async stop() {
      await kill("SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "redis";
import { freePort } from "./free-port.js";

const run = promisify(execFile);

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
  /** kill -9, keeping its dir: what it acknowledged is in the AOF (fsync always). */
  crash(): Promise<void>;
  /** Start it again on the same port and dir; it reloads its data from the AOF. */
  restart(): Promise<void>;
}

/**
 * The one way tests run redis-server: loopback only, its own dir, AOF with fsync on every write
 * (LOG3), daemonized with a pidfile; `debug` allows DEBUG (SLEEP, for stalls) from loopback.
 */
export function redisServerArgs(port: number, dir: string, pidfile: string, opts: { debug?: boolean } = {}): string[] {
  return [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--appendonly",
    "yes",
    "--appendfsync",
    "always",
    "--save",
    "",
    ...(opts.debug ? ["--enable-debug-command", "local"] : []),
    "--daemonize",
    "yes",
    "--pidfile",
    pidfile,
    "--logfile",
    join(dir, "redis.log"),
  ];
}

/**
 * Start a real redis-server on a free loopback port in a temp dir, with AOF on and fsync on every
 * write — the durability LOG3 relies on. Daemonized, stopped by its pid.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), "holdspace-redis-"));
  const port = await freePort();
  const pidfile = join(dir, "redis.pid");
  const launch = async () => {
    await run("redis-server", redisServerArgs(port, dir, pidfile));
    await waitForPing(url);
  };
  const kill = async (signal: NodeJS.Signals) => {
    const pid = Number((await readFile(pidfile, "utf8")).trim());
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    await waitForExit(pid);
  };
  const url = `redis://127.0.0.1:${port}`;
  await launch();
  return {
    url,
    async stop() {
      await kill("SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
    crash: () => kill("SIGKILL"),
    restart: launch,
  };
}

export async function waitForPing(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.ping();
      await client.close();
      return;
    } catch (err) {
      client.destroy();
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function waitForExit(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

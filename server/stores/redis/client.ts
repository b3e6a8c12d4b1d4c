import { createHash } from "node:crypto";
import { createClient, type RedisClientOptions, type RedisClientType } from "redis";

/**
 * Every node-redis client of a node (stores, adapter, limits) runs without node-redis's default
 * 5 s per-command timeout (issue 9). It cancels nothing — Redis still runs a command that timed
 * out — so under overload it only turned slow acks into UNAVAILABLE and a retry on top, and its
 * AbortSignal per command cost ~7 % of a node's CPU at 1,000 check-ins/s (profile). What bounds a
 * person's wait instead is one deadline per socket command (gateway/handler.ts COMMAND_DEADLINE_MS);
 * a command queued while Redis is away runs when it is back; a lost connection still fails its
 * commands at once and reconnects.
 */
export const CLIENT_OPTIONS: Pick<RedisClientOptions, "commandOptions"> = { commandOptions: { timeout: 0 } };

/** Open a node-redis client with an `error` listener that logs one short line per new kind of failure. */
export async function connectRedis(url: string, label: string): Promise<RedisClient> {
  const client = createClient({ url, ...CLIENT_OPTIONS });
  let lastCode: string | null = null;
  client.on("error", (err: unknown) => {
    const code = errorCode(err);
    if (code === lastCode) return; // a reconnect loop repeats itself; say it once
    lastCode = code;
    console.warn(`[redis:${label}] connection error (${code})`);
  });
  client.on("ready", () => {
    lastCode = null;
  });
  // Unreachable at start means misconfigured: fail instead of retrying forever. Once connected,
  // node-redis reconnects on its own (commands wait meanwhile).
  const connecting = client.connect();
  connecting.catch(() => undefined); // settled below; this only keeps a late rejection handled
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`could not reach Redis within ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([connecting, deadline]);
  } catch (err) {
    client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** The client type `createClient({ url })` gives: default modules, RESP3, no type mapping. */
export type RedisClient = RedisClientType;

/** A name for an error without its message (which may quote data). */
function errorCode(err: unknown): string {
  if (err instanceof Error) {
    const code = "code" in err && typeof err.code === "string" ? err.code : null;
    return code ?? err.name;
  }
  return "unknown";
}

/**
 * One client shared by the log, KV and presence stores of a node; it is closed when the last
 * of them lets go, so closing one store does not break the others.
 */
export class SharedClient {
  private users = 0;
  private closing: Promise<void> | null = null;

  constructor(readonly client: RedisClient) {}

  /** Returns this user's release function (safe to call twice). */
  retain(): () => Promise<void> {
    this.users += 1;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.users -= 1;
      if (this.users === 0) {
        this.closing ??= this.client.isOpen ? this.client.close() : Promise.resolve();
        await this.closing;
      }
    };
  }
}

/** A Lua script run by EVALSHA, falling back to EVAL when the server has not seen it yet. */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(client: RedisClient, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await client.evalSha(this.sha, { keys, arguments: args });
    } catch (err) {
      // NOSCRIPT means it did not run at all, so running it now cannot run it twice.
      if (err instanceof Error && err.message.startsWith("NOSCRIPT")) {
        return await client.eval(this.source, { keys, arguments: args });
      }
      throw err;
    }
  }
}

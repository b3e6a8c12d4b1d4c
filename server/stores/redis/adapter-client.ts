import { createAdapter, type RedisAdapterOptions } from "@socket.io/redis-adapter";
import type { RedisArgument } from "redis";
import type { Logger } from "../../logger.js";
import type { RedisClient } from "./client.js";

/**
 * What `@socket.io/redis-adapter` (8.3, `dist/index.js`, `dist/sharded-adapter.js`,
 * `dist/util.js`) calls on the clients it is given. It fires every one of these and forgets
 * them — `this.pubClient.publish(…)` on every broadcast, `subscribe`/`pSubscribe` in its
 * constructor, `unsubscribe`/`pUnsubscribe` in `close()`, `sSubscribe`/`sUnsubscribe` per room
 * in the sharded adapter — so when Redis goes away (a restart, a command timing out under load)
 * each of their rejections would be unhandled. Measured: a publish in flight when Redis restarts
 * rejects with `SocketClosedUnexpectedlyError`, one queued while it is down with `TimeoutError`
 * after node-redis's 5 s command timeout.
 *
 * The facade hands the adapter promises that never reject: each failure is logged here, with
 * its code, where it starts. A dropped broadcast costs nothing lasting — clients recover from
 * the log by `{epoch, seq}` [LOG4]; a dead subscription is logged loudly. `pSubscribe` and
 * `sSubscribe` are present on the pub client too, because the adapter tests for them to tell
 * node-redis from ioredis. `sendCommand` (only `PUBSUB NUMSUB`/`SHARDNUMSUB`, for
 * `serverCount()`) is passed through unchanged: its answer is returned to, and awaited by, the
 * adapter's callers (`fetchSockets`, `allRooms`, `serverSideEmitWithAck`, which catches).
 * `on`/`off` are only its own `error` listener; every client also has ours (see `main.ts`).
 */
export interface AdapterRedisClient {
  publish(channel: RedisArgument, message: RedisArgument): Promise<void>;
  sPublish(channel: RedisArgument, message: RedisArgument): Promise<void>;
  sendCommand(args: ReadonlyArray<RedisArgument>): Promise<unknown>;
  subscribe(...args: Parameters<RedisClient["subscribe"]>): Promise<void>;
  unsubscribe(...args: Parameters<RedisClient["unsubscribe"]>): Promise<void>;
  pSubscribe(...args: Parameters<RedisClient["pSubscribe"]>): Promise<void>;
  pUnsubscribe(...args: Parameters<RedisClient["pUnsubscribe"]>): Promise<void>;
  sSubscribe(...args: Parameters<RedisClient["sSubscribe"]>): Promise<void>;
  sUnsubscribe(...args: Parameters<RedisClient["sUnsubscribe"]>): Promise<void>;
  on(event: "error", listener: (err: unknown) => void): void;
  off(event: "error", listener: (err: unknown) => void): void;
}

/** A name for a Redis failure without its message (which may quote a payload): its code or its class. */
export function redisFailureCode(err: unknown): string {
  if (err instanceof Error) {
    if ("code" in err && typeof err.code === "string") return err.code;
    return err.constructor.name || err.name;
  }
  return typeof err;
}

const SUBSCRIPTIONS = new Set(["SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"]);

/** One line per failing command at most once a second, with how many were folded into it. */
class FailureLog {
  private readonly last = new Map<string, { at: number; folded: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly role: "pub" | "sub",
  ) {}

  report(command: string, err: unknown): void {
    const now = Date.now();
    const seen = this.last.get(command);
    if (seen && now - seen.at < 1000) {
      seen.folded += 1;
      return;
    }
    this.last.set(command, { at: now, folded: 0 });
    const fields = {
      client: { id: this.role },
      command: { id: command },
      error: { id: redisFailureCode(err) },
      folded: seen?.folded ?? 0,
    };
    // A lost publish is one broadcast that clients catch up on [LOG4]; a lost subscription
    // leaves this node deaf to the others until the client resubscribes on reconnect.
    if (SUBSCRIPTIONS.has(command)) this.logger.error("redis adapter subscription failed", fields);
    else this.logger.warn("redis adapter command failed", fields);
  }
}

/**
 * Wrap a node-redis client for the adapter (pub or sub side): every fire-and-forget command it
 * can issue comes back as a promise that resolves, its failure logged here.
 */
export function adapterRedisClient(client: RedisClient, role: "pub" | "sub", logger: Logger): AdapterRedisClient {
  const failures = new FailureLog(logger, role);
  const settled = (command: string, p: Promise<unknown>): Promise<void> =>
    p.then(
      () => undefined,
      (err: unknown) => failures.report(command, err),
    );
  // Each call is made inside `settled`'s argument, so even a synchronous throw of the client
  // would surface here rather than in the adapter (node-redis returns rejected promises instead).
  const guard = (command: string, call: () => Promise<unknown>): Promise<void> => {
    try {
      return settled(command, call());
    } catch (err) {
      failures.report(command, err);
      return Promise.resolve();
    }
  };
  return {
    publish: (channel, message) => guard("PUBLISH", () => client.publish(channel, message)),
    sPublish: (channel, message) => guard("SPUBLISH", () => client.sPublish(channel, message)),
    sendCommand: (args) => client.sendCommand(args),
    subscribe: (...args) => guard("SUBSCRIBE", () => client.subscribe(...args)),
    unsubscribe: (...args) => guard("UNSUBSCRIBE", () => client.unsubscribe(...args)),
    pSubscribe: (...args) => guard("PSUBSCRIBE", () => client.pSubscribe(...args)),
    pUnsubscribe: (...args) => guard("PUNSUBSCRIBE", () => client.pUnsubscribe(...args)),
    sSubscribe: (...args) => guard("SSUBSCRIBE", () => client.sSubscribe(...args)),
    sUnsubscribe: (...args) => guard("SUNSUBSCRIBE", () => client.sUnsubscribe(...args)),
    on: (event, listener) => void client.on(event, listener),
    off: (event, listener) => void client.off(event, listener),
  };
}

/**
 * `createAdapter(pub, sub, opts)` from `@socket.io/redis-adapter`, on wrapped clients: what
 * `server/main.ts` uses, and what a test harness can use in place of the bare call.
 * The caller still owns the clients: their `error` listeners, connect and close.
 */
export function createRedisAdapter(
  pub: RedisClient,
  sub: RedisClient,
  opts: Partial<RedisAdapterOptions> & { logger: Logger },
): ReturnType<typeof createAdapter> {
  const { logger, ...adapterOpts } = opts;
  return createAdapter(adapterRedisClient(pub, "pub", logger), adapterRedisClient(sub, "sub", logger), adapterOpts);
}

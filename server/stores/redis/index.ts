import type { Stores } from "../types.js";
import { connectRedis, SharedClient } from "./client.js";
import { redisKeys } from "./keys.js";
import { RedisKvStore } from "./kv-store.js";
import { RedisLogStore } from "./log-store.js";
import { RedisPresenceStore } from "./presence-store.js";
import { RedisDueStore } from "./due-store.js";

export { redisKeys, type RedisKeys } from "./keys.js";

export interface RedisStoresOptions {
  url: string;
  /** Prepended to every key, e.g. `holdspace:`; lets deployments (and tests) share one Redis. */
  prefix: string;
  /**
   * Accepted for symmetry with the embedded stores. Unused: expiry in Redis (KV ttl, node
   * liveness) runs on the Redis server's clock, and `sweep` is given its `now` by the caller.
   */
  now?: () => number;
}

/**
 * The stores for production and for more than one node. One connection per node, shared by the
 * log, KV and presence stores; it closes when all of them have closed. Redis should run with AOF
 * and `appendfsync always`, so a resolved append is durable [LOG3].
 */
export async function createRedisStores({ url, prefix }: RedisStoresOptions): Promise<Stores> {
  const shared = new SharedClient(await connectRedis(url, "stores"));
  const keys = redisKeys(prefix);
  const { client } = shared;
  const log = new RedisLogStore(client, keys, shared.retain());
  const kv = new RedisKvStore(client, keys, shared.retain());
  const presence = new RedisPresenceStore(client, keys, shared.retain());
  const due = new RedisDueStore(client, keys, shared.retain());
  const releaseOwn = shared.retain();
  return {
    kind: "redis",
    log,
    kv,
    presence,
    due,
    async ping() {
      if (!client.isReady) return false;
      try {
        return (await client.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.all([log.close(), kv.close(), presence.close(), due.close(), releaseOwn()]);
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "redis";
import { evictionRefusal } from "../../server/stores/redis/preflight.js";
import { freshPrefix } from "../support/ids.js";
import { startNodeProcess } from "../support/node-process.js";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";

/**
 * Production start (issue 13): an evicting Redis silently deletes the record, so the server
 * refuses to start on one. Its own redis-server: the shared test Redis is never reconfigured.
 */
describe("[LOG3] Redis maxmemory-policy at start", () => {
  let redis: RedisServer;
  const setPolicy = async (policy: string) => {
    const c = createClient({ url: redis.url });
    c.on("error", () => undefined);
    await c.connect();
    await c.configSet("maxmemory-policy", policy);
    await c.close();
  };
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("[LOG3] an evicting policy (allkeys-lru) stops the server at start: a clear sentence on stderr and exit code 1", async () => {
    await setPolicy("allkeys-lru");
    const started = startNodeProcess({ redisUrl: redis.url, prefix: freshPrefix(), nodeId: "evicting" });
    await expect(started).rejects.toThrow(/exited 1: [\s\S]*maxmemory-policy is "allkeys-lru"[\s\S]*noeviction/);
  });

  it("[LOG3] noeviction starts and answers health checks", async () => {
    await setPolicy("noeviction");
    const node = await startNodeProcess({ redisUrl: redis.url, prefix: freshPrefix(), nodeId: "noevict" });
    try {
      const health = await fetch(`${node.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await node.stop();
    }
  });

  it("[LOG3] every policy but noeviction is refused, an unreadable one too", () => {
    for (const p of [
      "allkeys-lru",
      "volatile-lru",
      "allkeys-lfu",
      "volatile-lfu",
      "allkeys-random",
      "volatile-ttl",
      null,
    ])
      expect(evictionRefusal(p), String(p)).toMatch(/Refusing to start/);
    expect(evictionRefusal("noeviction")).toBeNull();
  });
});

import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { createApp } from "./app.js";
import { createCommandLimits, type CommandLimits } from "./gateway/limits.js";
import { createSignInLimits, type SignInLimits } from "./auth/rate-limit.js";
import { loadConfig, publicOrigins } from "./config.js";
import { pushSettings } from "./push/settings.js";
import { demoPrintout, seedDemo } from "./demo/seed.js";
import { createLogger, errorKind } from "./logger.js";
import { createEmbeddedStores } from "./stores/embedded/index.js";
import { createRedisAdapter, redisFailureCode } from "./stores/redis/adapter-client.js";
import { CLIENT_OPTIONS } from "./stores/redis/client.js";
import { createRedisStores } from "./stores/redis/index.js";
import { assertNoEviction } from "./stores/redis/preflight.js";

const config = loadConfig();
const nodeId = config.NODE_ID ?? `node-${randomUUID().slice(0, 8)}`;
const logger = createLogger(nodeId);

// Last resort only. Every promise is handled where it starts — the Redis adapter's unawaited
// publishes included (stores/redis/adapter-client.ts) — so a line here is a bug to fix there. It
// is logged rather than left to kill the node: a dropped broadcast is recovered by the clients'
// sync [LOG4]; a dead node is not.
process.on("unhandledRejection", (err) =>
  logger.error("unhandled rejection (bug)", { error: { id: redisFailureCode(err) } }),
);

async function main(): Promise<void> {
  const redisUrl = config.REDIS_URL;
  const stores = redisUrl
    ? await createRedisStores({ url: redisUrl, prefix: config.REDIS_PREFIX })
    : await createEmbeddedStores({ dataDir: config.DATA_DIR });
  let adapter;
  // Counted in Redis when there is one, so a person's budget holds across every node (issue 8).
  let limits: CommandLimits | undefined;
  let signInLimits: SignInLimits | undefined;
  const closers: (() => Promise<void>)[] = [];
  if (redisUrl) {
    const pub = createClient({ url: redisUrl, ...CLIENT_OPTIONS });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) {
      // A reconnect loop repeats the same error every attempt: say it once per kind until ready again.
      let last: string | null = null;
      c.on("error", (err: unknown) => {
        const code = redisFailureCode(err);
        if (code !== last) logger.warn("redis adapter client error", { error: { id: code } });
        last = code;
      });
      c.on("ready", () => (last = null));
    }
    await Promise.all([pub.connect(), sub.connect()]);
    // Before listening: an evicting Redis would silently delete the record (issue 13).
    await assertNoEviction(pub);
    const aof = await pub.configGet("appendonly").catch(() => ({ appendonly: "unknown" }));
    if (aof.appendonly !== "yes")
      logger.warn(
        "Redis AOF is off: acknowledged events could be lost in a Redis crash (LOG3). Run Redis with appendonly yes and appendfsync always.",
      );
    // The adapter fires its publishes and subscriptions without awaiting them: wrapped, each failure is logged with its code.
    adapter = createRedisAdapter(pub, sub, { key: `${config.REDIS_PREFIX}sio`, logger });
    limits = createCommandLimits({ kind: "redis", client: pub, prefix: config.REDIS_PREFIX }, { logger });
    signInLimits = createSignInLimits({ kind: "redis", client: pub, prefix: config.REDIS_PREFIX });
    closers.push(async () => {
      await Promise.allSettled([pub.close(), sub.close()]);
    });
  }
  const app = createApp({
    stores,
    nodeId,
    logger,
    adapter,
    limits,
    signInLimits,
    trustProxy: config.TRUST_PROXY,
    staticDir: config.STATIC_DIR,
    secureCookies: config.SECURE_COOKIES === "1",
    push: pushSettings(config),
    origins: publicOrigins(config),
  });
  const port = await app.listen(config.PORT, config.HOST);
  // First line on stdout is machine-readable: process managers and tests wait for it.
  process.stdout.write(JSON.stringify({ ready: true, port, nodeId, store: stores.kind }) + "\n");

  const demo = config.DEMO ? config.DEMO === "1" : stores.kind === "embedded";
  if (demo) {
    const base = config.PUBLIC_URL ?? `http://localhost:${port}`;
    const links = await seedDemo(app.services, base);
    process.stdout.write(demoPrintout(base, links) + "\n");
  }

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    for (const c of closers) await c();
    await stores.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown());
  process.on("SIGINT", () => void shutdown());
}

main().catch((err: unknown) => {
  logger.error("failed to start", { error: errorKind(err) });
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

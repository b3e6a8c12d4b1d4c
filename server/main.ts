import { randomUUID } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { createApp } from "./app.js";
import { loadConfig } from "./config.js";
import { seedDemo } from "./demo/seed.js";
import { createLogger, errorKind } from "./logger.js";
import { createEmbeddedStores } from "./stores/embedded/index.js";
import { createRedisStores } from "./stores/redis/index.js";

const config = loadConfig();
const nodeId = config.NODE_ID ?? `node-${randomUUID().slice(0, 8)}`;
const logger = createLogger(nodeId);

// Measured: an adapter publish that timed out under load rejected with nobody awaiting it and
// killed the node. A dropped broadcast is recovered by the clients' sync [LOG4]; a dead node is not.
process.on("unhandledRejection", (err) => logger.error("unhandled rejection", { error: errorKind(err) }));

async function main(): Promise<void> {
  const redisUrl = config.REDIS_URL;
  const stores = redisUrl ? await createRedisStores({ url: redisUrl, prefix: config.REDIS_PREFIX }) : await createEmbeddedStores({ dataDir: config.DATA_DIR });
  let adapter;
  const closers: (() => Promise<void>)[] = [];
  if (redisUrl) {
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on("error", (err: unknown) => logger.warn("redis adapter client error", { error: errorKind(err) }));
    await Promise.all([pub.connect(), sub.connect()]);
    const aof = await pub.configGet("appendonly").catch(() => ({ appendonly: "unknown" }));
    if (aof.appendonly !== "yes") logger.warn("Redis AOF is off: acknowledged events could be lost in a Redis crash (LOG3). Run Redis with appendonly yes and appendfsync always.");
    adapter = createAdapter(pub, sub, { key: `${config.REDIS_PREFIX}sio` });
    closers.push(async () => {
      await Promise.allSettled([pub.close(), sub.close()]);
    });
  }
  const app = createApp({ stores, nodeId, logger, adapter, staticDir: config.STATIC_DIR, secureCookies: config.SECURE_COOKIES === "1" });
  const port = await app.listen(config.PORT, config.HOST);
  // First line on stdout is machine-readable: process managers and tests wait for it.
  process.stdout.write(JSON.stringify({ ready: true, port, nodeId, store: stores.kind }) + "\n");

  const demo = config.DEMO ? config.DEMO === "1" : stores.kind === "embedded";
  if (demo) {
    const base = config.PUBLIC_URL ?? `http://localhost:${port}`;
    const links = await seedDemo(app.services, base);
    const lines = links.map((l) => `  ${l.role.padEnd(12)} ${l.name.padEnd(14)} ${l.link}`);
    process.stdout.write(
      [
        "",
        `Holdspace is running at ${base}`,
        "Demo sign-in links (one-time; new ones are printed at every start):",
        ...lines,
        `Or sign in with any demo email (e.g. ${links[1]?.email ?? ""}) and the password "holdspace-demo".`,
        "",
      ].join("\n") + "\n",
    );
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

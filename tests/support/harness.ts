import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { createRedisAdapter } from "../../server/stores/redis/adapter-client.js";
import { CLIENT_OPTIONS } from "../../server/stores/redis/client.js";
import { silentLogger, type Logger } from "../../server/logger.js";
import { createClient } from "redis";
import { createApp, type App } from "../../server/app.js";
import type { Clock } from "../../server/clock.js";
import { seedProgram } from "../../server/demo/seed.js";
import { createCommandLimits, type LimitSettings } from "../../server/gateway/limits.js";
import { createSignInLimits, type SignInSettings } from "../../server/auth/rate-limit.js";
import type { TrustProxySetting } from "../../server/config.js";
import { createEmbeddedStores } from "../../server/stores/embedded/index.js";
import { createRedisStores } from "../../server/stores/redis/index.js";
import type { Stores } from "../../server/stores/types.js";
import type { PushSettings } from "../../server/push/alert-push.js";
import { freshPrefix } from "./ids.js";
import { mainCohort, otherCohort } from "./fixtures.js";

export type StoreKind = "embedded" | "redis";

export interface Running {
  app: App;
  url: string;
  stores: Stores;
  stop(): Promise<void>;
}

/** A settable clock for rules that depend on time. */
export class ManualClock implements Clock {
  constructor(private t = Date.parse("2026-11-26T18:00:00Z")) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export async function makeStores(
  kind: StoreKind,
  prefix = freshPrefix(),
  now?: () => number,
): Promise<{ stores: Stores; cleanup: () => Promise<void> }> {
  if (kind === "redis") {
    const stores = await createRedisStores({ url: inject("redisUrl"), prefix });
    return { stores, cleanup: async () => undefined };
  }
  const dir = await mkdtemp(join(tmpdir(), "holdspace-data-"));
  const stores = await createEmbeddedStores({ dataDir: dir, ...(now ? { now } : {}) });
  return { stores, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** An in-process node on port 0 (with the Redis adapter when on Redis), seeded with the test cohorts. */
export async function startApp(
  kind: StoreKind,
  opts: {
    clock?: Clock;
    prefix?: string;
    timers?: boolean;
    seed?: boolean;
    staticDir?: string;
    limits?: Partial<LimitSettings>;
    signIn?: Partial<SignInSettings>;
    trustProxy?: TrustProxySetting;
    push?: PushSettings;
    /** The app's logger (silent when absent): tests that check what is logged capture it. */
    logger?: Logger;
    /** [AC1] The configured public origins (`PUBLIC_URL`, `ALLOWED_ORIGINS`); default: none, so the node's own. */
    origins?: string[];
  } = {},
): Promise<Running & { tag: string }> {
  const prefix = opts.prefix ?? freshPrefix();
  const clock = opts.clock;
  const { stores, cleanup } = await makeStores(kind, prefix, clock ? () => clock.now() : undefined);
  const closers: (() => Promise<void>)[] = [];
  let adapter;
  // Command limits as production wires them: per person in Redis (shared by nodes on one prefix).
  let limits = createCommandLimits({ kind: "memory" }, { settings: opts.limits });
  let signInLimits = createSignInLimits({ kind: "memory" }, { settings: opts.signIn });
  if (kind === "redis") {
    const pub = createClient({ url: inject("redisUrl"), ...CLIENT_OPTIONS });
    const sub = pub.duplicate();
    for (const c of [pub, sub]) c.on("error", () => undefined);
    await Promise.all([pub.connect(), sub.connect()]);
    // Wrapped like main.ts: a publish the adapter fires after close is handled, not left unhandled.
    adapter = createRedisAdapter(pub, sub, { key: `${prefix}sio`, logger: silentLogger });
    limits = createCommandLimits({ kind: "redis", client: pub, prefix }, { settings: opts.limits });
    signInLimits = createSignInLimits({ kind: "redis", client: pub, prefix }, { settings: opts.signIn });
    closers.push(async () => {
      await Promise.allSettled([pub.close(), sub.close()]);
    });
  }
  const app = createApp({
    stores,
    adapter,
    limits,
    signInLimits,
    ...(opts.trustProxy === undefined ? {} : { trustProxy: opts.trustProxy }),
    clock: opts.clock,
    timers: opts.timers ?? false,
    staticDir: opts.staticDir ?? null,
    ...(opts.push ? { push: opts.push } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.origins ? { origins: opts.origins } : {}),
  });
  const port = await app.listen(0, "127.0.0.1");
  const tag = prefix.replace(/[^a-z0-9]/gi, "").slice(-8);
  if (opts.seed !== false) {
    await seedProgram(app.services, mainCohort(tag));
    await seedProgram(app.services, otherCohort(tag));
  }
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    stores,
    tag,
    async stop() {
      await app.close();
      for (const c of closers) await c();
      await stores.close();
      await cleanup();
    },
  };
}

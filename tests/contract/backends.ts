import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { createEmbeddedStores } from "../../server/stores/embedded/index.js";
import { createRedisStores } from "../../server/stores/redis/index.js";
import type { Stores } from "../../server/stores/types.js";
import { freshPrefix } from "../support/ids.js";

/**
 * One backing store for one test: a fresh temp dir (embedded) or a fresh key prefix (Redis).
 * `open()` opens stores on that same data again — a restart, or another node.
 */
export interface Backend {
  kind: Stores["kind"];
  /** Where data lives: the embedded data dir, or the Redis key prefix. */
  where: string;
  open(): Promise<Stores>;
  /**
   * `n` stores acting as `n` nodes on the same data. The embedded store is single-process, so
   * there every "node" is the same instance — the contract (e.g. exactly-once) must hold anyway.
   */
  nodes(n: number): Promise<Stores[]>;
  /** Close everything this backend opened and delete its data. */
  dispose(): Promise<void>;
}

export type BackendFactory = () => Promise<Backend>;

function tracked(
  kind: Stores["kind"],
  where: string,
  openOne: () => Promise<Stores>,
  multiNode: boolean,
  cleanup: () => Promise<void>,
): Backend {
  const opened: Stores[] = [];
  const open = async () => {
    const s = await openOne();
    opened.push(s);
    return s;
  };
  return {
    kind,
    where,
    open,
    async nodes(n) {
      if (multiNode) return Promise.all(Array.from({ length: n }, open));
      const one = await open();
      return Array.from({ length: n }, () => one);
    },
    async dispose() {
      await Promise.all(opened.map((s) => s.close()));
      await cleanup();
    },
  };
}

export const embedded: BackendFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), "holdspace-embedded-"));
  return tracked(
    "embedded",
    dir,
    () => createEmbeddedStores({ dataDir: dir }),
    false,
    () => rm(dir, { recursive: true, force: true }),
  );
};

export const redis: BackendFactory = async () => {
  const url = inject("redisUrl");
  const prefix = freshPrefix("contract");
  return tracked(
    "redis",
    prefix,
    () => createRedisStores({ url, prefix }),
    true,
    async () => undefined,
  );
};

export const backends: ReadonlyArray<readonly [string, BackendFactory]> = [
  ["embedded", embedded],
  ["redis", redis],
];

/** Poll `check` until it returns a value other than undefined; fail after `timeoutMs`. Waits on a fact, not a fixed time. */
export async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

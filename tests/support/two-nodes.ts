import { beforeEach, afterEach, inject } from "vitest";
import { createApp } from "../../server/app.js";
import { seedProgram } from "../../server/demo/seed.js";
import { createRedisStores } from "../../server/stores/redis/index.js";
import type { Stores } from "../../server/stores/types.js";
import type { TestClient } from "./client.js";
import { mainCohort } from "./fixtures.js";
import { freshPrefix } from "./ids.js";
import { startNodeProcess, type NodeProcess } from "./node-process.js";
import { ClientPool } from "./pool.js";

export interface TwoNodes {
  /** The fixture tag of this test's seeded program (people, cohort, `live-<tag>` session). */
  readonly tag: string;
  /** This test's own stores on the same Redis, to read what the nodes wrote. */
  readonly stores: Stores;
  /** Node A (0) and node B (1), each its own OS process. */
  node(on: number): NodeProcess;
  /** A signed-in, connected client of a main-cohort person on node `on`, closed after the test. */
  connect(key: string, on: number, opts?: { reconnection?: boolean }): Promise<TestClient>;
}

/**
 * Registers the hooks for tests on two real server processes sharing one real Redis, as in
 * production behind a load balancer: a fresh prefix, the main cohort seeded through the same
 * domain code (then let go: the nodes read everything from Redis), and nodes A and B.
 */
export function useTwoNodes(label: string): TwoNodes {
  let tag = "";
  let stores: Stores | undefined;
  let nodes: NodeProcess[] = [];
  const pool = new ClientPool(() => ({ url: env.node(0).url, tag }));
  beforeEach(async () => {
    const prefix = freshPrefix(label);
    tag = prefix.replace(/[^a-z0-9]/gi, "").slice(-8);
    stores = await createRedisStores({ url: inject("redisUrl"), prefix });
    const seeder = createApp({ stores, timers: false });
    await seedProgram(seeder.services, mainCohort(tag));
    await seeder.close();
    nodes = await Promise.all(
      ["A", "B"].map((nodeId) => startNodeProcess({ redisUrl: inject("redisUrl"), prefix, nodeId })),
    );
  });
  afterEach(async () => {
    pool.closeAll();
    await Promise.all(nodes.map((n) => n.stop()));
    await stores?.close();
  });
  const env: TwoNodes = {
    get tag() {
      return tag;
    },
    get stores() {
      if (!stores) throw new Error("the stores are opened in beforeEach");
      return stores;
    },
    node(on) {
      const n = nodes[on];
      if (!n) throw new Error(`no node ${on}`);
      return n;
    },
    connect: (key, on, opts = {}) => pool.connect(key, mainCohort, env.node(on).url, opts),
  };
  return env;
}

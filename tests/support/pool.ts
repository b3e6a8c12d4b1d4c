import { afterEach, beforeEach } from "vitest";
import { ManualClock, startApp, type Running, type StoreKind } from "./harness.js";
import type { ProgramSpec } from "../../server/demo/seed.js";
import { TestClient, signIn } from "./client.js";
import { TEST_PASSWORD, mainCohort } from "./fixtures.js";

/** Signed-in test clients for one node's seeded people, closed together after each test. */
export class ClientPool {
  private readonly clients: TestClient[] = [];

  constructor(private readonly target: () => { url: string; tag: string }) {}

  async connect(
    key: string,
    cohort: (tag: string) => ProgramSpec = mainCohort,
    url?: string,
    opts: { reconnection?: boolean } = {},
  ): Promise<TestClient> {
    const { url: nodeUrl, tag } = this.target();
    const person = cohort(tag).people.find((p) => p.key === key);
    if (!person) throw new Error(`no person ${key} in the fixture`);
    const base = url ?? nodeUrl;
    const c = new TestClient(base, await signIn(base, person.email, TEST_PASSWORD), opts);
    this.clients.push(c);
    await c.connected();
    return c;
  }

  track(c: TestClient): TestClient {
    this.clients.push(c);
    return c;
  }

  closeAll(): void {
    for (const c of this.clients.splice(0)) c.close();
  }
}

/**
 * The usual set-up of a one-node test file: a pool on the node the test starts (`node = await
 * startApp(…)` inside each test), whose clients and node are closed after each test.
 */
export function usePool(target: () => { url: string; tag: string; stop(): Promise<void> } | undefined): ClientPool {
  const pool = new ClientPool(() => {
    const t = target();
    if (!t) throw new Error("start the node in the test before connecting");
    return t;
  });
  afterEach(async () => {
    pool.closeAll();
    await target()?.stop();
  });
  return pool;
}

/**
 * The set-up of a one-node test file with a moved clock: before each test a fresh node (its own
 * Redis prefix, or its own data dir) on a new ManualClock; after it, its clients and the node close.
 */
export interface ClockedNode {
  readonly node: Running & { tag: string };
  readonly clock: ManualClock;
  readonly pool: ClientPool;
}

export function useClockedNode(kind: StoreKind = "redis"): ClockedNode {
  let node: (Running & { tag: string }) | undefined;
  let clock: ManualClock | undefined;
  const pool = new ClientPool(() => {
    if (!node) throw new Error("start the node before connecting");
    return node;
  });
  beforeEach(async () => {
    clock = new ManualClock();
    node = await startApp(kind, { clock });
  });
  afterEach(async () => {
    pool.closeAll();
    await node?.stop();
  });
  const ctx: ClockedNode = {
    get node() {
      if (!node) throw new Error("the node starts before each test");
      return node;
    },
    get clock() {
      if (!clock) throw new Error("the clock is made before each test");
      return clock;
    },
    pool,
  };
  return ctx;
}

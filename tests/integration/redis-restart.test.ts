import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createServer, connect as tcpConnect, type Server, type Socket } from "node:net";
import { createApp } from "../../server/app.js";
import { seedProgram } from "../../server/demo/seed.js";
import { createRedisStores } from "../../server/stores/redis/index.js";
import type { SessionJoined } from "../../shared/protocol/events.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { freshPrefix } from "../support/ids.js";
import { startNodeProcess, type NodeProcess } from "../support/node-process.js";
import { startRedisServer, type RedisServer } from "../support/redis-server.js";

/**
 * The network between the node and Redis, as a TCP relay the test controls. `holdPublishes()`
 * stops forwarding on the connection that carries PUBLISH (the adapter's pub client), so a
 * broadcast is in flight — sent, unanswered — when Redis dies: what a Redis restart under load
 * does to some publishes, made certain instead of likely.
 */
class RedisRelay {
  private holding = false;
  private readonly pairs = new Set<{ down: Socket; up: Socket }>();
  private heldWaiters: (() => void)[] = [];
  heldPublishes = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(upstream: URL): Promise<RedisRelay> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const addr = server.address();
    if (addr === null || typeof addr === "string") throw new Error("no relay port");
    const relay = new RedisRelay(server, `redis://127.0.0.1:${addr.port}`);
    server.on("connection", (down) => relay.pipe(down, Number(upstream.port)));
    return relay;
  }

  holdPublishes(): void {
    this.holding = true;
  }

  /** New connections are relayed as usual (held bytes die with their connection). */
  release(): void {
    this.holding = false;
  }

  /** Resolves once a PUBLISH is held; bounded. */
  heldPublish(ms: number): Promise<void> {
    if (this.heldPublishes > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no PUBLISH reached the relay")), ms);
      this.heldWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private pipe(down: Socket, port: number): void {
    const up = tcpConnect(port, "127.0.0.1");
    const pair = { down, up };
    this.pairs.add(pair);
    let publisher = false;
    let held = false;
    down.on("data", (chunk: Buffer) => {
      // node-redis writes each command as RESP: `*3\r\n$7\r\nPUBLISH\r\n…`.
      publisher ||= chunk.includes("\r\nPUBLISH\r\n");
      if (held || (this.holding && publisher)) {
        if (!held) {
          held = true;
          this.heldPublishes += 1;
          for (const w of this.heldWaiters.splice(0)) w();
        }
        return; // swallowed: sent as far as the node can tell, never answered
      }
      up.write(chunk);
    });
    up.on("data", (chunk: Buffer) => down.write(chunk));
    const end = () => {
      this.pairs.delete(pair);
      down.destroy();
      up.destroy();
    };
    for (const s of [down, up]) {
      s.on("error", end);
      s.on("close", end);
    }
  }

  async close(): Promise<void> {
    for (const p of this.pairs) {
      p.down.destroy();
      p.up.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls a condition (bounded): for process output and HTTP status, which push no events. */
async function until(
  test: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  detail: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a Redis restart under a real server process", () => {
  let redis: RedisServer | undefined;
  let relay: RedisRelay | undefined;
  let node: NodeProcess | undefined;
  const clients: TestClient[] = [];
  let output = "";
  const prefix = freshPrefix("rr");
  const tag = prefix.replace(/[^a-z0-9]/gi, "").slice(-8);
  const sessionId = `live-${tag}`;

  beforeAll(async () => {
    // Its own Redis (AOF on, fsync always), not the suite's: this test kills it.
    redis = await startRedisServer();
    const stores = await createRedisStores({ url: redis.url, prefix });
    const seeder = createApp({ stores, timers: false });
    await seedProgram(seeder.services, mainCohort(tag));
    await seeder.close();
    await stores.close();
    relay = await RedisRelay.start(new URL(redis.url));
    node = await startNodeProcess({ redisUrl: relay.url, prefix, nodeId: "RR" });
    node.child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    node.child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    // A node stopping while Redis is down would wait on its Redis clients: bounded, then kill -9.
    if (node) {
      const stopped = node.stop().then(() => true);
      const late = new Promise<boolean>((r) => setTimeout(() => r(false), 10_000));
      if (!(await Promise.race([stopped, late]))) await node.kill9();
    }
    await relay?.close();
    await redis?.stop();
  });

  const connect = async (key: string): Promise<TestClient> => {
    if (!node) throw new Error("no node");
    const person = mainCohort(tag).people.find((p) => p.key === key);
    if (!person) throw new Error(`no ${key} in the fixture`);
    const c = new TestClient(node.url, await signIn(node.url, person.email, TEST_PASSWORD));
    clients.push(c);
    await c.connected();
    return c;
  };

  it("[LOG3] after a Redis restart (kill -9, back from its AOF) the node lives, serves /healthz 200 again, and left no rejection unhandled", async () => {
    if (!node || !redis || !relay) throw new Error("not started");
    const running = node;
    const alive = () => running.child.exitCode === null && running.child.signalCode === null;
    const fac = await connect("fac1");
    await fac.ok("session:join", { sessionId, since: null });
    const p1 = await connect("p1");
    const joined = await p1.ok<SessionJoined>("session:join", { sessionId, since: null });
    const p2 = await connect("p2");
    await p2.ok("session:join", { sessionId, since: null });

    // A broadcast in flight: its event is durable and acknowledged, its PUBLISH sent and unanswered.
    relay.holdPublishes();
    const inFlight = await p1.ok<{ seq: number }>("checkin:send", { id: randomUUID(), sessionId, status: "ok" });
    expect(inFlight.seq).toBeGreaterThan(joined.sync.head);
    await relay.heldPublish(5000);

    // Redis dies (kill -9) with the PUBLISH in flight.
    await redis.crash();
    relay.release();
    // While it is down: a command that cannot land, and a presence change (p2's tab closes).
    const down = await p1.send("checkin:send", { id: randomUUID(), sessionId, status: "struggling" });
    expect(down.ok).toBe(false);
    p2.close();

    // Back from its AOF: the node finds it again.
    await redis.restart();
    await until(
      async () => (await fetch(`${running.url}/healthz`).catch(() => null))?.status === 200,
      30_000,
      "/healthz 200 after the restart",
      () => output,
    );
    // And works: a check-in lands and reaches the facilitator.
    const after = await p1.ok<{ seq: number }>("checkin:send", { id: randomUUID(), sessionId, status: "ok" });
    await fac.until(() => fac.events.some((m) => m.event.seq === after.seq), 10_000, "the check-in after the restart");

    // The event acknowledged just before the crash came back with Redis's AOF [LOG3].
    const rejoined = await p1.ok<SessionJoined>("session:join", {
      sessionId,
      since: { epoch: joined.sync.epoch, seq: joined.sync.head },
    });
    expect(rejoined.sync.events.map((e) => e.seq)).toContain(inFlight.seq);

    // The lost PUBLISH was handled where it started, and said so with its code.
    await until(
      () => /adapter command failed|unhandled rejection/.test(output),
      15_000,
      "the lost PUBLISH to be reported",
      () => output,
    );
    const lines = output.split("\n");
    console.info(lines.filter((l) => /adapter|rejection/.test(l)).join("\n"));
    expect(alive()).toBe(true);
    expect(lines.filter((l) => l.includes("unhandled rejection"))).toEqual([]);
    expect(
      lines.some(
        (l) =>
          l.includes('"msg":"redis adapter command failed"') &&
          l.includes('"command":"PUBLISH"') &&
          l.includes('"error":"SocketClosedUnexpectedlyError"'),
      ),
    ).toBe(true);
  }, 90_000);
});

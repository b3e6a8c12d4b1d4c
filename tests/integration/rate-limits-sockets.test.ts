import { describe, expect, inject, it } from "vitest";
import { createClient } from "redis";
import { LIMITS, createCommandLimits } from "../../server/gateway/limits.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { startApp, type Running } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { stringMatching } from "../support/matchers.js";
import { usePool } from "../support/pool.js";
import { personTabs } from "./rate-limit-support.js";

type Node = Running & { tag: string };

/** Issue 8: at most LIMITS.socketsPerPerson sockets per person, counted across nodes. */
describe("the socket cap per person", () => {
  let node: Node;
  let second: Node | undefined;
  const pool = usePool(() => node);
  const { emailOf, tabs } = personTabs(pool, () => node);

  it("[AC1] [AC5] a person's 11th concurrent socket is refused at connect; closing one lets the next in", async () => {
    node = await startApp("redis");
    const open = await tabs("p1", LIMITS.socketsPerPerson);
    const cookie = await signIn(node.url, emailOf(mainCohort, "p1"), TEST_PASSWORD);
    const extra = pool.track(new TestClient(node.url, cookie));
    await expect(extra.connected()).rejects.toMatchObject({
      message: "RATE_LIMITED",
      data: { code: "RATE_LIMITED", message: stringMatching(/at most 10 at once/) },
    });
    // Another person is not affected.
    await tabs("p2", 1);
    const closed = open[0];
    if (!closed) throw new Error("no client");
    const id = closed.socket.id;
    closed.close();
    // The server's release follows the close; wait on it, not on time.
    await expect.poll(() => node.app.io.of("/").sockets.has(id ?? ""), { timeout: 5000 }).toBe(false);
    await expect
      .poll(
        async () => {
          const next = pool.track(new TestClient(node.url, cookie));
          return next.connected().then(
            () => true,
            () => false,
          );
        },
        { timeout: 5000 },
      )
      .toBe(true);
  });

  it("[AC1] the socket cap holds across nodes, and a dead node's sockets stop counting once its entry lapses", async () => {
    const prefix = freshPrefix("cap");
    node = await startApp("redis", { prefix, limits: { socketsPerPerson: 2 } });
    second = await startApp("redis", { prefix, limits: { socketsPerPerson: 2 }, seed: false });
    try {
      await tabs("p1", 1);
      const [onB] = await tabs("p1", 1, mainCohort, second.url);
      const cookie = await signIn(node.url, emailOf(mainCohort, "p1"), TEST_PASSWORD);
      await expect(pool.track(new TestClient(node.url, cookie)).connected()).rejects.toThrow("RATE_LIMITED");
      onB?.close();
      await expect
        .poll(
          async () =>
            pool
              .track(new TestClient(node.url, cookie))
              .connected()
              .then(
                () => true,
                () => false,
              ),
          { timeout: 5000 },
        )
        .toBe(true);
    } finally {
      await second.stop();
      second = undefined;
    }

    // A node that dies never releases nor refreshes: its sockets stop counting after socketTtlMs.
    const client = createClient({ url: inject("redisUrl") });
    client.on("error", () => undefined);
    await client.connect();
    try {
      let t = 1_000_000;
      const shared = freshPrefix("cap");
      const node = (): ReturnType<typeof createCommandLimits> =>
        createCommandLimits(
          { kind: "redis", client, prefix: shared },
          { now: () => t, settings: { socketsPerPerson: 2 } },
        );
      const dead = node();
      const alive = node();
      await dead.openSocket({ userId: "u1", socketId: "dead-1" });
      await alive.openSocket({ userId: "u1", socketId: "live-1" });
      await expect(alive.openSocket({ userId: "u1", socketId: "new" })).rejects.toMatchObject({ code: "RATE_LIMITED" });
      t += LIMITS.socketTtlMs - 1;
      await alive.refreshSockets([{ userId: "u1", socketId: "live-1" }]); // the live node keeps its sockets counted
      await expect(alive.openSocket({ userId: "u1", socketId: "new" })).rejects.toMatchObject({ code: "RATE_LIMITED" });
      t += 2; // the dead node's last word has lapsed; the live one's has not
      await alive.openSocket({ userId: "u1", socketId: "new" });
      await expect(alive.openSocket({ userId: "u1", socketId: "newer" })).rejects.toMatchObject({
        code: "RATE_LIMITED",
      });
    } finally {
      await client.close();
    }
  });
});

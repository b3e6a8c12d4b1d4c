import { afterEach, describe, expect, it } from "vitest";
import { runLiveChecks } from "../../server/jobs/live-checks.js";
import type { TestClient } from "../support/client.js";
import { mainCohort } from "../support/fixtures.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { ClientPool } from "../support/pool.js";

/**
 * Issue 9: a join never fails on the presence log. Logging the arrival is the room's record
 * [PR5], not the join's precondition: when it fails the person is still in the room, and the
 * session's reconcile, made due at once, logs the arrival.
 */
describe("joins and the presence log", () => {
  const nodes: Running[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const n of nodes.splice(0)) await n.stop();
  });

  describe.each(["embedded", "redis"] as const)("%s store", (kind: StoreKind) => {
    it("[PR5] a join whose arrival could not be logged succeeds, and the arrival is logged by the next round of checks", async () => {
      const n = await startApp(kind);
      nodes.push(n);
      const sessionId = `live-${n.tag}`;
      const p1Id =
        (await n.app.services.users.byEmail(mainCohort(n.tag).people.find((p) => p.key === "p1")?.email ?? ""))?.id ??
        "";
      const streams = n.app.services.streams;
      // The store refuses every "arrived" the moment presence tries to log it.
      const execute = streams.execute.bind(streams);
      let refused = 0;
      streams.execute = async (kind2, id, cmd, decide, opts) => {
        if (cmd.id.startsWith("$arrived")) {
          refused++;
          throw new Error("the store is having a moment");
        }
        return execute(kind2, id, cmd, decide, opts);
      };
      const pool = new ClientPool(() => n);
      const p1 = await pool.connect("p1");
      clients.push(p1);
      const join = await p1.send("session:join", { sessionId, since: null });
      expect(join.ok ? "ok" : join.error.code).toBe("ok");
      expect(refused).toBeGreaterThan(0);
      expect((await streams.state("session", sessionId)).inRoom).not.toContain(p1Id);
      // The store is back: the round of checks that finds the session due logs the arrival.
      streams.execute = execute;
      await runLiveChecks(n.app.services);
      expect((await streams.state("session", sessionId)).inRoom).toContain(p1Id);
    });
  });
});

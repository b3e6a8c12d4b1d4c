import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { isHidden, streamName } from "../../shared/log.js";
import { decideCheckin } from "../../shared/domain/session.js";
import type { StreamHeadMessage, SyncResult } from "../../shared/protocol/events.js";
import { systemClock } from "../../server/clock.js";
import { StreamService, clientKey } from "../../server/domain/stream-service.js";
import type { TestClient } from "../support/client.js";
import { mainCohort } from "../support/fixtures.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { ClientPool } from "../support/pool.js";

/**
 * Issue 9: a retried command is answered but not broadcast again (a retry storm past the knee
 * doubled deliveries), and the room is told the stream's head instead, so a follower that missed
 * the first broadcast — its node died between append and broadcast — still catches up [LIVE6].
 */
describe("retries and fan-out", () => {
  const nodes: Running[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const n of nodes.splice(0)) await n.stop();
  });

  const heads = (c: TestClient, stream: string): StreamHeadMessage[] =>
    c.received.flatMap((r) =>
      r.name === "stream:head" &&
      typeof r.payload === "object" &&
      r.payload !== null &&
      "stream" in r.payload &&
      r.payload.stream === stream &&
      "seq" in r.payload &&
      typeof r.payload.seq === "number" &&
      "epoch" in r.payload &&
      typeof r.payload.epoch === "string"
        ? [{ stream: r.payload.stream, seq: r.payload.seq, epoch: r.payload.epoch }]
        : [],
    );

  describe.each(["embedded", "redis"] as const)("%s store", (kind: StoreKind) => {
    async function room(): Promise<{
      n: Running & { tag: string };
      sessionId: string;
      fac: TestClient;
      p1: TestClient;
    }> {
      const n = await startApp(kind);
      nodes.push(n);
      const pool = new ClientPool(() => n);
      const sessionId = `live-${n.tag}`;
      const [fac, p1] = [await pool.connect("fac1"), await pool.connect("p1")];
      clients.push(fac, p1);
      for (const c of [fac, p1]) await c.ok("session:join", { sessionId, since: null });
      return { n, sessionId, fac, p1 };
    }

    it("[LOG2] a retried check-in gets its first answer; the facilitator gets the event once and then only the head", async () => {
      const { sessionId, fac, p1 } = await room();
      const stream = streamName("session", sessionId);
      const id = randomUUID();
      const first = await p1.ok<{ seq: number }>("checkin:send", { id, sessionId, status: "ok" });
      await fac.until(() => fac.events.some((m) => m.event.seq === first.seq), 5000, "the check-in");
      const again = await p1.ok<{ seq: number }>("checkin:send", { id, sessionId, status: "ok" });
      expect(again.seq).toBe(first.seq);
      await fac.until(() => heads(fac, stream).some((h) => h.seq === first.seq), 5000, "the head after the retry");
      expect(fac.events.filter((m) => m.stream === stream && m.event.seq === first.seq)).toHaveLength(1);
    });

    it("[LIVE6] a need_support check-in whose node died before broadcasting it reaches the facilitator through the participant's retry", async () => {
      const { n, sessionId, fac, p1 } = await room();
      const stream = streamName("session", sessionId);
      const p1Id =
        (await n.app.services.users.byEmail(mainCohort(n.tag).people.find((p) => p.key === "p1")?.email ?? ""))?.id ??
        "";
      expect(p1Id).not.toBe("");
      // "The first node": it appended the check-in (same person, same command id) and died
      // before its broadcast — another StreamService on the same log, with no fan-out at all.
      const id = randomUUID();
      const dead = new StreamService(n.stores.log, systemClock);
      const appended = await dead.execute("session", sessionId, clientKey(p1Id, "checkin:send", id), (st) =>
        decideCheckin(st, { id, status: "need_support" }, { userId: p1Id, role: "participant" }),
      );
      const seq = appended.events[0]?.seq ?? 0;
      expect(seq).toBeGreaterThan(0);
      const before = fac.events.length;
      // The phone never got its ack, so it sends the same command again, to a live node.
      const retry = await p1.ok<{ seq: number }>("checkin:send", { id, sessionId, status: "need_support" });
      expect(retry.seq).toBe(seq);
      await fac.until(() => heads(fac, stream).some((h) => h.seq >= seq), 5000, "the head of the session");
      // Nothing was re-sent as an event; the head is what tells the facilitator's client to sync.
      expect(fac.events.slice(before).some((m) => m.event.seq === seq)).toBe(false);
      const sync = await fac.ok<SyncResult>("stream:sync", { stream, epoch: null, seq: seq - 1 });
      const alert = sync.events.find((e) => e.seq === seq);
      expect(alert && !isHidden(alert) ? alert.data["alert"] : null).toEqual(expect.anything());
    });
  });
});

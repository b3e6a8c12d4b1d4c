import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { streamName, isHidden } from "../../shared/log.js";
import { pendingAlerts } from "../../shared/domain/alerts.js";
import { seedProgram, type ProgramSpec } from "../../server/demo/seed.js";
import { decideCheckin } from "../../shared/domain/session.js";
import { systemClock } from "../../server/clock.js";
import { StreamService, clientKey } from "../../server/domain/stream-service.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { ClientPool } from "../support/pool.js";

/**
 * Issue 8, findings 2 and 4: the write path under a second writer. Each test puts another writer
 * where the old path lost or refused work — between a command's decision and its append, and 25
 * people answering at one instant on two nodes — and checks what was acknowledged is whole.
 */
describe("write path with a second writer", () => {
  const nodes: Running[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const n of nodes.splice(0)) await n.stop();
  });

  async function node(
    kind: StoreKind,
    opts: { prefix?: string; seed?: boolean } = {},
  ): Promise<Running & { tag: string }> {
    const n = await startApp(kind, opts);
    nodes.push(n);
    return n;
  }

  describe.each(["embedded", "redis"] as const)("%s store", (kind) => {
    /** Another node's write path on the same store: its own StreamService, its own queue. */
    async function secondWriter(n: Running & { tag: string }, key: string): Promise<() => Promise<void>> {
      const other = new StreamService(n.stores.log, systemClock);
      const sessionId = `live-${n.tag}`;
      const userId =
        (await n.app.services.users.byEmail(mainCohort(n.tag).people.find((p) => p.key === key)?.email ?? ""))?.id ??
        "";
      return async () => {
        const id = randomUUID();
        await other.execute("session", sessionId, clientKey(userId, "checkin:send", id), (st) =>
          decideCheckin(st, { id, status: "ok" }, { userId, role: "participant" }),
        );
      };
    }

    /** Runs `writer` once, right after the first append whose batch mentions `marker` resolved. */
    function between(n: Running, marker: string, writer: () => Promise<void>): { ran: () => boolean } {
      const log = n.stores.log;
      const append = log.append.bind(log);
      let ran = false;
      log.append = async (stream, batch, guard) => {
        const result = await append(stream, batch, guard);
        if (!ran && JSON.stringify(batch).includes(marker)) {
          ran = true;
          await writer();
        }
        return result;
      };
      return { ran: () => ran };
    }

    it("[LOG1] [LIVE6] a need_support check-in with another writer's check-in landing between its decision and its append is acknowledged with its alert", async () => {
      const n = await node(kind);
      const pool = new ClientPool(() => n);
      const sessionId = `live-${n.tag}`;
      const [fac, p1] = [await pool.connect("fac1"), await pool.connect("p1")];
      clients.push(fac, p1);
      for (const c of [fac, p1]) await c.ok("session:join", { sessionId, since: null });
      // The second writer (another node, another participant) lands the moment p1's check-in has
      // been written — or its first part, on a path that wrote one command as several appends.
      const hook = between(n, "need_support", await secondWriter(n, "p2"));
      const reply = await p1.send<{ seq: number }>("checkin:send", {
        id: randomUUID(),
        sessionId,
        status: "need_support",
      });
      expect(reply.ok ? "ok" : reply.error.code).toBe("ok");
      expect(hook.ran()).toBe(true);
      const state = await n.app.services.streams.state("session", sessionId);
      expect(state.checkinCount).toBe(2);
      const p1Id = (
        await n.app.services.users.byEmail(mainCohort(n.tag).people.find((p) => p.key === "p1")?.email ?? "")
      )?.id;
      expect(
        pendingAlerts(state.live.alerts)
          .filter((a) => a.kind === "support")
          .map((a) => a.participantId),
      ).toEqual([p1Id]);
      // What reached the facilitator carries the alert too.
      await fac.until(
        () =>
          fac.events.some(
            (m) =>
              !isHidden(m.event) && m.event.type === "checkin.recorded" && typeof m.event.data["alert"] === "string",
          ),
        5000,
        "the need_support check-in with its alert",
      );
    });

    it("[LIVE8] [LOG1] an alarming reading with another writer between its decision and its append lands with its alert", async () => {
      const n = await node(kind);
      const pool = new ClientPool(() => n);
      const sessionId = `live-${n.tag}`;
      const fac = await pool.connect("fac1");
      clients.push(fac);
      await fac.ok("session:join", { sessionId, since: null });
      const p1Id =
        (await n.app.services.users.byEmail(mainCohort(n.tag).people.find((p) => p.key === "p1")?.email ?? ""))?.id ??
        "";
      const hook = between(n, "vitals.recorded", await secondWriter(n, "p2"));
      const reply = await fac.send<{ seq: number; alert: boolean }>("vitals:record", {
        id: randomUUID(),
        sessionId,
        participantId: p1Id,
        systolic: 190,
        diastolic: 100,
        heartRate: 90,
      });
      expect(reply.ok ? reply.data.alert : reply.error.code).toBe(true);
      expect(hook.ran()).toBe(true);
      const state = await n.app.services.streams.state("session", sessionId);
      expect(pendingAlerts(state.live.alerts).map((a) => [a.kind, a.participantId])).toEqual([["vitals", p1Id]]);
    });
  });

  /** A cohort as large as a group session may be [SCH5]: 25 participants, 2 facilitators. */
  function roomOf(tag: string): ProgramSpec {
    const person = (key: string, role: "admin" | "facilitator" | "participant") => ({
      key,
      role,
      name: `${key} ${tag}`,
      email: `${key}.${tag}@example.test`,
    });
    return {
      programId: `burst-prog-${tag}`,
      programName: "Burst program",
      zone: "America/Los_Angeles",
      cohortId: `burst-${tag}`,
      cohortName: "Full room",
      capacity: 25,
      password: TEST_PASSWORD,
      liveSession: { id: `burst-live-${tag}`, title: "Full room dosing day" },
      people: [
        person("badmin", "admin"),
        person("bf1", "facilitator"),
        person("bf2", "facilitator"),
        ...Array.from({ length: 25 }, (_, i) => person(`bp${i}`, "participant")),
      ],
    };
  }

  it("[LIVE5] [LIVE6] 25 participants on two nodes checking in at one instant, 5 needing support: 25 acks, no CONFLICT, 5 alerts, both facilitators see all 25 within 1 s", async () => {
    const prefix = freshPrefix("burst");
    const a = await node("redis", { prefix, seed: false });
    const b = await node("redis", { prefix, seed: false });
    const spec = roomOf(a.tag);
    await seedProgram(a.app.services, spec);
    const sessionId = spec.liveSession?.id ?? "";
    const connect = async (key: string, url: string): Promise<TestClient> => {
      const email = spec.people.find((p) => p.key === key)?.email ?? "";
      const c = new TestClient(url, await signIn(url, email, TEST_PASSWORD));
      clients.push(c);
      await c.connected();
      await c.ok("session:join", { sessionId, since: null });
      return c;
    };
    const facs = [await connect("bf1", a.url), await connect("bf2", b.url)];
    const people: TestClient[] = [];
    for (let i = 0; i < 25; i++) people.push(await connect(`bp${i}`, i % 2 === 0 ? a.url : b.url));
    const seen = (f: TestClient) =>
      f.events.filter(
        (m) =>
          m.stream === streamName("session", sessionId) && !isHidden(m.event) && m.event.type === "checkin.recorded",
      ).length;
    const before = facs.map(seen);

    const started = performance.now();
    const replies = await Promise.all(
      people.map((c, i) =>
        c.send<{ seq: number }>("checkin:send", {
          id: randomUUID(),
          sessionId,
          status: i % 5 === 0 ? "need_support" : "ok",
          intensity: 3,
        }),
      ),
    );
    const acked = performance.now() - started;
    const codes = replies.map((r) => (r.ok ? "ok" : r.error.code));
    console.log(
      `burst: acks=${codes.filter((c) => c === "ok").length} conflicts=${codes.filter((c) => c === "CONFLICT").length} last_ack_ms=${acked.toFixed(0)}`,
    );
    expect(codes.filter((c) => c !== "ok")).toEqual([]);
    await Promise.all(facs.map((f, i) => f.until(() => seen(f) - (before[i] ?? 0) >= 25, 5000, "all 25 check-ins")));
    const allSeen = performance.now() - started;
    console.log(`burst: all_seen_ms=${allSeen.toFixed(0)}`);
    const state = await a.app.services.streams.state("session", sessionId);
    expect(pendingAlerts(state.live.alerts).filter((x) => x.kind === "support")).toHaveLength(5);
    expect(state.checkinCount).toBe(25);
    expect(allSeen).toBeLessThan(1000);
  });
});

import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { createClient } from "redis";
import { streamName } from "../../shared/log.js";
import { LIMITS, createCommandLimits } from "../../server/gateway/limits.js";
import { signIn, type TestClient } from "../support/client.js";
import { TEST_PASSWORD, mainCohort, otherCohort } from "../support/fixtures.js";
import { startApp, type Running } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { usePool } from "../support/pool.js";
import { codeOf, p99, personTabs, startFlooder } from "./rate-limit-support.js";

type Node = Running & { tag: string };

/**
 * Issue 8, finding 5: one socket flooding commands made another program's check-in acks go from
 * 7 ms to 4 s. Limits per socket (node memory) and per person (Redis when the stores are) refuse
 * the flood with RATE_LIMITED; asking for help is never refused.
 */
describe("command limits per socket and per person", () => {
  let node: Node;
  let second: Node | undefined;
  const pool = usePool(() => node);
  const { emailOf, tabs } = personTabs(pool, () => node);

  it("[AC5] [LIVE5] [LIVE6] a socket flooding check-ins gets RATE_LIMITED, then is cut off; another program's check-ins stay fast and the flooder's own 'I need support' lands", async () => {
    node = await startApp("redis");
    const session = `live-${node.tag}`;
    const otherSession = `other-live-${node.tag}`;
    // Three tabs of the other program's participant: 70 quick check-ins are more than one tab's budget.
    const others = await tabs("op1", 3, otherCohort);
    // The flooding person's phone, next to the hostile tab.
    const [phone] = await tabs("p1", 1);
    if (!phone) throw new Error("no client");
    const measure = async (n: number) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const c = others[i % others.length];
        if (!c) throw new Error("no client");
        const t0 = performance.now();
        const ack = await c.send<{ seq: number }>("checkin:send", {
          id: randomUUID(),
          sessionId: otherSession,
          status: "ok",
          intensity: i % 11,
        });
        expect(codeOf(ack)).toBe("ok");
        ms.push(performance.now() - t0);
      }
      return ms;
    };
    const before = await measure(20);

    const cookie = await signIn(node.url, emailOf(mainCohort, "p1"), TEST_PASSWORD);
    const flooder = startFlooder({ url: node.url, cookie, sessionId: session });
    try {
      await flooder.flooding;
      // [LIVE6] Mid-flood, the same person asks for help from their phone, both ways.
      const safety = Promise.all([
        phone.send("support:request", { id: randomUUID(), sessionId: session }),
        phone.send("checkin:send", { id: randomUUID(), sessionId: session, status: "need_support" }),
      ]);
      const during = await measure(50);
      const result = await flooder.finish();
      const limited = result.codes.RATE_LIMITED ?? 0;
      const accepted = result.codes.ok ?? 0;
      const otherP99 = p99(during);
      // Admitted flood commands may still be running (their acks were lost with the cut-off): let
      // them land before counting and before the node stops. Facts: the flooder's sockets are
      // gone (everything they sent was received), then the log's head holds still between reads.
      const stream = streamName("session", session);
      await expect.poll(() => node.app.io.of("/").sockets.size, { timeout: 10_000 }).toBe(others.length + 1);
      let head = -1;
      const headHoldsStill = async () => {
        const seq = (await node.stores.log.head(stream)).seq;
        const still = seq === head;
        head = seq;
        return still;
      };
      await expect.poll(headHoldsStill, { timeout: 10_000, interval: 250 }).toBe(true);
      // What the flood wrote, from the log.
      const logged = (await node.stores.log.read(stream, 0, 20_000)).events;
      const landed = logged.filter((e) => e.type === "checkin.recorded" && e.data.status === "ok").length;
      console.log(
        `rate-limit: flood_sent=${result.sent} flood_limited=${limited} flood_acked_ok=${accepted} flood_landed=${landed} flood_dropped=${result.codes.DROPPED ?? 0} ` +
          `flood_connections=${result.connects} flood_cut_off=${result.disconnects} flood_connect_refused=${result.connectErrors.length} flood_ms=${result.ms} ` +
          `other_p99_ms_before=${p99(before).toFixed(1)} other_p99_ms=${otherP99.toFixed(1)} other_max_ms=${Math.max(...during).toFixed(1)}`,
      );

      expect(limited).toBeGreaterThanOrEqual(LIMITS.disconnectAfterRefusals);
      expect(result.disconnects).toBeGreaterThanOrEqual(1);
      // However often it reconnects, the person's budget holds: 40 a second plus a burst of 40.
      const person = LIMITS.commands.person;
      expect(Math.max(accepted, landed)).toBeLessThanOrEqual(
        person.burst + person.points * Math.ceil(result.ms / 1000 + 1),
      );
      expect(result.sample?.message).toMatch(/Too many requests on this connection/);
      expect(Number(result.sample?.fields?.retryAfterMs)).toBeGreaterThan(0);
      // The number is 100 ms. On two shared cores with other suites running, the p99 before
      // the flood alone was 18–157 ms and 250 ms flaked about one run in five, so the bound is 250 ms
      // or four times the machine's own p99, whichever is larger. Without limits: the 10 s timeout.
      expect(otherP99).toBeLessThan(Math.max(250, 4 * p99(before)));
      expect((await safety).map(codeOf)).toEqual(["ok", "ok"]);
    } finally {
      await flooder.stop();
    }
  });

  it("[LIVE6] safety commands on the flooding socket itself are never refused", async () => {
    node = await startApp("redis");
    const [p1] = await tabs("p1", 1);
    if (!p1) throw new Error("no client");
    const session = `live-${node.tag}`;
    const flood = Array.from({ length: 150 }, (_, i) =>
      p1.send("checkin:send", { id: randomUUID(), sessionId: session, status: "ok", intensity: i % 11 }),
    );
    const help = [
      p1.send("support:request", { id: randomUUID(), sessionId: session }),
      p1.send("checkin:send", { id: randomUUID(), sessionId: session, status: "need_support" }),
    ];
    expect((await Promise.all(flood)).map(codeOf)).toContain("RATE_LIMITED");
    expect((await Promise.all(help)).map(codeOf)).toEqual(["ok", "ok"]);
  });

  it("[LIVE6] 'I need support' is never refused: a burst of need_support check-ins is run one at a time, all acknowledged", async () => {
    node = await startApp("redis");
    const [p2] = await tabs("p2", 1);
    if (!p2) throw new Error("no client");
    const session = `live-${node.tag}`;
    const acks = await Promise.all(
      Array.from({ length: 60 }, () =>
        p2.send("checkin:send", { id: randomUUID(), sessionId: session, status: "need_support" }),
      ),
    );
    const presses = await Promise.all(
      Array.from({ length: 30 }, () => p2.send("support:request", { id: randomUUID(), sessionId: session })),
    );
    expect([...acks, ...presses].map(codeOf).filter((c) => c !== "ok")).toEqual([]);
    // Ordinary check-ins still spend their own budget.
    const plain = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        p2.send("checkin:send", { id: randomUUID(), sessionId: session, status: "ok", intensity: i % 11 }),
      ),
    );
    expect(plain.map(codeOf)).toContain("RATE_LIMITED");
  });

  it("[AC5] a socket that piles up safety commands past the queue limit is disconnected (a phone sends one at a time)", async () => {
    node = await startApp("redis", {
      limits: { safety: { socket: { points: 1, durationS: 60, burst: 1, burstDurationS: 60 } }, safetyQueueMax: 5 },
    });
    const [p3] = await tabs("p3", 1);
    if (!p3) throw new Error("no client");
    const gone = new Promise<string>((resolve) => p3.socket.once("disconnect", (reason) => resolve(reason)));
    for (let i = 0; i < 40; i++) p3.socket.emit("support:request", { id: randomUUID(), sessionId: `live-${node.tag}` });
    expect(await gone).toBe("io server disconnect");
  });

  it("[AC5] two nodes on one Redis share one count per person", async () => {
    const prefix = freshPrefix("rl");
    // Small numbers and long windows, so the count cannot reset in the middle of the test.
    const limits = {
      commands: {
        socket: { points: 100, durationS: 60, burst: 1, burstDurationS: 60 },
        person: { points: 10, durationS: 60, burst: 1, burstDurationS: 60 },
      },
    };
    node = await startApp("redis", { prefix, limits });
    second = await startApp("redis", { prefix, limits, seed: false });
    try {
      const [onA] = await tabs("p1", 1);
      const [onB] = await tabs("p1", 1, mainCohort, second.url);
      if (!onA || !onB) throw new Error("no client");
      const session = `live-${node.tag}`;
      const send = (c: TestClient) => c.send("checkin:send", { id: randomUUID(), sessionId: session, status: "ok" });
      const acks = await Promise.all(Array.from({ length: 10 }, () => [send(onA), send(onB)]).flat());
      // 10 + a burst of 1 for the person, wherever the sockets are; per-node counting would accept all 20.
      expect(acks.filter((a) => a.ok)).toHaveLength(11);
      const refused = acks.filter((a) => !a.ok);
      expect(refused.map(codeOf)).toEqual(Array.from({ length: 9 }, () => "RATE_LIMITED"));
      expect(refused[0]?.ok === false && refused[0].error.message).toMatch(/your account/);
    } finally {
      await second.stop();
      second = undefined;
    }
  });
});

/** The limiter alone, against a Redis connection that goes away. */
describe("command limits when their store fails", () => {
  it("[AC5] when the limiter's Redis fails, commands go through (fail open) and a warning names the error code", async () => {
    const client = createClient({ url: inject("redisUrl") });
    client.on("error", () => undefined);
    await client.connect();
    const warnings: string[] = [];
    const logger = {
      info: () => undefined,
      error: () => undefined,
      warn: (msg: string, f?: Record<string, unknown>) => warnings.push(`${msg} ${JSON.stringify(f)}`),
    };
    const limits = createCommandLimits(
      { kind: "redis", client, prefix: freshPrefix("down") },
      {
        logger,
        settings: {
          commands: {
            socket: { points: 100, durationS: 60, burst: 1, burstDurationS: 60 },
            person: { points: 1, durationS: 60, burst: 1, burstDurationS: 60 },
          },
        },
      },
    );
    const who = { userId: "u1", socketId: "s1" };
    expect(await limits.admit(who, "checkin:send", {})).toBe("run");
    await client.close(); // the store is gone
    for (let i = 0; i < 5; i++) expect(await limits.admit(who, "checkin:send", {})).toBe("run");
    await limits.openSocket(who);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/fail open/);
    expect(warnings[0]).toMatch(/"error":\{"id":"\w+"\}/);
  });
});

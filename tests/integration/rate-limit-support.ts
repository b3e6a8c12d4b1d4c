import { Worker } from "node:worker_threads";
import { z } from "zod";
import type { Ack } from "../../shared/protocol/errors.js";
import type { ProgramSpec } from "../../server/demo/seed.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import type { ClientPool } from "../support/pool.js";

/** What the rate-limit tests drive a node with: a flooding worker, and many tabs of one person. */

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
  sample: z
    .object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() })
    .nullable(),
  connects: z.number(),
  disconnects: z.number(),
  connectErrors: z.array(z.string()),
});
type FloodReport = z.infer<typeof FloodReport>;

export function startFlooder(target: { url: string; cookie: string; sessionId: string }) {
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

export const p99 = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? NaN;
};
export const codeOf = (a: Ack<unknown>) => (a.ok ? "ok" : a.error.code);

/** Sockets of the node's seeded people: one sign-in, then `n` tabs, each closed with the pool. */
export function personTabs(pool: ClientPool, node: () => { url: string; tag: string }) {
  const emailOf = (cohort: (tag: string) => ProgramSpec, key: string, tag = node().tag) =>
    cohort(tag).people.find((p) => p.key === key)?.email ?? "";
  /** One sign-in, then `n` sockets (tabs) of that person on `url`. */
  const tabs = async (key: string, n: number, cohort = mainCohort, url = node().url) => {
    const cookie = await signIn(url, emailOf(cohort, key), TEST_PASSWORD);
    const out: TestClient[] = [];
    for (let i = 0; i < n; i++) {
      const c = pool.track(new TestClient(url, cookie));
      await c.connected();
      out.push(c);
    }
    return out;
  };
  return { emailOf, tabs };
}

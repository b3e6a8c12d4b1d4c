import { monitorEventLoopDelay } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import { Envelope, dist, round, type Person, type Request, type Room } from "./protocol.js";

/**
 * The bench's load generator, in its own process: real socket.io-client connections, one per
 * person, signed in over HTTP. Every time is taken with this process's clock: a check-in's send
 * time is kept in memory by its command id, and its latency is computed when that id arrives as
 * a `stream:event` on each facilitator's socket. Driven by tests/bench/run.ts over IPC.
 */

const ACK_TIMEOUT_MS = 5_000;
const MAX_ATTEMPTS = 3;
const JOIN_ATTEMPTS = 6;
const CONNECT_TIMEOUT_MS = 10_000;
const DRAIN_MS = 3_000;
/** What a phone would retry with the same id (protocol.md); everything else is final. */
const RETRYABLE = new Set(["CONFLICT", "UNAVAILABLE", "RATE_LIMITED", "TIMEOUT", "DISCONNECTED"]);

const AckReply = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
const StreamEventMsg = z.object({ stream: z.string(), event: z.object({ id: z.string().optional(), seq: z.number() }) });
const SyncPage = z.object({ epoch: z.string().nullable(), head: z.number(), more: z.boolean(), events: z.array(z.object({ seq: z.number() })) });
const JoinData = z.object({ sync: SyncPage });

interface Member {
  person: Person;
  cookie: string | null;
  socket: Socket | null;
  /** Index among the room's facilitators, -1 for participants. */
  facIndex: number;
}

interface Track {
  t0: number;
  room: number;
  phase: string;
  /** Deliveries per facilitator of the room. */
  seen: number[];
  firstAt: number[];
  ackAt: number | null;
  failed: boolean;
}

interface PhaseStats {
  errors: Record<string, number>;
  retries: number;
}

type Outcome = { ok: true; data: unknown } | { ok: false; code: string };

let mode: "relay" | "holdspace" = "holdspace";
let urls: string[] = [];
let password = "";
let rooms: Room[] = [];
let members: Member[] = [];
let roomFacs: Member[][] = [];
let roomParts: Member[][] = [];
const tracks = new Map<string, Track>();
let commandNo = 0;
const nonce = Math.random().toString(36).slice(2, 8);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const count = (rec: Record<string, number>, key: string) => (rec[key] = (rec[key] ?? 0) + 1);

async function emitAck(socket: Socket | null, name: string, payload: unknown, ms = ACK_TIMEOUT_MS): Promise<Outcome> {
  if (!socket || !socket.connected) return { ok: false, code: "DISCONNECTED" };
  let raw: unknown;
  try {
    raw = await socket.timeout(ms).emitWithAck(name, payload);
  } catch {
    return { ok: false, code: socket.connected ? "TIMEOUT" : "DISCONNECTED" };
  }
  const r = AckReply.safeParse(raw);
  if (!r.success) return { ok: false, code: "BAD_REPLY" };
  return r.data.ok ? { ok: true, data: r.data.data } : { ok: false, code: r.data.error.code };
}

/** `fn` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let guard = 0; guard <= items.length && next < items.length; guard++) {
      const i = next++;
      const item = items[i];
      if (item !== undefined) await fn(item, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function urlOf(p: Person, list = urls): string {
  return list[p.slot % list.length] ?? list[0] ?? "";
}

async function signIn(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }), signal: AbortSignal.timeout(30_000) });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`sign-in refused with HTTP ${res.status}`);
  const cookie = res.headers.get("set-cookie");
  if (!cookie) throw new Error("sign-in gave no session cookie");
  return cookie.split(";")[0] ?? "";
}

function openSocket(url: string, cookie: string | null): Promise<Socket> {
  const socket = io(url, { transports: ["websocket"], extraHeaders: cookie ? { cookie } : {}, reconnection: false, forceNew: true, timeout: CONNECT_TIMEOUT_MS });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("connect timed out"));
    }, CONNECT_TIMEOUT_MS + 1000);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("connect_error", (err: Error) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect refused: ${err.message.slice(0, 40)}`));
    });
  });
}

function listenForDeliveries(m: Member, socket: Socket): void {
  socket.on("stream:event", (msg: unknown) => {
    const at = performance.now();
    const parsed = StreamEventMsg.safeParse(msg);
    if (!parsed.success || parsed.data.event.id === undefined) return;
    const t = tracks.get(parsed.data.event.id);
    if (!t || t.room !== m.person.room) return;
    const i = m.facIndex;
    const seen = t.seen[i] ?? 0;
    t.seen[i] = seen + 1;
    if (seen === 0) t.firstAt[i] = at;
  });
}

async function join(socket: Socket, sessionId: string, errors: Record<string, number>): Promise<Outcome> {
  let last: Outcome = { ok: false, code: "NOT_TRIED" };
  for (let attempt = 1; attempt <= JOIN_ATTEMPTS; attempt++) {
    last = await emitAck(socket, "session:join", { sessionId, since: null }, 10_000);
    if (last.ok) return last;
    count(errors, last.code);
    if (!RETRYABLE.has(last.code)) return last;
    await sleep(100 * attempt);
  }
  return last;
}

/** Send one check-in, retrying with the same id as a phone would; the send time is the first attempt's. */
async function checkin(m: Member, id: string, phase: string, stats: PhaseStats, ackMs: number[]): Promise<void> {
  const room = rooms[m.person.room];
  if (!room) return;
  const facs = roomFacs[m.person.room]?.length ?? 0;
  const t: Track = { t0: performance.now(), room: m.person.room, phase, seen: new Array<number>(facs).fill(0), firstAt: new Array<number>(facs).fill(0), ackAt: null, failed: false };
  tracks.set(id, t);
  const payload = { id, sessionId: room.sessionId, status: "ok", intensity: commandNo++ % 11 };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const r = await emitAck(m.socket, "checkin:send", payload);
    if (r.ok) {
      t.ackAt = performance.now();
      ackMs.push(t.ackAt - t.t0);
      return;
    }
    count(stats.errors, r.code);
    if (!RETRYABLE.has(r.code) || attempt === MAX_ATTEMPTS) break;
    stats.retries++;
    await sleep(50 * attempt);
  }
  t.failed = true;
}

function complete(t: Track): boolean {
  return t.seen.every((s) => s > 0);
}

/** Wait (bounded) until every acknowledged check-in of `phase` reached every facilitator. */
async function drain(phase: readonly Track[]): Promise<void> {
  const deadline = performance.now() + DRAIN_MS;
  while (performance.now() < deadline) {
    if (phase.every((t) => t.ackAt === null || complete(t))) return;
    await sleep(20);
  }
}

function phaseTracks(phase: string): Track[] {
  const out: Track[] = [];
  for (const t of tracks.values()) if (t.phase === phase) out.push(t);
  return out;
}

function lostAndDup(list: readonly Track[]): { lost: number; dup: number; expected: number; deliveries: number } {
  let lost = 0;
  let dup = 0;
  let expected = 0;
  let deliveries = 0;
  for (const t of list) {
    for (const s of t.seen) {
      if (s > 0) deliveries++;
      if (s > 1) dup += s - 1;
      if (t.ackAt !== null) {
        expected++;
        if (s === 0) lost++;
      }
    }
  }
  return { lost, dup, expected, deliveries };
}

async function step(label: string, rate: number, durationMs: number) {
  const participants = roomParts.filter((_, i) => rooms[i]?.group === "main");
  // Round robin across rooms, then across the participants of each room.
  const order: Member[] = [];
  const depth = Math.max(0, ...participants.map((p) => p.length));
  for (let j = 0; j < depth; j++) for (const list of participants) {
      const m = list[j];
      if (m) order.push(m);
    }
  if (order.length === 0) throw new Error("no participants connected");
  const stats: PhaseStats = { errors: {}, retries: 0 };
  const ackMs: number[] = [];
  const pending: Promise<void>[] = [];
  const total = Math.floor((rate * durationMs) / 1000);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let sent = 0;
  for (let tick = 0; tick < durationMs + 5000 && sent < total; tick++) {
    const elapsed = performance.now() - start;
    if (elapsed > durationMs + 2000) break;
    const due = Math.min(total, Math.floor((rate * elapsed) / 1000)) - sent;
    for (let k = 0; k < Math.min(due, 1000); k++) {
      const m = order[sent % order.length];
      if (m) pending.push(checkin(m, `b.${nonce}.${label}.${sent}`, label, stats, ackMs));
      sent++;
    }
    await sleep(2);
  }
  const sendWindow = performance.now() - start;
  await Promise.all(pending);
  const list = phaseTracks(label);
  await drain(list);
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  const latencies: number[] = [];
  let lastDelivery = start;
  for (const t of list) {
    t.seen.forEach((s, i) => {
      const at = t.firstAt[i] ?? 0;
      latencies.push(s > 0 ? at - t.t0 : Infinity);
      if (s > 0 && at > lastDelivery) lastDelivery = at;
    });
  }
  const ld = lostAndDup(list);
  return {
    label,
    rate,
    durationMs,
    wallMs: round(wallMs),
    sent,
    acked: list.filter((t) => t.ackAt !== null).length,
    failed: list.filter((t) => t.failed).length,
    retries: stats.retries,
    errors: stats.errors,
    expectedDeliveries: ld.expected,
    deliveries: ld.deliveries,
    lost: ld.lost,
    dup: ld.dup,
    latency: dist(latencies),
    ack: dist(ackMs),
    sendRate: round((sent * 1000) / Math.max(1, sendWindow)),
    deliveriesPerSec: round((ld.deliveries * 1000) / Math.max(1, lastDelivery - start)),
    genCpuPct: round(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
    genLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
  };
}

async function burst(rounds: number) {
  const roomIndex = rooms.findIndex((r) => r.group === "burst");
  const parts = roomParts[roomIndex] ?? [];
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const label = `burst${r}`;
    const stats: PhaseStats = { errors: {}, retries: 0 };
    const ackMs: number[] = [];
    const start = performance.now();
    await Promise.all(parts.map((m, i) => checkin(m, `b.${nonce}.${label}.${i}`, label, stats, ackMs)));
    const list = phaseTracks(label);
    const deadline = performance.now() + 10_000;
    while (performance.now() < deadline && !list.every(complete)) await sleep(5);
    const allSeen = list.every(complete) ? Math.max(...list.flatMap((t) => t.firstAt)) - start : null;
    const ld = lostAndDup(list);
    out.push({ conflicts: stats.errors.CONFLICT ?? 0, errors: stats.errors, failed: list.filter((t) => t.failed).length, allSeenMs: allSeen === null ? null : round(allSeen), ack: dist(ackMs), lost: ld.lost, dup: ld.dup });
    if (r + 1 < rounds) await sleep(1000);
  }
  return { size: parts.length, rounds: out };
}

async function openSessions(n: number) {
  const errors: Record<string, number> = {};
  const openers = roomFacs.filter((_, i) => rooms[i]?.group === "main").map((f) => f[0]).filter((m): m is Member => m !== undefined);
  let opened = 0;
  await pool(Array.from({ length: n }, (_, k) => k), 4, async (k) => {
    const m = openers[k % openers.length];
    const room = m ? rooms[m.person.room] : undefined;
    if (!m || !room) return;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const r = await emitAck(m.socket, "session:open", { id: `idle.${nonce}.${k}`, cohortId: room.cohortId, title: "Bench idle session" });
      if (r.ok) {
        opened++;
        return;
      }
      count(errors, r.code);
      if (!RETRYABLE.has(r.code)) return;
      await sleep(100 * attempt);
    }
  });
  return { opened, errors };
}

/** Below the server's per-socket command limit (20 a second), as a phone would stay. */
const FILL_INTERVAL_MS = 1000 / 16;

async function fill(events: number) {
  const roomIndex = rooms.findIndex((r) => r.group === "burst");
  const parts = roomParts[roomIndex] ?? [];
  if (parts.length === 0) throw new Error("the burst room has no participants connected");
  const stats: PhaseStats = { errors: {}, retries: 0 };
  const ackMs: number[] = [];
  const start = performance.now();
  const deadline = start + 300_000;
  let issued = 0;
  const worker = async (m: Member) => {
    for (let guard = 0; guard < events && issued < events && performance.now() < deadline; guard++) {
      const n = issued++;
      const t0 = performance.now();
      await checkin(m, `b.${nonce}.fill.${n}`, "fill", stats, ackMs);
      const wait = FILL_INTERVAL_MS - (performance.now() - t0);
      if (wait > 0) await sleep(wait);
    }
  };
  await Promise.all(parts.map(worker));
  return { acked: ackMs.length, wallMs: round(performance.now() - start), errors: stats.errors };
}

function unackedDelivered(list: readonly Track[]): number {
  return list.filter((t) => t.ackAt === null && t.seen.some((s) => s > 0)).length;
}

function finish() {
  const all = [...tracks.values()];
  const ld = lostAndDup(all);
  const byPhase: Record<string, { lost: number; dup: number; unackedDelivered: number }> = {};
  for (const phase of new Set(all.map((t) => t.phase))) {
    const list = phaseTracks(phase);
    const p = lostAndDup(list);
    byPhase[phase] = { lost: p.lost, dup: p.dup, unackedDelivered: unackedDelivered(list) };
  }
  return { checkins: all.length, expectedDeliveries: ld.expected, lost: ld.lost, dup: ld.dup, unackedDelivered: unackedDelivered(all), byPhase };
}

function closeAll(): void {
  for (const m of members) {
    m.socket?.close();
    m.socket = null;
  }
}

async function joins(list: string[], n: number) {
  const roomIndex = rooms.findIndex((r) => r.group === "burst");
  const room = rooms[roomIndex];
  const facs = roomFacs[roomIndex] ?? [];
  const errors: Record<string, number> = {};
  const joinMs: number[] = [];
  const catchupMs: number[] = [];
  const events: number[] = [];
  if (!room) throw new Error("no burst room");
  for (let i = 0; i < n; i++) {
    const m = facs[i % Math.max(1, facs.length)];
    if (!m) break;
    const socket = await openSocket(list[i % list.length] ?? "", m.cookie);
    try {
      const t0 = performance.now();
      const r = await emitAck(socket, "session:join", { sessionId: room.sessionId, since: null }, 30_000);
      const t1 = performance.now();
      if (!r.ok) {
        count(errors, r.code);
        continue;
      }
      joinMs.push(round(t1 - t0));
      const first = JoinData.safeParse(r.data);
      if (!first.success) {
        count(errors, "BAD_REPLY");
        continue;
      }
      let page = first.data.sync;
      let got = page.events.length;
      let seq = page.events.at(-1)?.seq ?? 0;
      for (let p = 0; p < 200 && page.more; p++) {
        const next = await emitAck(socket, "stream:sync", { stream: `session:${room.sessionId}`, epoch: page.epoch, seq }, 30_000);
        const parsed = next.ok ? SyncPage.safeParse(next.data) : null;
        if (!parsed?.success) {
          count(errors, next.ok ? "BAD_REPLY" : next.code);
          break;
        }
        page = parsed.data;
        got += page.events.length;
        seq = page.events.at(-1)?.seq ?? seq;
      }
      catchupMs.push(round(performance.now() - t0));
      events.push(got);
    } finally {
      socket.close();
    }
    await sleep(200);
  }
  return { joinMs, catchupMs, events, errors };
}

async function handle(req: Request): Promise<unknown> {
  switch (req.type) {
    case "setup": {
      mode = req.mode;
      urls = req.urls;
      password = req.password;
      rooms = req.rooms;
      members = req.people.map((person) => ({ person, cookie: null, socket: null, facIndex: -1 }));
      roomFacs = rooms.map(() => []);
      roomParts = rooms.map(() => []);
      for (const m of members) {
        if (m.person.role === "facilitator") {
          const list = roomFacs[m.person.room];
          if (list) {
            m.facIndex = list.length;
            list.push(m);
          }
        } else roomParts[m.person.room]?.push(m);
      }
      const signInMs: number[] = [];
      if (mode === "holdspace") {
        await pool(members, 8, async (m) => {
          const t0 = performance.now();
          m.cookie = await signIn(urlOf(m.person), m.person.email);
          signInMs.push(performance.now() - t0);
        });
      }
      return { signedIn: signInMs.length, signInMs: dist(signInMs) };
    }
    case "connect": {
      if (req.urls) urls = req.urls;
      const chosen = members.filter((m) => req.groups.includes(rooms[m.person.room]?.group ?? "main") && m.socket === null);
      const joinErrors: Record<string, number> = {};
      const joinMs: number[] = [];
      let joinFailed = 0;
      await pool(chosen, 16, async (m) => {
        const socket = await openSocket(urlOf(m.person), m.cookie);
        m.socket = socket;
        if (m.facIndex >= 0) listenForDeliveries(m, socket);
        const t0 = performance.now();
        const r = await join(socket, rooms[m.person.room]?.sessionId ?? "", joinErrors);
        if (r.ok) joinMs.push(performance.now() - t0);
        else joinFailed++;
      });
      return { sockets: chosen.length, joinMs: dist(joinMs), joinErrors, joinFailed };
    }
    case "step":
      return step(req.label, req.rate, req.durationMs);
    case "burst":
      return burst(req.rounds);
    case "open":
      return openSessions(req.count);
    case "fill":
      return fill(req.events);
    case "finish":
      return finish();
    case "close":
      closeAll();
      return {};
    case "joins":
      return joins(req.urls, req.count);
  }
}

let queue = Promise.resolve();
process.on("message", (raw: unknown) => {
  const env = Envelope.safeParse(raw);
  if (!env.success) return;
  queue = queue.then(async () => {
    try {
      process.send?.({ n: env.data.n, ok: true, result: await handle(env.data.request) });
    } catch (err) {
      process.send?.({ n: env.data.n, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
});
// The bench went away: nothing more to measure.
process.on("disconnect", () => {
  closeAll();
  process.exit(0);
});
process.send?.({ n: 0, ok: true, result: { ready: true } });

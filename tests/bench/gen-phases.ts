import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Socket } from "socket.io-client";
import { z } from "zod";
import { count, emitAck, MAX_ATTEMPTS, openSocket, pool, RETRYABLE, type Outcome } from "./gen-net.js";
import { complete, drain, lostAndDup, type Member, type PhaseStats, type Tracks } from "./gen-tracks.js";
import { dist, round, type Room } from "./protocol.js";
import { sleep } from "./util.js";

/** The measured phases the bench asks its load generator for (protocol.ts `Request`). */

const JOIN_ATTEMPTS = 6;
/** Below the server's per-socket command limit (20 a second), as a phone would stay. */
const FILL_INTERVAL_MS = 1000 / 16;

const SyncPage = z.object({
  epoch: z.string().nullable(),
  head: z.number(),
  more: z.boolean(),
  events: z.array(z.object({ seq: z.number() })),
});
const JoinData = z.object({ sync: SyncPage });

/** Everyone the generator drives, by room, and what it sent. */
export interface Crowd {
  rooms: Room[];
  members: Member[];
  roomFacs: Member[][];
  roomParts: Member[][];
  tracks: Tracks;
  /** Keeps this run's command ids apart from an earlier run's on the same store. */
  nonce: string;
  /** Check-ins sent so far; their intensity cycles through 0–10. */
  commands: number;
}

export async function join(socket: Socket, sessionId: string, errors: Record<string, number>): Promise<Outcome> {
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
async function checkin(
  c: Crowd,
  m: Member,
  id: string,
  phase: string,
  stats: PhaseStats,
  ackMs: number[],
): Promise<void> {
  const room = c.rooms[m.person.room];
  if (!room) return;
  const t = c.tracks.start(id, m.person.room, phase, c.roomFacs[m.person.room]?.length ?? 0);
  const payload = { id, sessionId: room.sessionId, status: "ok", intensity: c.commands++ % 11 };
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

export async function step(c: Crowd, label: string, rate: number, durationMs: number) {
  const participants = c.roomParts.filter((_, i) => c.rooms[i]?.group === "main");
  // Round robin across rooms, then across the participants of each room.
  const order: Member[] = [];
  const depth = Math.max(0, ...participants.map((p) => p.length));
  for (let j = 0; j < depth; j++)
    for (const list of participants) {
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
      if (m) pending.push(checkin(c, m, `b.${c.nonce}.${label}.${sent}`, label, stats, ackMs));
      sent++;
    }
    await sleep(2);
  }
  const sendWindow = performance.now() - start;
  await Promise.all(pending);
  const list = c.tracks.phase(label);
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

export async function burst(c: Crowd, rounds: number) {
  const roomIndex = c.rooms.findIndex((r) => r.group === "burst");
  const parts = c.roomParts[roomIndex] ?? [];
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const label = `burst${r}`;
    const stats: PhaseStats = { errors: {}, retries: 0 };
    const ackMs: number[] = [];
    const start = performance.now();
    await Promise.all(parts.map((m, i) => checkin(c, m, `b.${c.nonce}.${label}.${i}`, label, stats, ackMs)));
    const list = c.tracks.phase(label);
    const deadline = performance.now() + 10_000;
    while (performance.now() < deadline && !list.every(complete)) await sleep(5);
    const allSeen = list.every(complete) ? Math.max(...list.flatMap((t) => t.firstAt)) - start : null;
    const ld = lostAndDup(list);
    out.push({
      conflicts: stats.errors.CONFLICT ?? 0,
      errors: stats.errors,
      failed: list.filter((t) => t.failed).length,
      allSeenMs: allSeen === null ? null : round(allSeen),
      ack: dist(ackMs),
      lost: ld.lost,
      dup: ld.dup,
    });
    if (r + 1 < rounds) await sleep(1000);
  }
  return { size: parts.length, rounds: out };
}

export async function openSessions(c: Crowd, n: number) {
  const errors: Record<string, number> = {};
  const openers = c.roomFacs
    .filter((_, i) => c.rooms[i]?.group === "main")
    .map((f) => f[0])
    .filter((m): m is Member => m !== undefined);
  let opened = 0;
  await pool(
    Array.from({ length: n }, (_, k) => k),
    4,
    async (k) => {
      const m = openers[k % openers.length];
      const room = m ? c.rooms[m.person.room] : undefined;
      if (!m || !room) return;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const r = await emitAck(m.socket, "session:open", {
          id: `idle.${c.nonce}.${k}`,
          cohortId: room.cohortId,
          title: "Bench idle session",
        });
        if (r.ok) {
          opened++;
          return;
        }
        count(errors, r.code);
        if (!RETRYABLE.has(r.code)) return;
        await sleep(100 * attempt);
      }
    },
  );
  return { opened, errors };
}

export async function fill(c: Crowd, events: number) {
  const roomIndex = c.rooms.findIndex((r) => r.group === "burst");
  const parts = c.roomParts[roomIndex] ?? [];
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
      await checkin(c, m, `b.${c.nonce}.fill.${n}`, "fill", stats, ackMs);
      const wait = FILL_INTERVAL_MS - (performance.now() - t0);
      if (wait > 0) await sleep(wait);
    }
  };
  await Promise.all(parts.map(worker));
  return { acked: ackMs.length, wallMs: round(performance.now() - start), errors: stats.errors };
}

export async function joins(c: Crowd, list: string[], n: number) {
  const roomIndex = c.rooms.findIndex((r) => r.group === "burst");
  const room = c.rooms[roomIndex];
  const facs = c.roomFacs[roomIndex] ?? [];
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
        const next = await emitAck(
          socket,
          "stream:sync",
          { stream: `session:${room.sessionId}`, epoch: page.epoch, seq },
          30_000,
        );
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

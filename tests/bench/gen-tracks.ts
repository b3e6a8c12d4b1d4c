import type { Socket } from "socket.io-client";
import { z } from "zod";
import { sleep } from "./util.js";
import type { Person } from "./protocol.js";

/**
 * Every check-in the generator sent, by command id: when it was sent and acknowledged, and when
 * each facilitator of its room first saw it. Every time is this process's clock.
 */

const DRAIN_MS = 3_000;
const StreamEventMsg = z.object({
  stream: z.string(),
  event: z.object({ id: z.string().optional(), seq: z.number() }),
});

export interface Member {
  person: Person;
  cookie: string | null;
  socket: Socket | null;
  /** Index among the room's facilitators, -1 for participants. */
  facIndex: number;
}

export interface Track {
  t0: number;
  room: number;
  phase: string;
  /** Deliveries per facilitator of the room. */
  seen: number[];
  firstAt: number[];
  ackAt: number | null;
  failed: boolean;
}

export interface PhaseStats {
  errors: Record<string, number>;
  retries: number;
}

export class Tracks {
  private readonly byId = new Map<string, Track>();

  /** A check-in about to be sent to a room with `facs` facilitators. */
  start(id: string, room: number, phase: string, facs: number): Track {
    const t: Track = {
      t0: performance.now(),
      room,
      phase,
      seen: new Array<number>(facs).fill(0),
      firstAt: new Array<number>(facs).fill(0),
      ackAt: null,
      failed: false,
    };
    this.byId.set(id, t);
    return t;
  }

  /** Count each check-in a facilitator's socket receives, once per facilitator for its first time. */
  listen(m: Member, socket: Socket): void {
    socket.on("stream:event", (msg: unknown) => {
      const at = performance.now();
      const parsed = StreamEventMsg.safeParse(msg);
      if (!parsed.success || parsed.data.event.id === undefined) return;
      const t = this.byId.get(parsed.data.event.id);
      if (!t || t.room !== m.person.room) return;
      const i = m.facIndex;
      const seen = t.seen[i] ?? 0;
      t.seen[i] = seen + 1;
      if (seen === 0) t.firstAt[i] = at;
    });
  }

  phase(phase: string): Track[] {
    const out: Track[] = [];
    for (const t of this.byId.values()) if (t.phase === phase) out.push(t);
    return out;
  }

  /** Totals over everything sent so far, and per phase. */
  finish() {
    const all = [...this.byId.values()];
    const ld = lostAndDup(all);
    const byPhase: Record<string, { lost: number; dup: number; unackedDelivered: number }> = {};
    for (const phase of new Set(all.map((t) => t.phase))) {
      const list = this.phase(phase);
      const p = lostAndDup(list);
      byPhase[phase] = { lost: p.lost, dup: p.dup, unackedDelivered: unackedDelivered(list) };
    }
    return {
      checkins: all.length,
      expectedDeliveries: ld.expected,
      lost: ld.lost,
      dup: ld.dup,
      unackedDelivered: unackedDelivered(all),
      byPhase,
    };
  }
}

export function complete(t: Track): boolean {
  return t.seen.every((s) => s > 0);
}

/** Wait (bounded) until every acknowledged check-in of `phase` reached every facilitator. */
export async function drain(phase: readonly Track[]): Promise<void> {
  const deadline = performance.now() + DRAIN_MS;
  while (performance.now() < deadline) {
    if (phase.every((t) => t.ackAt === null || complete(t))) return;
    await sleep(20);
  }
}

export function lostAndDup(list: readonly Track[]): {
  lost: number;
  dup: number;
  expected: number;
  deliveries: number;
} {
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

function unackedDelivered(list: readonly Track[]): number {
  return list.filter((t) => t.ackAt === null && t.seen.some((s) => s > 0)).length;
}

import { LIVE_CHECK_MS } from "../../server/jobs/live-checks.js";
import type { Recorder } from "./actors.js";
import type { FaultRecord } from "./faults.js";

/** What each fault cost the people it cut off, and when Redis answered again after one. */

export interface Recovery {
  kind: FaultRecord["kind"];
  nodeId: string | null;
  atMs: number;
  /** Worst and median time from the fault until an affected participant's command was acked. */
  maxMs: number;
  medianMs: number;
  /** Affected participants with no ack after the fault at all. */
  neverAcked: number;
  affected: number;
}

/**
 * For each fault, per participant it cut off: the first command acked after the fault, timed
 * from the fault (or from when that command was sent, if later) to its ack — what the person
 * waited for a "sent" because of the fault.
 */
export function recoveries(
  faults: readonly FaultRecord[],
  rec: Recorder,
  participantKeys: ReadonlySet<string>,
): Recovery[] {
  const byClient = new Map<string, Recorder["checkins"]>();
  for (const c of rec.checkins) byClient.set(c.clientKey, [...(byClient.get(c.clientKey) ?? []), c]);
  for (const list of byClient.values()) list.sort((a, b) => a.ackAt - b.ackAt);
  return faults.map((f) => {
    const times: number[] = [];
    let neverAcked = 0;
    const affected = f.affected.filter((k) => participantKeys.has(k));
    for (const key of affected) {
      const next = (byClient.get(key) ?? []).find((c) => c.ackAt > f.at);
      if (!next) {
        neverAcked++;
        continue;
      }
      times.push(next.ackAt - Math.max(f.at, next.issuedAt));
    }
    times.sort((a, b) => a - b);
    return {
      kind: f.kind,
      nodeId: f.nodeId,
      atMs: f.at,
      maxMs: times.at(-1) ?? 0,
      medianMs: times[Math.floor(times.length / 2)] ?? 0,
      neverAcked,
      affected: affected.length,
    };
  });
}

/**
 * When Redis answered again, if an escalation due at `at` was blocked by a Redis restart or
 * stall: one that began before the check that takes it (each node asks every LIVE_CHECK_MS), or
 * was under way at its due time. Null otherwise.
 */
export function storeBackAt(faults: readonly FaultRecord[], at: number): number | null {
  for (const f of faults) {
    if ((f.kind === "redis-restart" || f.kind === "redis-stall") && at >= f.at - LIVE_CHECK_MS && at <= f.doneAt)
      return f.doneAt;
  }
  return null;
}

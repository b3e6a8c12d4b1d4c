import { ESCALATION_TIERS, pendingAlerts } from "../../shared/domain/alerts.js";
import { emptySession, type SessionState } from "../../shared/domain/session.js";
import { foldEvents, sessionStream } from "../../shared/domain/streams.js";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { LogStore } from "../../server/stores/types.js";
import type { Recorder } from "./actors.js";
import { checkinProblems, viewProblem, type NeedSupportFold, type ViewerUnderTest } from "./checks.js";
import type { FaultRecord } from "./faults.js";
import { storeBackAt } from "./recovery.js";

/** [LIVE6] An escalation may land this long after its tier is due. */
export const ESCALATION_SLACK_MS = 3000;

const PAGE = 500;
const MAX_PAGES = 10_000;
const MAX_DETAILS = 8;

export interface Verdict {
  acked: number;
  lost: number;
  dup: number;
  partial: number;
  seqMismatch: number;
  streamGaps: number;
  dupEventIds: number;
  viewsChecked: number;
  viewMismatch: number;
  escalations: number;
  lateEscalations: number;
  missingEscalations: number;
  earlyEscalations: number;
  dupEscalations: number;
  escalatedAfterAck: number;
  maxEscalationLateMs: number;
  /**
   * Escalations that fell due while Redis was down or stalled: nothing can be made durable then,
   * so their 3 s run from the moment Redis answered again. Counted, and the strict figure (from
   * the due time, outages included) is kept beside it.
   */
  dueInStoreOutage: number;
  lateFromDueStrict: number;
  alerts: number;
  unanswered: number;
  /** Events whose id is server-made (`$…`). */
  serverIdEvents: number;
  /** Acked need_support check-ins: those that raised their alert, those that joined one already pending. */
  needSupportAcked: number;
  needSupportRaised: number;
  needSupportJoined: number;
  details: string[];
}

async function readStream(log: LogStore, sessionId: string): Promise<{ epoch: string | null; events: StoredEvent[] }> {
  const stream = streamName("session", sessionId);
  const events: StoredEvent[] = [];
  let epoch: string | null = null;
  let after = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await log.read(stream, after, PAGE);
    epoch = r.epoch;
    const last = r.events.at(-1);
    if (!last) break;
    events.push(...r.events);
    after = last.seq;
    if (after >= r.head) break;
  }
  return { epoch, events };
}

/**
 * Prove from the streams themselves (read straight from Redis) what the clients were promised:
 * every acked command is in its stream exactly once and whole, every acked `need_support` has its
 * alert, every alert was answered or escalated on time, and every client's view is the stream as
 * that viewer may see it.
 */
export async function verify(
  log: LogStore,
  sessions: readonly string[],
  rec: Recorder,
  viewers: readonly ViewerUnderTest[],
  now: number,
  t0: number,
  faults: readonly FaultRecord[] = [],
): Promise<Verdict> {
  /** A time as seconds into the load, and how it stands to the last fault before it. */
  const tAt = (ms: number): string => {
    const last = faults.filter((f) => f.at <= ms).at(-1);
    const after = last
      ? `, ${((ms - last.at) / 1000).toFixed(1)} s after the ${last.kind}${last.nodeId ? ` of ${last.nodeId}` : ""}`
      : "";
    return `t=${((ms - t0) / 1000).toFixed(1)}s${after}`;
  };
  const v: Verdict = {
    acked: rec.checkins.length + rec.alertAcks.length + rec.opens.length,
    lost: 0,
    dup: 0,
    partial: 0,
    seqMismatch: 0,
    streamGaps: 0,
    dupEventIds: 0,
    viewsChecked: 0,
    viewMismatch: 0,
    escalations: 0,
    lateEscalations: 0,
    missingEscalations: 0,
    earlyEscalations: 0,
    dupEscalations: 0,
    escalatedAfterAck: 0,
    maxEscalationLateMs: 0,
    dueInStoreOutage: 0,
    lateFromDueStrict: 0,
    alerts: 0,
    unanswered: 0,
    serverIdEvents: 0,
    needSupportAcked: 0,
    needSupportRaised: 0,
    needSupportJoined: 0,
    details: [],
  };
  const note = (line: string): void => {
    if (v.details.length < MAX_DETAILS * 6) v.details.push(line);
  };

  for (const sessionId of sessions) {
    const { epoch, events } = await readStream(log, sessionId);
    const tag = sessionId.slice(-12);

    // LOG1: seq 1, 2, 3… with no gaps, one epoch; ids unique in the stream (LOG2).
    const byId = new Map<string, StoredEvent[]>();
    events.forEach((e, i) => {
      if (e.seq !== i + 1) v.streamGaps++;
      if (e.epoch !== epoch) v.streamGaps++;
      if (e.id.startsWith("$")) v.serverIdEvents++;
      byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
    });
    for (const [id, same] of byId) {
      if (same.length > 1) {
        v.dupEventIds++;
        note(`dup event id in ${tag}: ${id.slice(0, 40)} at seqs ${same.map((e) => e.seq).join(",")}`);
      }
    }

    // One fold of the whole stream, noting around each need_support check-in what the reducer holds.
    const needSupport = new Map<string, NeedSupportFold>();
    let state: SessionState = emptySession(sessionId);
    for (const e of events) {
      const before = state;
      state = foldEvents(sessionStream, state, [e]);
      if (e.type === "checkin.recorded" && e.data.status === "need_support") {
        const pid = e.data.participantId;
        const hadPending = pendingAlerts(before.live.alerts).some(
          (a) => a.kind === "support" && a.participantId === pid,
        );
        needSupport.set(e.id, { hadPending, raised: state.live.alerts[e.id] });
      }
    }

    // Acked check-ins: exactly once, whole, with the seq the ack named.
    for (const r of rec.checkins.filter((c) => c.sessionId === sessionId)) {
      const found = byId.get(r.id) ?? [];
      const e = found[0];
      if (!e) {
        v.lost++;
        note(`lost: check-in ${r.id.slice(0, 8)} (${r.status}) acked with seq ${r.seq} at ${tAt(r.ackAt)} in ${tag}`);
        continue;
      }
      if (found.length > 1) v.dup++;
      if (e.seq !== r.seq) {
        v.seqMismatch++;
        note(`seq mismatch: check-in ${r.id.slice(0, 8)} acked with seq ${r.seq}, stream has it at ${e.seq}`);
      }
      const ns = needSupport.get(e.id);
      if (r.status === "need_support") {
        v.needSupportAcked++;
        if (ns?.raised?.seq === e.seq) v.needSupportRaised++;
        else if (ns?.hadPending) v.needSupportJoined++;
      }
      const why = checkinProblems(e, r, ns);
      if (why.length) {
        v.partial++;
        note(`partial: check-in ${r.id.slice(0, 8)} (${r.status}) at seq ${e.seq} in ${tag}: ${why.join("; ")}`);
      }
    }

    for (const r of rec.opens.filter((o) => o.sessionId === sessionId)) {
      const found = (byId.get(r.id) ?? []).filter((e) => e.type === "session.opened");
      if (found.length === 0) {
        v.lost++;
        note(`lost: session:open ${r.id.slice(0, 8)} in ${tag}`);
      } else if (found.length > 1) v.dup++;
    }

    // Acked alert:ack — exactly one alert.acknowledged per alert, however many facilitators pressed.
    const ackEvents = new Map<string, StoredEvent[]>();
    const escEvents = new Map<string, StoredEvent[]>();
    for (const e of events) {
      const alertId = typeof e.data.alertId === "string" ? e.data.alertId : null;
      if (alertId === null) continue;
      if (e.type === "alert.acknowledged") ackEvents.set(alertId, [...(ackEvents.get(alertId) ?? []), e]);
      if (e.type === "alert.escalated")
        escEvents.set(`${alertId}|${String(e.data.tier)}`, [
          ...(escEvents.get(`${alertId}|${String(e.data.tier)}`) ?? []),
          e,
        ]);
    }
    const ackedAlerts = new Set(rec.alertAcks.filter((a) => a.sessionId === sessionId).map((a) => a.alertId));
    for (const alertId of ackedAlerts) {
      const n = ackEvents.get(alertId)?.length ?? 0;
      if (n === 0) {
        v.lost++;
        note(`lost: alert:ack of ${alertId.slice(0, 12)} in ${tag}`);
      }
    }
    for (const [alertId, acks] of ackEvents) {
      if (acks.length > 1) {
        v.dup++;
        note(`dup: ${acks.length} alert.acknowledged for ${alertId.slice(0, 12)} in ${tag}`);
      }
    }

    // [LIVE6] Every alert answered or escalated; each tier on time (15 s / 60 s + 3 s), once.
    for (const a of Object.values(state.live.alerts)) {
      v.alerts++;
      if (a.ack === null && a.resolved === null && a.tier === 0) {
        v.unanswered++;
        note(
          `unanswered: alert ${a.id.slice(0, 12)} (${a.kind}) raised at ${tAt(Date.parse(a.raisedAt))}, neither acknowledged nor escalated`,
        );
      }
      const raised = Date.parse(a.raisedAt);
      const stoppedAt = Math.min(
        a.ack ? Date.parse(a.ack.at) : Infinity,
        a.resolved ? Date.parse(a.resolved.at) : Infinity,
      );
      for (const t of ESCALATION_TIERS) {
        const due = raised + t.afterMs;
        const esc = escEvents.get(`${a.id}|${t.tier}`) ?? [];
        const first = esc[0];
        if (esc.length > 1) v.dupEscalations++;
        if (first) {
          v.escalations++;
          const late = Date.parse(first.at) - due;
          const storeBack = storeBackAt(faults, due);
          const lateAfterStore = Date.parse(first.at) - Math.max(due, storeBack ?? due);
          if (storeBack !== null) v.dueInStoreOutage++;
          if (late > ESCALATION_SLACK_MS) v.lateFromDueStrict++;
          v.maxEscalationLateMs = Math.max(v.maxEscalationLateMs, lateAfterStore);
          if (lateAfterStore > ESCALATION_SLACK_MS) {
            v.lateEscalations++;
            note(
              `late: tier ${t.tier} of ${a.id.slice(0, 12)} was due at ${tAt(due)} and landed ${(late / 1000).toFixed(1)} s after${storeBack === null ? "" : ` (${(lateAfterStore / 1000).toFixed(1)} s after Redis answered again)`}`,
            );
          }
          if (late < -1000) {
            v.earlyEscalations++;
            note(
              `early: tier ${t.tier} of ${a.id.slice(0, 12)} was due at ${tAt(due)} and landed ${(-late / 1000).toFixed(1)} s before`,
            );
          }
          if (Date.parse(first.at) > stoppedAt) v.escalatedAfterAck++;
          continue;
        }
        // None landed: it had to if the alert was still pending past its due time (or Redis's return) + slack.
        const deadline = Math.max(due, storeBackAt(faults, due) ?? due) + ESCALATION_SLACK_MS;
        if (stoppedAt > deadline && now > deadline) {
          v.lateEscalations++;
          v.missingEscalations++;
          note(`missing: tier ${t.tier} of ${a.id.slice(0, 12)} was due at ${tAt(due)} and never landed`);
        }
      }
    }

    // Every client's view: its fold equals the fold of the stream as that viewer may see it, up to
    // the head its final sync reached, and that head includes every command acked in this session.
    const lastAcked = Math.max(0, ...rec.checkins.filter((c) => c.sessionId === sessionId).map((c) => c.seq));
    for (const w of viewers.filter((x) => x.follower?.sessionId === sessionId)) {
      v.viewsChecked++;
      const f = w.follower;
      if (!f) continue;
      const problem = viewProblem(f, w, events, epoch, lastAcked);
      if (problem) {
        v.viewMismatch++;
        note(`view: ${w.key} (${w.viewer.role}) in ${tag}: ${problem}`);
      }
    }
  }
  return v;
}

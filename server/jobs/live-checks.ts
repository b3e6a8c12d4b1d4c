import { decideLiveChecks } from "../../shared/domain/live-checks.js";
import { LIVE_INDEX_ID } from "../../shared/domain/live-index.js";
import { pendingAlerts } from "../../shared/domain/alerts.js";
import { streamName } from "../../shared/log.js";
import { errorKind } from "../logger.js";
import type { Services } from "../services.js";
import { systemKey } from "../domain/stream-service.js";
import { publishAll } from "../gateway/fanout.js";
import { notifyStaff, profileForCohort } from "../gateway/handlers/live-shared.js";
import { unlist } from "../gateway/handlers/live-close.js";

/** How often each node runs the checks (DESIGN.md: "about once a second"). LIVE3 asks for 5 s. */
export const LIVE_CHECK_MS = 1000;

/**
 * [LIVE3][LIVE4][LIVE6][LIVE7] One round of the dosing-day checks on every listed session:
 * escalations, ratio and break alerts, check-in prompts. Every node runs it; the decisions come
 * from the log and the event ids are server-made from the log, so each escalation lands exactly
 * once and only the node that appended it broadcasts and notifies.
 */
export async function runLiveChecks(s: Services): Promise<void> {
  const index = await s.streams.state("index", LIVE_INDEX_ID);
  for (const sessionId of index.sessions) {
    try {
      await checkSession(s, sessionId);
    } catch (err) {
      // One session's trouble must not stop the others' escalations.
      s.logger.warn("live check failed", { session: { id: sessionId }, error: errorKind(err) });
    }
  }
  // After every escalation of the round: presence trouble must never delay one. The next
  // round's ratio check decides on the corrected log [LIVE3].
  for (const sessionId of index.sessions) {
    try {
      await s.presence.reconcile(sessionId);
    } catch (err) {
      s.logger.warn("presence reconcile failed", { session: { id: sessionId }, error: errorKind(err) });
    }
  }
}

/**
 * One session's checks. Each decision is its own command with its server-made id, re-decided on
 * the fresh state inside the write path, so one escalation that another node already appended
 * (a duplicate) or that raced an acknowledgement never holds back the next one [LIVE6].
 */
async function checkSession(s: Services, sessionId: string): Promise<void> {
  const state = await s.streams.state("session", sessionId);
  if (state.cohortId === null) return;
  // An ended session leaves the list — but never while an alert in it still waits [LIVE6]:
  // session:close is refused then, and this keeps escalating if one ever got through.
  if (state.status === "closed" && pendingAlerts(state.live.alerts).length === 0) {
    await unlist(s, sessionId);
    return;
  }
  const cohort = await s.streams.state("cohort", state.cohortId);
  const { profile } = await profileForCohort(s, cohort);
  const now = s.clock.now();
  const stream = streamName("session", sessionId);
  for (const d of decideLiveChecks(state, now, profile)) {
    const { events, duplicate } = await s.streams.execute("session", sessionId, systemKey(d.id), (fresh) => decideLiveChecks(fresh, now, profile).filter((x) => x.id === d.id));
    // A duplicate was appended (and broadcast) by another node.
    if (events.length === 0 || duplicate) continue;
    publishAll(s.io, stream, events);
    await notifyStaff(s, await s.streams.state("session", sessionId), events);
  }
}

import { decideLiveChecks } from "../../shared/domain/live-checks.js";
import { LIVE_INDEX_ID } from "../../shared/domain/live-index.js";
import { pendingAlerts } from "../../shared/domain/alerts.js";
import { reduceSession } from "../../shared/domain/session.js";
import { streamName, type StoredEvent } from "../../shared/log.js";
import { errorKind } from "../logger.js";
import type { Services } from "../services.js";
import { ConflictError } from "../stores/types.js";
import { publishAll } from "../gateway/fanout.js";
import { notifyStaff, profileForCohort } from "../gateway/handlers/live-shared.js";
import { unlist } from "../gateway/handlers/live-close.js";

/** How often each node runs the checks (DESIGN.md: "about once a second"). LIVE3 asks for 5 s. */
export const LIVE_CHECK_MS = 1000;

const ATTEMPTS = 3;

/**
 * [LIVE3][LIVE4][LIVE6][LIVE7] One round of the dosing-day checks on every listed session:
 * escalations, ratio and break alerts, check-in prompts. Every node runs it; the decisions come
 * from the log, the event ids are derived from the log, and appends carry expectedSeq, so each
 * escalation lands exactly once and only the node that appended it broadcasts and notifies.
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

async function checkSession(s: Services, sessionId: string): Promise<void> {
  const stream = streamName("session", sessionId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
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
    const drafts = decideLiveChecks(state, now, profile);
    if (drafts.length === 0) return;
    const at = new Date(now).toISOString();
    const appended: StoredEvent[] = [];
    try {
      let expected = state.seq;
      for (const d of drafts) {
        const { event, duplicate } = await s.log.append(stream, { ...d, at }, { expectedSeq: expected });
        // Another node got there first; it broadcasts. Re-decide on the next round.
        if (duplicate) break;
        appended.push(event);
        expected = event.seq;
      }
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
    if (appended.length > 0) {
      publishAll(s.io, stream, appended);
      await notifyStaff(s, appended.reduce(reduceSession, state), appended);
      return;
    }
    // Conflict or duplicate before anything landed: decide again on the fresh log.
  }
}

import { z } from "zod";
import type { StoredEvent } from "../log.js";
import { STAFF, type Audience } from "./roles.js";

/**
 * The durable list of live sessions that may need periodic checks (alerts, escalation, ratio,
 * prompts) — one stream `index:live`. Every node reads it from the log instead of trusting its
 * own memory, so a node that never saw a session still checks it after another node dies.
 * No client can read it (Directory refuses the kind).
 */
export const LIVE_INDEX_ID = "live";

export const LiveIndexEventData = {
  "session.listed": z.object({ sessionId: z.string() }),
  "session.unlisted": z.object({ sessionId: z.string() }),
  /**
   * [OUT2] A cohort's outcome log, once it has held a safety alert: walked by the sweep like a
   * session, so an escalation whose due entry was lost with Redis's data is still made. Never
   * unlisted — one quiet read per cohort per sweep, and no race with a new alert.
   */
  "alerts.listed": z.object({ cohortId: z.string() }),
} as const;

export interface LiveIndexState {
  id: string;
  seq: number;
  sessions: string[];
  /** Cohorts whose outcome log has held a safety alert [OUT2]. */
  outcomes: string[];
}

export function emptyLiveIndex(id: string): LiveIndexState {
  return { id, seq: 0, sessions: [], outcomes: [] };
}

export function reduceLiveIndex(s: LiveIndexState, e: StoredEvent): LiveIndexState {
  const next = { ...s, seq: e.seq };
  switch (e.type) {
    case "session.listed": {
      const { sessionId } = LiveIndexEventData["session.listed"].parse(e.data);
      return next.sessions.includes(sessionId) ? next : { ...next, sessions: [...next.sessions, sessionId] };
    }
    case "session.unlisted": {
      const { sessionId } = LiveIndexEventData["session.unlisted"].parse(e.data);
      return { ...next, sessions: next.sessions.filter((x) => x !== sessionId) };
    }
    case "alerts.listed": {
      const { cohortId } = LiveIndexEventData["alerts.listed"].parse(e.data);
      return next.outcomes.includes(cohortId) ? next : { ...next, outcomes: [...next.outcomes, cohortId] };
    }
    default:
      return next;
  }
}

export function liveIndexAudience(_e: StoredEvent): Audience {
  return STAFF;
}

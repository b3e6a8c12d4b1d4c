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
} as const;

export interface LiveIndexState {
  id: string;
  seq: number;
  sessions: string[];
}

export function emptyLiveIndex(id: string): LiveIndexState {
  return { id, seq: 0, sessions: [] };
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
    default:
      return next;
  }
}

export function liveIndexAudience(_e: StoredEvent): Audience {
  return STAFF;
}

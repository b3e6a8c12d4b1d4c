import { emptySession, reduceSession, type SessionState } from "../../shared/domain/session.js";
import { decideDose, type LiveContext } from "../../shared/domain/live-decide.js";
import type { Viewer } from "../../shared/domain/roles.js";
import type { Draft } from "../../shared/domain/live-types.js";
import { oregon2025 } from "../../shared/profiles/oregon-2025.js";

export const T0 = Date.parse("2026-11-26T17:00:00Z");
export const fac = { userId: "f1", role: "facilitator" as const };
export const p1 = { userId: "p1", role: "participant" as const };
export const READY = { ready: true, missing: [] };

/** A tiny in-memory log for unit tests: decisions are applied with the shared reducer at a chosen time. */
export class Log {
  state: SessionState = emptySession("s1");
  now = T0;
  apply(drafts: Draft[]): SessionState {
    for (const d of drafts)
      this.state = reduceSession(this.state, {
        ...d,
        seq: this.state.seq + 1,
        epoch: "e1",
        at: new Date(this.now).toISOString(),
      });
    return this.state;
  }
  ctx(): LiveContext {
    return { now: this.now, profile: oregon2025, roster: ["p1", "p2", "p3"] };
  }
  /** A dose decided on this log's state, not applied, so a test can expect a refusal too. */
  dose(id: string, participantId: string, mg: number, kind: "primary" | "secondary", by: Viewer = fac): Draft[] {
    return decideDose(this.state, { id, sessionId: "s1", participantId, mg, kind }, by, this.ctx());
  }
}

import type { CohortState } from "../../../shared/domain/cohort.js";
import type { LiveContext } from "../../../shared/domain/live-decide.js";
import type { Draft } from "../../../shared/domain/live-types.js";
import type { SessionState } from "../../../shared/domain/session.js";
import { streamName, type StoredEvent } from "../../../shared/log.js";
import type { UserRecord } from "../../auth/users.js";
import type { Services } from "../../services.js";
import type { CommandKey } from "../../domain/stream-service.js";
import { fanOut } from "../fanout.js";
import { notifyStaff, rulesOf } from "./live-shared.js";

export interface LiveRun {
  events: StoredEvent[];
  duplicate: boolean;
  /** The session's state after these events. */
  state: SessionState;
  cohort: CohortState;
}

/**
 * The one path for a dosing-day command: authorize (the roster, AC4) → decide (pure, shared/) →
 * append (idempotent by command id) → fan out (a retry's answer only as the stream's head, fanout.ts).
 */
export async function runLive(
  s: Services,
  user: UserRecord,
  sessionId: string,
  cmd: CommandKey,
  decide: (state: SessionState, ctx: LiveContext) => Draft[],
): Promise<LiveRun> {
  const { cohort, program } = await s.directory.sessionFor(user, sessionId);
  const { profile, zone } = rulesOf(program);
  await s.listing.ensure(sessionId);
  const done = await s.streams.execute("session", sessionId, cmd, (st) =>
    decide(st, { now: s.clock.now(), profile, roster: cohort.participants, zone }),
  );
  const { events, duplicate } = done;
  fanOut(s.io, streamName("session", sessionId), done);
  // This node's own append is already folded into its cache (no read back); only after a retry
  // or another node's write in between is the state read from the log.
  const last = events.at(-1)?.seq ?? 0;
  const cached = s.streams.cached("session", sessionId);
  const state =
    cached !== null && cached.seq >= last && !duplicate ? cached : await s.streams.state("session", sessionId);
  if (!duplicate) await notifyStaff(s, state, events);
  return { events, duplicate, state, cohort };
}

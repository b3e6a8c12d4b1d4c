import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { decidePresence, type CircleState } from "../../shared/domain/circle.js";
import { streamName } from "../../shared/log.js";
import type { CohortState } from "../../shared/domain/cohort.js";
import type { UserRecord } from "../auth/users.js";
import { systemKey, type StreamService } from "./stream-service.js";
import { fanOut, type IoServer } from "../gateway/fanout.js";
import type { PresenceService } from "../presence/service.js";

/** The part of Directory circles need: cohort membership from the server-side roster [AC4]. */
export interface CohortRoster {
  cohortFor(user: UserRecord, cohortId: string): Promise<CohortState>;
}

const NOT_FOUND = "That circle does not exist or you are not part of it.";

/** [AC4] The circle and its cohort, if this person belongs to the cohort. */
export async function circleFor(
  streams: StreamService,
  roster: CohortRoster,
  user: UserRecord,
  circleId: string,
): Promise<{ circle: CircleState; cohort: CohortState }> {
  const circle = await streams.state("circle", circleId);
  if (!circle.exists || circle.cohortId === null) throw new AppError(ErrorCode.NOT_FOUND, NOT_FOUND);
  try {
    return { circle, cohort: await roster.cohortFor(user, circle.cohortId) };
  } catch {
    throw new AppError(ErrorCode.NOT_FOUND, NOT_FOUND);
  }
}

/**
 * [CIR1] Whether a participant has accepted the circle agreement in any circle of the cohort:
 * accepted once, it holds for the cohort's later circles.
 */
export async function hasAgreed(
  streams: StreamService,
  cohortCircles: readonly string[],
  circle: CircleState,
  userId: string,
): Promise<boolean> {
  if (circle.agreed.includes(userId)) return true;
  for (const id of cohortCircles) {
    if (id === circle.id) continue;
    if ((await streams.state("circle", id)).agreed.includes(userId)) return true;
  }
  return false;
}

/** [CIR1] Whether this person must still accept the circle agreement: participants do, once per cohort. */
export async function needsAgreement(
  streams: StreamService,
  user: UserRecord,
  circle: CircleState,
  cohort: CohortState,
): Promise<boolean> {
  return (
    user.role === "participant" &&
    !(await hasAgreed(
      streams,
      cohort.circles.map((c) => c.id),
      circle,
      user.id,
    ))
  );
}

/** [CIR1] A participant acts in a circle, or reads what it shares, only after accepting its agreement in the cohort. */
export async function requireAgreement(
  streams: StreamService,
  user: UserRecord,
  circle: CircleState,
  cohort: CohortState,
): Promise<void> {
  if (await needsAgreement(streams, user, circle, cohort))
    throw new AppError(ErrorCode.RULE_VIOLATION, "Please read and accept the circle agreement first.");
}

/** [AC4][CIR5][CIR6] Who may read the streams circles add. */
export async function authorizeCircleStream(
  streams: StreamService,
  roster: CohortRoster,
  user: UserRecord,
  kind: "circle" | "notes" | "journal" | "fnote",
  id: string,
): Promise<void> {
  switch (kind) {
    case "circle":
    case "notes": {
      const { circle, cohort } = await circleFor(streams, roster, user, id);
      await requireAgreement(streams, user, circle, cohort);
      return;
    }
    case "journal":
      // [CIR5] A journal is its owner's alone: not other participants, not staff.
      if (user.role !== "participant" || user.id !== id)
        throw new AppError(ErrorCode.NOT_FOUND, "That journal does not exist or is not yours.");
      return;
    case "fnote": {
      // [CIR6][AC3] Only the cohort's facilitators.
      const { cohort } = await circleFor(streams, roster, user, id);
      if (user.role !== "facilitator" || !cohort.facilitators.includes(user.id))
        throw new AppError(ErrorCode.NOT_FOUND, "Those notes do not exist or are not available to you.");
      return;
    }
  }
}

/**
 * [CIR2] The presence room of a circle is its stream's name (`circle:<id>`), kept in the same
 * PresenceStore as live sessions (whose rooms are bare session ids, which hold no `circle:`).
 */
export function circlePresenceRoom(circleId: string): string {
  return streamName("circle", circleId);
}

export function circleOfPresenceRoom(room: string): string | null {
  const prefix = streamName("circle", "x").slice(0, -1);
  return room.startsWith(prefix) ? room.slice(prefix.length) : null;
}

/**
 * [CIR2][PR5] Log a seated person's arrival or departure in the circle's stream, once per real
 * transition (decidePresence names the event after the state it is decided on). True when one
 * was appended. Fanned out like any circle event, so every ring shows it.
 */
export async function logCirclePresence(
  streams: StreamService,
  io: IoServer,
  circleId: string,
  userId: string,
  present: boolean,
): Promise<boolean> {
  const state = await streams.state("circle", circleId);
  const [draft] = decidePresence(state, { userId, present });
  if (!draft) return false;
  const done = await streams.execute("circle", circleId, systemKey(draft.id), (st) =>
    decidePresence(st, { userId, present }),
  );
  fanOut(io, streamName("circle", circleId), done);
  return done.events.length > 0 && !done.duplicate;
}

/**
 * [CIR2] Make the circle's log agree with presence before a decision that depends on who is
 * there (a pass, a join): a departure whose logging failed, or two nodes racing on one person,
 * is set right here rather than leaving the piece to wait for someone who left.
 */
export async function reconcileCirclePresence(
  streams: StreamService,
  io: IoServer,
  presence: Pick<PresenceService, "snapshot">,
  circleId: string,
): Promise<void> {
  const state = await streams.state("circle", circleId);
  if (!state.tracksPresence || state.ended) return;
  const there = new Set(
    (await presence.snapshot(circlePresenceRoom(circleId))).filter((p) => p.state !== "offline").map((p) => p.userId),
  );
  for (const userId of state.seats) {
    if (state.present.includes(userId) !== there.has(userId))
      await logCirclePresence(streams, io, circleId, userId, there.has(userId));
  }
}

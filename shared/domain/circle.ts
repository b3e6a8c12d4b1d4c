import { z } from "zod";
import { AppError, ErrorCode } from "../protocol/errors.js";
import type { DraftEvent, StoredEvent } from "../log.js";
import { ALL, STAFF, onlyParticipant, type Audience, type Viewer } from "./roles.js";
import { live } from "./circle-piece.js";

export { decidePiece, decidePresence, isRoundOver, isThere, nextSeat, shareRemainingMs } from "./circle-piece.js";

/** [CIR3] A share lasts 5 minutes unless the circle says otherwise. */
export const DEFAULT_SHARE_SECONDS = 300;
export const DEFAULT_CIRCLE_MINUTES = 90;

export const PieceAction = z.enum(["pass", "finish", "hand", "take"]);
export type PieceAction = z.infer<typeof PieceAction>;

/** Events of a circle's stream (`circle:<id>`). */
export const CircleEventData = {
  "circle.started": z.object({
    cohortId: z.string(),
    sessionId: z.string().nullable(),
    title: z.string(),
    seats: z.array(z.string()),
    shareSeconds: z.number().int().positive(),
    endsAt: z.string(),
    startedBy: z.string(),
    /**
     * [CIR2] Set on circles opened since issue 11: the piece goes only to people who are there
     * (`circle.presence`). Circles opened before it count every seat, as they always did.
     */
    presence: z.boolean().optional(),
  }),
  /** [CIR1] */
  "agreement.accepted": z.object({ userId: z.string() }),
  /** [CIR2] The piece moved: `to` null means nobody holds it (the round is over). */
  "piece.moved": z.object({
    action: PieceAction,
    from: z.string().nullable(),
    to: z.string().nullable(),
    roundOver: z.boolean(),
  }),
  /** [CIR4] No more edits to the shared notes. */
  "notes.locked": z.object({ by: z.string() }),
  "circle.ended": z.object({ by: z.string() }),
  /** [CIR5] A participant chose to share one journal entry with the circle. */
  "journal.shared": z.object({ userId: z.string(), entryId: z.string(), text: z.string() }),
  /** [CIR5] …and took it back: the circle no longer shows it. */
  "journal.unshared": z.object({ userId: z.string(), entryId: z.string() }),
  /**
   * [CIR2][PR5] Someone seated arrived in the circle room or left it, as the server's presence
   * has it (a dropped connection after its grace). The piece skips seats whose person is not there.
   */
  "circle.presence": z.object({ userId: z.string(), present: z.boolean() }),
} as const;

/** [CIR2] The cohort stream lists each circle started in it (`circle.listed`). */
export const CircleListed = z.object({ circleId: z.string(), title: z.string(), sessionId: z.string().nullable() });
export interface CohortCircle {
  id: string;
  title: string;
  sessionId: string | null;
  startedAt: string;
}

export interface SharedEntry {
  userId: string;
  entryId: string;
  text: string;
  at: string;
}

export interface CircleState {
  id: string;
  seq: number;
  exists: boolean;
  cohortId: string | null;
  sessionId: string | null;
  title: string;
  /** Seat order round the circle: the piece goes to the next seat. */
  seats: string[];
  shareSeconds: number;
  startedAt: string | null;
  endsAt: string | null;
  holder: string | null;
  /** [CIR3] The server's instant the current share began (when the piece reached the holder). */
  holderSince: string | null;
  /** Who passed, in a row, since someone last shared; once everyone there has, the round is over. */
  passedInRow: string[];
  /** [CIR2] Whether the piece follows presence (false for circles opened before issue 11). */
  tracksPresence: boolean;
  /** [CIR2] Seated people in the room now, as the server's presence logged it. */
  present: string[];
  round: number;
  roundOver: boolean;
  locked: boolean;
  ended: boolean;
  agreed: string[];
  shared: SharedEntry[];
}

export function emptyCircle(id: string): CircleState {
  return {
    id,
    seq: 0,
    exists: false,
    cohortId: null,
    sessionId: null,
    title: "",
    seats: [],
    shareSeconds: DEFAULT_SHARE_SECONDS,
    startedAt: null,
    endsAt: null,
    holder: null,
    holderSince: null,
    passedInRow: [],
    tracksPresence: false,
    present: [],
    round: 0,
    roundOver: false,
    locked: false,
    ended: false,
    agreed: [],
    shared: [],
  };
}

/** [LOG5] The one reducer for a circle stream. */
export function reduceCircle(state: CircleState, e: StoredEvent): CircleState {
  const next = { ...state, seq: e.seq };
  switch (e.type) {
    case "circle.started": {
      const d = CircleEventData["circle.started"].parse(e.data);
      return {
        ...next,
        exists: true,
        cohortId: d.cohortId,
        sessionId: d.sessionId,
        title: d.title,
        seats: d.seats,
        shareSeconds: d.shareSeconds,
        startedAt: e.at,
        endsAt: d.endsAt,
        holder: d.seats[0] ?? null,
        holderSince: e.at,
        round: 1,
        tracksPresence: d.presence === true,
      };
    }
    case "agreement.accepted": {
      const { userId } = CircleEventData["agreement.accepted"].parse(e.data);
      return next.agreed.includes(userId) ? next : { ...next, agreed: [...next.agreed, userId] };
    }
    case "piece.moved": {
      const d = CircleEventData["piece.moved"].parse(e.data);
      const startsRound = next.roundOver && d.to !== null;
      return {
        ...next,
        holder: d.to,
        holderSince: e.at,
        passedInRow:
          d.action === "pass" && !d.roundOver && d.from !== null ? [...new Set([...next.passedInRow, d.from])] : [],
        roundOver: d.roundOver,
        round: startsRound ? next.round + 1 : next.round,
      };
    }
    case "notes.locked":
      return { ...next, locked: true };
    case "circle.ended":
      return { ...next, ended: true, locked: true, holder: null, roundOver: true };
    case "journal.shared": {
      const d = CircleEventData["journal.shared"].parse(e.data);
      const others = next.shared.filter((x) => x.entryId !== d.entryId);
      return { ...next, shared: [...others, { ...d, at: e.at }] };
    }
    case "journal.unshared": {
      const d = CircleEventData["journal.unshared"].parse(e.data);
      return { ...next, shared: next.shared.filter((x) => !(x.entryId === d.entryId && x.userId === d.userId)) };
    }
    case "circle.presence": {
      const d = CircleEventData["circle.presence"].parse(e.data);
      const others = next.present.filter((u) => u !== d.userId);
      return { ...next, present: d.present ? [...others, d.userId] : others };
    }
    default:
      return next;
  }
}

/** The circle's own events, which every member who accepted the agreement sees. */
const CIRCLE_WIDE = new Set([
  "circle.started",
  "piece.moved",
  "notes.locked",
  "circle.ended",
  "journal.shared",
  "journal.unshared",
  "circle.presence",
]);

/**
 * [AC2] A participant's acceptance is theirs (and staff's) to see; the circle's own events are the
 * circle's. Any other type (a newer server's) is staff-only until it is listed here: fail closed.
 */
export function circleAudience(e: StoredEvent): Audience {
  if (e.type === "agreement.accepted")
    return onlyParticipant(CircleEventData["agreement.accepted"].parse(e.data).userId);
  return CIRCLE_WIDE.has(e.type) ? ALL : STAFF;
}

type Draft = Omit<DraftEvent, "at">;

export interface StartCircle {
  id: string;
  cohortId: string;
  sessionId: string | null;
  title: string;
  shareSeconds: number;
  endsAt: string;
  seats: string[];
}

/**
 * What opening a circle reads of its cohort. Structural, so this module need not import cohort.ts
 * (which imports it for `circle.listed`).
 */
export interface CircleCohort {
  participants: readonly string[];
  facilitators: readonly string[];
  schedule: readonly { id: string }[];
  sessions: readonly { id: string }[];
}

/** What the facilitator asks for; the minutes are optional, with the profile-free defaults above. */
export interface CircleRequest {
  sessionId?: string | null;
  durationMinutes?: number;
  shareMinutes?: number;
}

/**
 * [CIR2][CIR3] The circle a facilitator opens in a cohort: the seat order (the opener first, as
 * they open with the piece, then the participants, then the co-facilitators), the end time that
 * ends the round at the latest, and the share length. A linked session must be one of the
 * cohort's, scheduled or live.
 */
export function circleOpening(
  cohort: CircleCohort,
  openerId: string,
  nowMs: number,
  req: CircleRequest,
): Pick<StartCircle, "sessionId" | "seats" | "endsAt" | "shareSeconds"> {
  const sessionId = req.sessionId ?? null;
  if (
    sessionId !== null &&
    !cohort.schedule.some((x) => x.id === sessionId) &&
    !cohort.sessions.some((x) => x.id === sessionId)
  ) {
    throw new AppError(ErrorCode.NOT_FOUND, "That scheduled session is not in this cohort.");
  }
  return {
    sessionId,
    seats: [openerId, ...cohort.participants, ...cohort.facilitators.filter((f) => f !== openerId)],
    endsAt: new Date(nowMs + (req.durationMinutes ?? DEFAULT_CIRCLE_MINUTES) * 60_000).toISOString(),
    shareSeconds: req.shareMinutes === undefined ? DEFAULT_SHARE_SECONDS : req.shareMinutes * 60,
  };
}

export function decideStartCircle(state: CircleState, cmd: StartCircle, actor: Viewer): Draft[] {
  if (actor.role !== "facilitator") throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator can start a circle.");
  if (state.exists) throw new AppError(ErrorCode.RULE_VIOLATION, "This circle has already been started.");
  const { id, ...data } = cmd;
  return [
    { id, type: "circle.started", actor: actor.userId, data: { ...data, startedBy: actor.userId, presence: true } },
  ];
}

/** [CIR1] Accepting twice is harmless: the second time records nothing new. */
export function decideAgree(state: CircleState, cmdId: string, actor: Viewer): Draft[] {
  if (actor.role !== "participant")
    throw new AppError(ErrorCode.FORBIDDEN, "Only participants accept the circle agreement.");
  if (state.agreed.includes(actor.userId)) return [];
  return [{ id: cmdId, type: "agreement.accepted", actor: actor.userId, data: { userId: actor.userId } }];
}

export function decideLock(state: CircleState, cmdId: string, actor: Viewer): Draft[] {
  live(state);
  if (actor.role !== "facilitator")
    throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator can lock the circle notes.");
  if (state.locked) return [];
  return [{ id: cmdId, type: "notes.locked", actor: actor.userId, data: { by: actor.userId } }];
}

export function decideEnd(state: CircleState, cmdId: string, actor: Viewer): Draft[] {
  live(state);
  if (actor.role !== "facilitator") throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator can end the circle.");
  return [{ id: cmdId, type: "circle.ended", actor: actor.userId, data: { by: actor.userId } }];
}

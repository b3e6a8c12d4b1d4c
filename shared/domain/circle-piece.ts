import { AppError, ErrorCode } from "../protocol/errors.js";
import { serverId, type DraftEvent } from "../log.js";
import type { Viewer } from "./roles.js";
import type { CircleState, PieceAction } from "./circle.js";

/**
 * [CIR2] The talking piece among the people who are there. Who is there is not the client's word:
 * it is the server's presence, logged into the circle's stream as `circle.presence` (see
 * `decidePresence`), so a decision on the piece reads it from the same state every node folds,
 * and two commands racing on one circle are ordered by the stream's head (the second re-decides).
 */

type Draft = Omit<DraftEvent, "at">;

/** [CIR2] Whether this seat counts now: in circles that follow presence, only people in the room do. */
export function isThere(state: Pick<CircleState, "tracksPresence" | "present">, userId: string): boolean {
  return !state.tracksPresence || state.present.includes(userId);
}

/**
 * [CIR2] The seat after `userId`, in seat order, going round — skipping seats for which `counts`
 * is false. Someone who arrives mid-round is reached when their seat comes up; null when nobody
 * else counts.
 */
export function nextSeat(
  seats: readonly string[],
  userId: string | null,
  counts: (id: string) => boolean = () => true,
): string | null {
  const i = userId === null ? -1 : seats.indexOf(userId);
  for (let step = 1; step <= seats.length; step++) {
    const id = seats[(i + step) % seats.length];
    if (id !== undefined && counts(id)) return id;
  }
  return null;
}

/** [CIR2] A round is over when the piece went round once with everyone passing, or at the end time. */
export function isRoundOver(state: CircleState, nowMs: number): boolean {
  return state.ended || state.roundOver || (state.endsAt !== null && nowMs >= Date.parse(state.endsAt));
}

/** [CIR3] Milliseconds left in the current share on the server's clock; negative is overtime (never a cut-off). */
export function shareRemainingMs(state: CircleState, serverNowMs: number): number | null {
  if (state.holder === null || state.holderSince === null) return null;
  return state.shareSeconds * 1000 - (serverNowMs - Date.parse(state.holderSince));
}

export function live(state: CircleState): void {
  if (!state.exists) throw new AppError(ErrorCode.NOT_FOUND, "That circle does not exist or you are not part of it.");
  if (state.ended) throw new AppError(ErrorCode.RULE_VIOLATION, "This circle has ended.");
}

/** [CIR2] Pass, finish, hand or take the talking piece. */
export function decidePiece(
  state: CircleState,
  cmd: { id: string; action: PieceAction; to: string | null },
  actor: Viewer,
  nowMs: number,
): Draft[] {
  live(state);
  const staff = actor.role === "facilitator";
  const moved = (to: string | null, roundOver: boolean): Draft[] => [
    {
      id: cmd.id,
      type: "piece.moved",
      actor: actor.userId,
      data: { action: cmd.action, from: state.holder, to, roundOver },
    },
  ];
  if (cmd.action === "hand" || cmd.action === "take") {
    if (!staff)
      throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator can hand the piece to someone or take it back.");
    const to = cmd.action === "take" ? actor.userId : cmd.to;
    if (to === null || !state.seats.includes(to))
      throw new AppError(ErrorCode.RULE_VIOLATION, "The piece can only go to someone seated in this circle.");
    if (cmd.action === "hand" && !isThere(state, to))
      throw new AppError(
        ErrorCode.RULE_VIOLATION,
        "That person is not in the circle right now; hand the piece to someone who is.",
      );
    return moved(to, false);
  }
  if (state.endsAt !== null && nowMs >= Date.parse(state.endsAt)) {
    throw new AppError(ErrorCode.RULE_VIOLATION, `The circle's time ended at ${state.endsAt}; the round is over.`);
  }
  if (state.holder !== actor.userId) {
    throw new AppError(
      ErrorCode.RULE_VIOLATION,
      state.holder === null
        ? "Nobody holds the piece now; you cannot pass it."
        : "You do not hold the talking piece, so you cannot pass it.",
    );
  }
  const there = (id: string) => isThere(state, id);
  // Everyone there passing in a row closes the round; nobody waits for a seat whose person never came.
  const passed = new Set([...state.passedInRow, actor.userId]);
  const everyonePassed = cmd.action === "pass" && state.seats.filter(there).every((id) => passed.has(id));
  if (everyonePassed) return moved(null, true);
  // Alone in the room, the piece stays with its holder (a new share begins).
  return moved(nextSeat(state.seats, actor.userId, there) ?? actor.userId, false);
}

/**
 * [CIR2][PR5] Log that a seated person arrived or left, once per real transition: the id is named
 * after the state it is decided on, so nodes noticing the same change at once append it once
 * (the loser re-decides on the new head and finds nothing to do), while leaving and coming back
 * is a new transition with a new id.
 */
export function decidePresence(state: CircleState, cmd: { userId: string; present: boolean }): Draft[] {
  if (!state.exists || state.ended || !state.tracksPresence || !state.seats.includes(cmd.userId)) return [];
  if (state.present.includes(cmd.userId) === cmd.present) return [];
  return [
    {
      id: serverId(cmd.present ? "circle-arrived" : "circle-left", cmd.userId, "at", state.seq),
      type: "circle.presence",
      actor: cmd.userId,
      data: { userId: cmd.userId, present: cmd.present },
    },
  ];
}

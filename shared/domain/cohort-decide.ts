import { AppError, ErrorCode } from "../protocol/errors.js";
import type { DraftEvent } from "../log.js";
import type { ScreeningAnswers } from "./screening.js";
import type { CohortState, TransportPlan } from "./cohort.js";
import { isStaff, type Viewer } from "./roles.js";
import type { RuleProfile } from "../profiles/schema.js";

type Draft = Omit<DraftEvent, "at">;

/** Pure decisions on a cohort's stream: membership and the readiness record [RDY1]. */

function forbid(message: string): never {
  throw new AppError(ErrorCode.FORBIDDEN, message);
}

/**
 * [SCH5] A cohort meets as one group, so its room may not hold more than the profile's group
 * limit: a capacity of 30 under a 25-person limit is refused, naming the limit and the profile.
 */
export function decideCreateCohort(
  state: CohortState,
  cmd: { id: string; programId: string; name: string; capacity: number },
  actor: Viewer,
  profile: RuleProfile,
): Draft[] {
  if (actor.role !== "admin") forbid("Only a program admin can create cohorts.");
  if (state.exists) throw new AppError(ErrorCode.RULE_VIOLATION, "A cohort with this id already exists.");
  if (cmd.capacity > profile.maxGroupSize) {
    const msg = `A group session holds at most ${profile.maxGroupSize} participants under the ${profile.name} rules, so a cohort's capacity can be at most ${profile.maxGroupSize}; this one asks for ${cmd.capacity}.`;
    throw new AppError(ErrorCode.RULE_VIOLATION, msg, { capacity: msg });
  }
  return [
    {
      id: cmd.id,
      type: "cohort.created",
      actor: actor.userId,
      data: { programId: cmd.programId, name: cmd.name, capacity: cmd.capacity },
    },
  ];
}

export function decideAssignFacilitator(
  state: CohortState,
  cmd: { id: string; userId: string },
  actor: Viewer,
): Draft[] {
  if (actor.role !== "admin") forbid("Only a program admin can assign facilitators.");
  if (state.facilitators.includes(cmd.userId)) return [];
  return [{ id: cmd.id, type: "facilitator.assigned", actor: actor.userId, data: { userId: cmd.userId } }];
}

/** Enrolment respects the room: a cohort never holds more participants than its capacity. */
export function decideEnrol(
  state: CohortState,
  cmd: { id: string; userId: string; via: "admin" | "invite" },
  actorId: string,
): Draft[] {
  if (!state.exists) throw new AppError(ErrorCode.NOT_FOUND, "That cohort does not exist.");
  if (state.participants.includes(cmd.userId)) return [];
  assertRoom(state);
  return [{ id: cmd.id, type: "participant.enrolled", actor: actorId, data: { userId: cmd.userId, via: cmd.via } }];
}

export function assertRoom(state: CohortState): void {
  if (state.participants.length >= state.capacity) {
    throw new AppError(
      ErrorCode.RULE_VIOLATION,
      `This cohort is full: its room holds ${state.capacity} participants and ${state.participants.length} are enrolled.`,
    );
  }
}

export function decideInviteCreated(
  state: CohortState,
  cmd: { id: string; inviteId: string; expiresAt: string },
  actor: Viewer,
): Draft[] {
  if (actor.role !== "admin") forbid("Only a program admin can create enrolment links.");
  assertRoom(state);
  return [
    {
      id: cmd.id,
      type: "invite.created",
      actor: actor.userId,
      data: { inviteId: cmd.inviteId, expiresAt: cmd.expiresAt },
    },
  ];
}

function ownRecord(state: CohortState, actor: Viewer): void {
  if (actor.role !== "participant") forbid("Only the participant fills in their own forms.");
  if (!state.participants.includes(actor.userId))
    throw new AppError(ErrorCode.NOT_FOUND, "You are not enrolled in this cohort.");
}

/** [RDY2][RDY3] A new submission replaces the answers and needs a fresh review. */
export function decideScreening(
  state: CohortState,
  cmd: { id: string; answers: ScreeningAnswers },
  actor: Viewer,
): Draft[] {
  ownRecord(state, actor);
  return [
    {
      id: cmd.id,
      type: "screening.submitted",
      actor: actor.userId,
      data: { participantId: actor.userId, answers: cmd.answers },
    },
  ];
}

export function decideConsent(state: CohortState, cmd: { id: string; version: string }, actor: Viewer): Draft[] {
  ownRecord(state, actor);
  return [
    {
      id: cmd.id,
      type: "consent.recorded",
      actor: actor.userId,
      data: { participantId: actor.userId, version: cmd.version },
    },
  ];
}

export function decideTransport(state: CohortState, cmd: { id: string } & TransportPlan, actor: Viewer): Draft[] {
  ownRecord(state, actor);
  return [
    {
      id: cmd.id,
      type: "transport.recorded",
      actor: actor.userId,
      data: { participantId: actor.userId, driver: cmd.driver, contact: cmd.contact, notes: cmd.notes },
    },
  ];
}

function staffOf(state: CohortState, actor: Viewer, what: string): void {
  if (!isStaff(actor)) forbid(`Only a facilitator can ${what}.`);
  if (!state.participants.length && !state.exists)
    throw new AppError(ErrorCode.NOT_FOUND, "That cohort does not exist.");
}

function enrolled(state: CohortState, participantId: string): void {
  if (!state.participants.includes(participantId))
    throw new AppError(ErrorCode.NOT_FOUND, "That participant is not enrolled in this cohort.");
}

export function decideReview(state: CohortState, cmd: { id: string; participantId: string }, actor: Viewer): Draft[] {
  staffOf(state, actor, "review a screening");
  enrolled(state, cmd.participantId);
  if (!state.records[cmd.participantId]?.screening)
    throw new AppError(
      ErrorCode.RULE_VIOLATION,
      "This participant has not submitted a screening yet, so there is nothing to review.",
    );
  return [{ id: cmd.id, type: "screening.reviewed", actor: actor.userId, data: { participantId: cmd.participantId } }];
}

/** [RDY1] Attendance of a preparation session that has started, recorded by a facilitator. */
export function decidePreparation(
  state: CohortState,
  cmd: { id: string; participantId: string; sessionId: string },
  actor: Viewer,
  now: string,
): Draft[] {
  staffOf(state, actor, "record preparation attendance");
  enrolled(state, cmd.participantId);
  const session = state.schedule.find((s) => s.id === cmd.sessionId);
  if (!session || session.kind !== "preparation" || !session.participants.includes(cmd.participantId)) {
    throw new AppError(ErrorCode.RULE_VIOLATION, "That is not a preparation session of this participant.");
  }
  if (session.start > now)
    throw new AppError(
      ErrorCode.RULE_VIOLATION,
      "Attendance can be recorded once the preparation session has started.",
    );
  return [
    {
      id: cmd.id,
      type: "preparation.attended",
      actor: actor.userId,
      data: { participantId: cmd.participantId, sessionId: cmd.sessionId },
    },
  ];
}

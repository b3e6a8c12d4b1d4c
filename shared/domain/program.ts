import { z } from "zod";
import type { DraftEvent, StoredEvent } from "../log.js";
import { AppError, ErrorCode } from "../protocol/errors.js";
import { STAFF, type Audience, type Viewer } from "./roles.js";

/** Events of a program's stream (`program:<id>`). */
export const ProgramEventData = {
  "program.created": z.object({
    name: z.string(),
    zone: z.string(),
    profile: z.string(),
    admins: z.array(z.string()).optional(),
  }),
  "admin.added": z.object({ userId: z.string() }),
  "cohort.added": z.object({ cohortId: z.string() }),
  /** A one-time link for a new facilitator; the token itself lives only in KV. */
  "facilitator.invited": z.object({ inviteId: z.string(), cohortId: z.string().nullable(), expiresAt: z.string() }),
  "facilitator.joined": z.object({ inviteId: z.string(), userId: z.string(), cohortId: z.string().nullable() }),
  /** [OUT7] The identifier system its exports name participants in (e.g. the clinic's record numbers). */
  "program.patient_identity_set": z.object({ system: z.string() }),
} as const;

export interface ProgramState {
  id: string;
  seq: number;
  exists: boolean;
  name: string;
  zone: string;
  profile: string;
  admins: string[];
  cohorts: string[];
  /** Facilitators who joined by an invite link. */
  facilitators: string[];
  /** Facilitator invites not yet used (they may have expired). */
  pendingInvites: string[];
  /** [OUT7] The FHIR identifier system of its participants; null: the default one per program. */
  patientIdSystem: string | null;
}

export function emptyProgram(id: string): ProgramState {
  return {
    id,
    seq: 0,
    exists: false,
    name: "",
    zone: "UTC",
    profile: "oregon-2025",
    admins: [],
    cohorts: [],
    facilitators: [],
    pendingInvites: [],
    patientIdSystem: null,
  };
}

/** [LOG5] The one reducer for a program stream. */
export function reduceProgram(state: ProgramState, e: StoredEvent): ProgramState {
  const next = { ...state, seq: e.seq };
  switch (e.type) {
    case "program.created": {
      const d = ProgramEventData["program.created"].parse(e.data);
      return {
        ...next,
        exists: true,
        name: d.name,
        zone: d.zone,
        profile: d.profile,
        admins: [...new Set([...next.admins, ...(d.admins ?? [])])],
      };
    }
    case "admin.added": {
      const { userId } = ProgramEventData["admin.added"].parse(e.data);
      return { ...next, admins: next.admins.includes(userId) ? next.admins : [...next.admins, userId] };
    }
    case "cohort.added": {
      const { cohortId } = ProgramEventData["cohort.added"].parse(e.data);
      return { ...next, cohorts: next.cohorts.includes(cohortId) ? next.cohorts : [...next.cohorts, cohortId] };
    }
    case "facilitator.invited": {
      const { inviteId } = ProgramEventData["facilitator.invited"].parse(e.data);
      return { ...next, pendingInvites: [...next.pendingInvites, inviteId] };
    }
    case "facilitator.joined": {
      const { inviteId, userId } = ProgramEventData["facilitator.joined"].parse(e.data);
      return {
        ...next,
        pendingInvites: next.pendingInvites.filter((x) => x !== inviteId),
        facilitators: [...new Set([...next.facilitators, userId])],
      };
    }
    case "program.patient_identity_set":
      return { ...next, patientIdSystem: ProgramEventData["program.patient_identity_set"].parse(e.data).system };
    default:
      return next;
  }
}

/** [OUT7] A program's admin names the identifier system its FHIR exports use for participants. */
export function decideSetPatientIdentity(
  state: ProgramState,
  cmd: { id: string; system: string },
  actor: Viewer,
): Draft[] {
  if (!state.exists || !state.admins.includes(actor.userId))
    throw new AppError(ErrorCode.NOT_FOUND, "That program does not exist or you are not one of its admins.");
  if (state.patientIdSystem === cmd.system) return [];
  return [{ id: cmd.id, type: "program.patient_identity_set", actor: actor.userId, data: { system: cmd.system } }];
}

export function programAudience(_e: StoredEvent): Audience {
  return STAFF;
}

type Draft = Omit<DraftEvent, "at">;

/** A program is created by an admin, who becomes its first admin. */
export function decideCreateProgram(
  state: ProgramState,
  cmd: { id: string; name: string; zone: string; profile: string },
  actor: Viewer,
): Draft[] {
  if (actor.role !== "admin") throw new AppError(ErrorCode.FORBIDDEN, "Only an admin can create a program.");
  if (state.exists) throw new AppError(ErrorCode.RULE_VIOLATION, "A program with this id already exists.");
  // One event, so a half-written creation (program without its admin) cannot happen.
  return [
    {
      id: cmd.id,
      type: "program.created",
      actor: actor.userId,
      data: { name: cmd.name, zone: cmd.zone, profile: cmd.profile, admins: [actor.userId] },
    },
  ];
}

/** A cohort joins a program; only that program's admins may add one. */
export function decideAddCohort(state: ProgramState, cmd: { id: string; cohortId: string }, actor: Viewer): Draft[] {
  if (!state.exists || !state.admins.includes(actor.userId))
    throw new AppError(ErrorCode.NOT_FOUND, "That program does not exist or you are not one of its admins.");
  if (state.cohorts.includes(cmd.cohortId)) return [];
  return [{ id: cmd.id, type: "cohort.added", actor: actor.userId, data: { cohortId: cmd.cohortId } }];
}

/** [AC1] Only an admin of this program creates staff; a facilitator can never create anyone. */
export function decideInviteFacilitator(
  state: ProgramState,
  cmd: { id: string; inviteId: string; cohortId: string | null; expiresAt: string },
  actor: Viewer,
): Draft[] {
  if (actor.role !== "admin") throw new AppError(ErrorCode.FORBIDDEN, "Only a program admin can invite facilitators.");
  if (!state.exists || !state.admins.includes(actor.userId))
    throw new AppError(ErrorCode.NOT_FOUND, "That program does not exist or you are not one of its admins.");
  if (cmd.cohortId !== null && !state.cohorts.includes(cmd.cohortId))
    throw new AppError(ErrorCode.NOT_FOUND, "That cohort is not part of this program.");
  return [
    {
      id: cmd.id,
      type: "facilitator.invited",
      actor: actor.userId,
      data: { inviteId: cmd.inviteId, cohortId: cmd.cohortId, expiresAt: cmd.expiresAt },
    },
  ];
}

/** The invited person's first use of the link; an invite is used once. */
export function decideFacilitatorJoined(
  state: ProgramState,
  cmd: { id: string; inviteId: string; userId: string; cohortId: string | null },
): Draft[] {
  if (!state.pendingInvites.includes(cmd.inviteId))
    throw new AppError(
      ErrorCode.INVITE_INVALID,
      "This invite link has already been used or has expired. Ask your program for a new one.",
    );
  return [
    {
      id: cmd.id,
      type: "facilitator.joined",
      actor: cmd.userId,
      data: { inviteId: cmd.inviteId, userId: cmd.userId, cohortId: cmd.cohortId },
    },
  ];
}

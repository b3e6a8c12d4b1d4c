import { createHash } from "node:crypto";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { serverId, streamName } from "../../shared/log.js";
import {
  decideAddCohort,
  decideCreateProgram,
  decideFacilitatorJoined,
  decideInviteFacilitator,
  decideSetPatientIdentity,
} from "../../shared/domain/program.js";
import {
  assertRoom,
  decideAssignFacilitator,
  decideCreateCohort,
  decideEnrol,
  decideInviteCreated,
} from "../../shared/domain/cohort-decide.js";
import type {
  CohortCreate,
  EnrolAccept,
  FacilitatorInviteCreate,
  InviteInfo,
  PatientIdentitySet,
  ProgramCreate,
} from "../../shared/protocol/admin.js";
import { EMAIL_TAKEN, type UserRecord } from "../auth/users.js";
import { fanOut } from "../gateway/fanout.js";
import type { Services } from "../services.js";
import { viewerOf } from "./directory.js";
import { derivedId } from "./derived-id.js";
import { clientKey, systemKey } from "./stream-service.js";
import { adminProgram, patientSystemOf, profileOf, requireAdminOf } from "./program-context.js";

/**
 * Admin commands over HTTP, on the one path: parse (in the route) → authorize → decide (shared)
 * → append (StreamService.execute, idempotent by the client's command id) → fan out.
 */

const idFrom = derivedId;

/** Programs an admin can open: their own and those they created (an index in KV, the log is the truth). */
export async function adminProgramIds(s: Services, user: UserRecord): Promise<string[]> {
  return s.users.adminProgramIds(user);
}

export async function createProgram(
  s: Services,
  user: UserRecord,
  cmd: ProgramCreate,
): Promise<{ programId: string; seq: number }> {
  const programId = idFrom("pg_", cmd.id);
  const done = await s.streams.execute("program", programId, clientKey(user.id, "program:create", cmd.id), (st) =>
    decideCreateProgram(st, cmd, viewerOf(user)),
  );
  const { events } = done;
  await s.users.addAdminProgram(user, programId);
  fanOut(s.io, streamName("program", programId), done);
  return { programId, seq: events[0]?.seq ?? 0 };
}

/** [OUT7] A program's admin sets the identifier system its FHIR exports name participants in. */
export async function setPatientIdentity(
  s: Services,
  user: UserRecord,
  programId: string,
  cmd: PatientIdentitySet,
): Promise<{ system: string }> {
  const done = await s.streams.execute(
    "program",
    programId,
    clientKey(user.id, "program:patient-identity", cmd.id),
    (st) => decideSetPatientIdentity(st, cmd, viewerOf(user)),
  );
  fanOut(s.io, streamName("program", programId), done);
  const program = await s.streams.state("program", programId);
  return { system: patientSystemOf(program) };
}

/** A cohort is created in its own stream, then listed in the program's; both by the command's id. */
export async function createCohort(s: Services, user: UserRecord, cmd: CohortCreate): Promise<{ cohortId: string }> {
  const program = await adminProgram(s, user, cmd.programId);
  const cohortId = idFrom("co_", cmd.id);
  const created = await s.streams.execute("cohort", cohortId, clientKey(user.id, "cohort:create", cmd.id), (st) =>
    decideCreateCohort(st, cmd, viewerOf(user), profileOf(program)),
  );
  // A follow-up with a server id: idempotent, and no client id can take it first.
  const listedId = serverId("listed", cohortId);
  const listed = await s.streams.execute(
    "program",
    cmd.programId,
    clientKey(user.id, "cohort:create", listedId),
    (st) => decideAddCohort(st, { id: listedId, cohortId }, viewerOf(user)),
  );
  fanOut(s.io, streamName("cohort", cohortId), created);
  fanOut(s.io, streamName("program", cmd.programId), listed);
  return { cohortId };
}

export async function assignFacilitator(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: { id: string; userId: string },
): Promise<{ seq: number }> {
  const { program } = await requireAdminOf(s, user, cohortId);
  const person = await s.users.get(cmd.userId);
  if (!person || person.role !== "facilitator" || person.programId !== program.id) {
    throw new AppError(ErrorCode.NOT_FOUND, "No facilitator of this program has that id.");
  }
  const done = await s.streams.execute("cohort", cohortId, clientKey(user.id, "facilitator:assign", cmd.id), (st) =>
    decideAssignFacilitator(st, cmd, viewerOf(user)),
  );
  const { events } = done;
  fanOut(s.io, streamName("cohort", cohortId), done);
  return { seq: events[0]?.seq ?? 0 };
}

/** An enrolment link: the token lives only in KV (a secret never goes into the log). */
export async function createInvite(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: { id: string; ttlHours: number },
): Promise<{ token: string; path: string; expiresAt: string }> {
  const { program } = await requireAdminOf(s, user, cohortId);
  const ttlMs = cmd.ttlHours * 3_600_000;
  const expiresAt = new Date(s.clock.now() + ttlMs).toISOString();
  const inviteId = idFrom("inv_", cmd.id);
  const { events, duplicate } = await s.streams.execute(
    "cohort",
    cohortId,
    clientKey(user.id, "invite:create", cmd.id),
    (st) => decideInviteCreated(st, { id: cmd.id, inviteId, expiresAt }, viewerOf(user)),
  );
  if (duplicate)
    throw new AppError(
      ErrorCode.RULE_VIOLATION,
      "This link was already created; create a new one to get its address again.",
    );
  const token = await s.users.createEnrolInvite({ inviteId, cohortId, programId: program.id, expiresAt }, ttlMs);
  fanOut(s.io, streamName("cohort", cohortId), { events, duplicate });
  return { token, path: `/join/${token}`, expiresAt };
}

/**
 * [AC1] A one-time link for a new facilitator of the program. Only the program's admins may
 * create one; the role is fixed here, never taken from the request.
 */
export async function createFacilitatorInvite(
  s: Services,
  user: UserRecord,
  programId: string,
  cmd: FacilitatorInviteCreate,
): Promise<{ token: string; path: string; expiresAt: string }> {
  const ttlMs = cmd.ttlHours * 3_600_000;
  const expiresAt = new Date(s.clock.now() + ttlMs).toISOString();
  const inviteId = idFrom("finv_", cmd.id);
  const { events, duplicate } = await s.streams.execute(
    "program",
    programId,
    clientKey(user.id, "invite:facilitator", cmd.id),
    (st) => decideInviteFacilitator(st, { id: cmd.id, inviteId, cohortId: cmd.cohortId, expiresAt }, viewerOf(user)),
  );
  if (duplicate)
    throw new AppError(
      ErrorCode.RULE_VIOLATION,
      "This link was already created; create a new one to get its address again.",
    );
  const token = await s.users.createFacilitatorInvite(
    { inviteId, programId, cohortId: cmd.cohortId, invitedBy: user.id, expiresAt },
    ttlMs,
  );
  fanOut(s.io, streamName("program", programId), { events, duplicate });
  return { token, path: `/join/${token}`, expiresAt };
}

const INVALID = "This enrolment link has already been used or has expired. Ask your program for a new one.";
const live = (invite: { expiresAt: string } | null, now: number) =>
  invite !== null && Date.parse(invite.expiresAt) > now;

/** What the join page shows before anyone commits to anything (participant or facilitator link). */
export async function describeInvite(s: Services, token: string): Promise<InviteInfo> {
  const invite = await s.users.peekEnrolInvite(token);
  if (invite && live(invite, s.clock.now())) {
    const [cohort, program] = await Promise.all([
      s.streams.state("cohort", invite.cohortId),
      s.streams.state("program", invite.programId),
    ]);
    return { kind: "participant", cohortName: cohort.name, programName: program.name, expiresAt: invite.expiresAt };
  }
  const staff = await s.users.peekFacilitatorInvite(token);
  if (!staff || !live(staff, s.clock.now())) throw new AppError(ErrorCode.INVITE_INVALID, INVALID);
  const program = await s.streams.state("program", staff.programId);
  const cohort = staff.cohortId === null ? null : await s.streams.state("cohort", staff.cohortId);
  return {
    kind: "facilitator",
    cohortName: cohort?.name ?? null,
    programName: program.name,
    expiresAt: staff.expiresAt,
  };
}

/**
 * The account a link makes has an id derived from the link, so every retry of one acceptance
 * works on the same account: a crash between any two steps is finished by the retry [LOG2].
 */
function accountIdFor(inviteId: string): string {
  return `u_${createHash("sha256").update(`invite:${inviteId}`).digest("base64url").slice(0, 16)}`;
}

/** Free, or already this link's own account (a retry after a crash). */
async function assertEmailFree(s: Services, email: string, accountId: string): Promise<void> {
  const existing = await s.users.byEmail(email);
  if (existing && existing.id !== accountId)
    throw new AppError(ErrorCode.RULE_VIOLATION, EMAIL_TAKEN, { email: EMAIL_TAKEN });
}

/** Hold the link for this person until it expires; someone else's acceptance in progress makes it unusable. */
async function claim(s: Services, token: string, email: string, invite: { expiresAt: string }): Promise<void> {
  if (!(await s.users.claimInvite(token, email, Date.parse(invite.expiresAt) - s.clock.now())))
    throw new AppError(ErrorCode.INVITE_INVALID, INVALID);
}

/**
 * Claim the link for this email, then make or finish the link's account (both kinds of link);
 * if the email was taken meanwhile the claim is let go so the link still works.
 */
async function claimAccount(
  s: Services,
  body: EnrolAccept,
  invite: { expiresAt: string; programId: string },
  id: string,
  role: Parameters<Services["users"]["ensure"]>[0]["role"],
): Promise<UserRecord> {
  await claim(s, body.token, body.email, invite);
  try {
    return await s.users.ensure({
      id,
      email: body.email,
      name: body.name,
      role,
      programId: invite.programId,
      password: body.password,
    });
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.RULE_VIOLATION) await s.users.releaseInvite(body.token);
    throw err;
  }
}

/**
 * First use of a facilitator link: create the account (role fixed to facilitator, in the link's
 * program), record the join in the program stream, and assign the cohort the admin chose. Each
 * step is idempotent and the link is spent last, so a retry after a crash finishes the rest.
 */
async function acceptFacilitatorInvite(s: Services, body: EnrolAccept): Promise<UserRecord> {
  const invite = await s.users.peekFacilitatorInvite(body.token);
  if (!invite || !live(invite, s.clock.now())) throw new AppError(ErrorCode.INVITE_INVALID, INVALID);
  const accountId = accountIdFor(invite.inviteId);
  await assertEmailFree(s, body.email, accountId);
  const user = await claimAccount(s, body, invite, accountId, "facilitator");
  const joinedId = serverId("joined", invite.inviteId);
  const joined = await s.streams.execute("program", invite.programId, systemKey(joinedId), (st) =>
    decideFacilitatorJoined(st, {
      id: joinedId,
      inviteId: invite.inviteId,
      userId: user.id,
      cohortId: invite.cohortId,
    }),
  );
  fanOut(s.io, streamName("program", invite.programId), joined);
  if (invite.cohortId !== null) {
    // Assigned on the inviting admin's authority, which the link carries.
    const assignId = serverId("assign", invite.inviteId);
    const assigned = await s.streams.execute("cohort", invite.cohortId, systemKey(assignId), (st) =>
      decideAssignFacilitator(st, { id: assignId, userId: user.id }, { userId: invite.invitedBy, role: "admin" }),
    );
    fanOut(s.io, streamName("cohort", invite.cohortId), assigned);
  }
  await s.users.takeFacilitatorInvite(body.token);
  return user;
}

/**
 * First use of an enrolment link: create the participant's account and enrol them. Everything
 * that can refuse is checked before anything is written; each write is idempotent and the link
 * is spent last, so a crash halfway never leaves a spent link and nobody enrolled — the same
 * person's retry (any node) finishes it.
 */
export async function acceptEnrolment(s: Services, body: EnrolAccept): Promise<UserRecord> {
  const invite = await s.users.peekEnrolInvite(body.token);
  if (!invite) return acceptFacilitatorInvite(s, body);
  if (!live(invite, s.clock.now())) throw new AppError(ErrorCode.INVITE_INVALID, INVALID);
  const accountId = accountIdFor(invite.inviteId);
  await assertEmailFree(s, body.email, accountId);
  const cohort = await s.streams.state("cohort", invite.cohortId);
  if (!cohort.participants.includes(accountId)) assertRoom(cohort);
  const user = await claimAccount(s, body, invite, accountId, "participant");
  const commandId = serverId("enrol", invite.inviteId);
  const enrolled = await s.streams.execute("cohort", invite.cohortId, systemKey(commandId), (st) =>
    decideEnrol(st, { id: commandId, userId: user.id, via: "invite" }, user.id),
  );
  fanOut(s.io, streamName("cohort", invite.cohortId), enrolled);
  await s.users.takeEnrolInvite(body.token);
  return user;
}

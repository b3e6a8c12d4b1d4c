import { createHash, randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";
import { Role } from "../../shared/domain/roles.js";
import type { PublicUser } from "../../shared/protocol/events.js";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import type { KvStore } from "../stores/types.js";
import { hashPassword } from "./passwords.js";

export const UserRecord = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  programId: z.string(),
  passwordHash: z.string().nullable(),
});
export type UserRecord = z.infer<typeof UserRecord>;

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const EMAIL_TAKEN = "An account with this email already exists. Sign in instead, or use another email.";

const keys = {
  user: (id: string) => `user:${id}`,
  email: (email: string) => `user-email:${email.toLowerCase()}`,
  session: (sid: string) => `auth:${sid}`,
  invite: (token: string) => `invite:${token}`,
  enrol: (token: string) => `enrol:${token}`,
  staffInvite: (token: string) => `staff-invite:${token}`,
  /** Who is accepting a one-time link (a hash of their email), so only they can finish it after a crash. */
  inviteClaim: (token: string) => `invite-claim:${createHash("sha256").update(token).digest("base64url")}`,
  adminPrograms: (userId: string) => `admin-programs:${userId}`,
};

/** An enrolment link: whoever opens it first creates a participant account in this cohort. */
export const EnrolInvite = z.object({
  inviteId: z.string(),
  cohortId: z.string(),
  programId: z.string(),
  expiresAt: z.string(),
});
export type EnrolInvite = z.infer<typeof EnrolInvite>;

/** A facilitator invite link: whoever opens it first creates a facilitator account in this program. */
export const FacilitatorInvite = z.object({
  inviteId: z.string(),
  programId: z.string(),
  cohortId: z.string().nullable(),
  invitedBy: z.string(),
  expiresAt: z.string(),
});
export type FacilitatorInvite = z.infer<typeof FacilitatorInvite>;

export function publicUser(u: UserRecord): PublicUser {
  return { id: u.id, name: u.name, role: u.role };
}

/** Accounts, server-side sign-in sessions and one-time invite links, all in the shared KV store. */
export class Users {
  constructor(private readonly kv: KvStore) {}

  async create(input: {
    email: string;
    name: string;
    role: Role;
    programId: string;
    password: string | null;
    id?: string;
  }): Promise<UserRecord> {
    const user: UserRecord = {
      id: input.id ?? `u_${randomUUID().slice(0, 12)}`,
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      programId: input.programId,
      passwordHash: input.password === null ? null : await hashPassword(input.password),
    };
    // Claim the email first so two nodes cannot create the same account twice.
    const claimed = await this.kv.set(keys.email(user.email), user.id, { nx: true });
    if (!claimed) throw new Error("email already registered");
    await this.kv.set(keys.user(user.id), JSON.stringify(user));
    return user;
  }

  /**
   * Create the account with this id, or finish creating it: a retry after a crash between the
   * email claim and the record (same id) completes it; an email held by another account is refused.
   */
  async ensure(input: {
    id: string;
    email: string;
    name: string;
    role: Role;
    programId: string;
    password: string;
  }): Promise<UserRecord> {
    const email = input.email.toLowerCase();
    const claimed = await this.kv.set(keys.email(email), input.id, { nx: true });
    if (!claimed && (await this.kv.get(keys.email(email))) !== input.id)
      throw new AppError(ErrorCode.RULE_VIOLATION, EMAIL_TAKEN, { email: EMAIL_TAKEN });
    const user: UserRecord = {
      id: input.id,
      email,
      name: input.name,
      role: input.role,
      programId: input.programId,
      passwordHash: await hashPassword(input.password),
    };
    await this.kv.set(keys.user(user.id), JSON.stringify(user));
    return user;
  }

  /**
   * Hold a one-time link for one person while their account is made (until `ttlMs`): true for
   * the first claim and for the same person's retry, false when someone else holds it. The link
   * itself is spent only once everything it leads to is done, so a crash halfway never leaves a
   * spent link and nobody enrolled.
   */
  async claimInvite(token: string, email: string, ttlMs: number): Promise<boolean> {
    const who = createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
    if (await this.kv.set(keys.inviteClaim(token), who, { nx: true, ttlMs: Math.max(1, ttlMs) })) return true;
    return (await this.kv.get(keys.inviteClaim(token))) === who;
  }

  /** Let go of a claim whose account could not be made (the email was taken meanwhile), so the link stays usable. */
  async releaseInvite(token: string): Promise<void> {
    await this.kv.del(keys.inviteClaim(token));
  }

  async get(id: string): Promise<UserRecord | null> {
    const raw = await this.kv.get(keys.user(id));
    return raw === null ? null : UserRecord.parse(JSON.parse(raw));
  }

  async byEmail(email: string): Promise<UserRecord | null> {
    const id = await this.kv.get(keys.email(email));
    return id === null ? null : this.get(id);
  }

  async startSession(userId: string): Promise<string> {
    const sid = randomBytes(32).toString("base64url");
    await this.kv.set(keys.session(sid), userId, { ttlMs: SESSION_TTL_MS });
    return sid;
  }

  /** [AC1] The identity behind a session id, or null. */
  async fromSession(sid: string | undefined): Promise<UserRecord | null> {
    if (!sid) return null;
    const userId = await this.kv.get(keys.session(sid));
    return userId === null ? null : this.get(userId);
  }

  async endSession(sid: string): Promise<void> {
    await this.kv.del(keys.session(sid));
  }

  async createInvite(userId: string, ttlMs = INVITE_TTL_MS): Promise<string> {
    return this.mintLink(keys.invite, userId, ttlMs);
  }

  /** One-time: the first caller on any node gets the user, every later one gets null. */
  async redeemInvite(token: string): Promise<UserRecord | null> {
    const userId = await this.kv.take(keys.invite(token));
    return userId === null ? null : this.get(userId);
  }

  /** A one-time enrolment link (no account yet); the store's TTL and `expiresAt` both bound it. */
  async createEnrolInvite(invite: EnrolInvite, ttlMs: number): Promise<string> {
    return this.mintLink(keys.enrol, JSON.stringify(invite), ttlMs);
  }

  /** Read without spending, so a form can show which cohort the link is for. */
  async peekEnrolInvite(token: string): Promise<EnrolInvite | null> {
    return parseStored(EnrolInvite, await this.kv.get(keys.enrol(token)));
  }

  /** One-time across every node: the first caller gets the invite, every later one null. */
  async takeEnrolInvite(token: string): Promise<EnrolInvite | null> {
    return parseStored(EnrolInvite, await this.kv.take(keys.enrol(token)));
  }

  /** A one-time facilitator invite link; like enrolment links, bounded by the TTL and `expiresAt`. */
  async createFacilitatorInvite(invite: FacilitatorInvite, ttlMs: number): Promise<string> {
    return this.mintLink(keys.staffInvite, JSON.stringify(invite), ttlMs);
  }

  async peekFacilitatorInvite(token: string): Promise<FacilitatorInvite | null> {
    return parseStored(FacilitatorInvite, await this.kv.get(keys.staffInvite(token)));
  }

  async takeFacilitatorInvite(token: string): Promise<FacilitatorInvite | null> {
    return parseStored(FacilitatorInvite, await this.kv.take(keys.staffInvite(token)));
  }

  /** Programs an admin may open: their own and those they created (an index; the program log is the truth). */
  async adminProgramIds(user: UserRecord): Promise<string[]> {
    const raw = await this.kv.get(keys.adminPrograms(user.id));
    const extra: unknown = raw === null ? [] : JSON.parse(raw);
    const ids = Array.isArray(extra) ? extra.filter((x): x is string => typeof x === "string") : [];
    return [...new Set([user.programId, ...ids])];
  }

  async addAdminProgram(user: UserRecord, programId: string): Promise<void> {
    const known = await this.adminProgramIds(user);
    await this.kv.set(keys.adminPrograms(user.id), JSON.stringify([...new Set([...known, programId])]));
  }

  /** Every one-time link is 24 random bytes (unguessable: the token is the credential), kept until its TTL. */
  private async mintLink(key: (token: string) => string, value: string, ttlMs: number): Promise<string> {
    const token = randomBytes(24).toString("base64url");
    await this.kv.set(key(token), value, { ttlMs });
    return token;
  }
}

/** A stored link's payload, or null when it is gone or not of this kind (an older format reads as spent). */
function parseStored<S extends z.ZodType>(schema: S, raw: string | null): z.output<S> | null {
  if (raw === null) return null;
  const parsed = schema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

import { createHash } from "node:crypto";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import type { KvStore } from "../stores/types.js";

/**
 * Brute-force limits (docs/decisions.md, Foundation). Failures are counted per window in the
 * shared KV store, so every node sees one count; reaching the limit locks the key for LOCK_MS.
 */
export const LIMITS = {
  /** Failed sign-ins for one email, known or not, within the window. */
  loginPerEmail: 10,
  /** Failed sign-ins from one IP address (any emails) within the window. */
  loginPerIp: 50,
  /** Invalid invite or enrolment links tried from one IP address within the window. */
  tokensPerIp: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

/** Keys name a hash, never the email or address itself: KV keys show up in Redis tooling. */
const hashed = (s: string) => createHash("sha256").update(s).digest("base64url").slice(0, 32);

export interface Limit {
  /** KV key of the counter (the lock is stored next to it). */
  key: string;
  max: number;
}

export const loginEmailLimit = (email: string): Limit => ({
  key: `rl:login-email:${hashed(email.trim().toLowerCase())}`,
  max: LIMITS.loginPerEmail,
});
export const loginIpLimit = (ip: string): Limit => ({ key: `rl:login-ip:${hashed(ip)}`, max: LIMITS.loginPerIp });
export const tokenIpLimit = (ip: string): Limit => ({ key: `rl:token-ip:${hashed(ip)}`, max: LIMITS.tokensPerIp });

/**
 * Counts failures and refuses while locked. The lock's value is the time it lifts by the injected
 * clock, so the refusal can say when to try again and tests can move time instead of waiting.
 */
export class RateLimiter {
  constructor(
    private readonly kv: KvStore,
    private readonly now: () => number,
  ) {}

  /** [AC1] Throws RATE_LIMITED while any of these limits is locked. */
  async check(limits: readonly Limit[], what: string): Promise<void> {
    for (const limit of limits) {
      const raw = await this.kv.get(`${limit.key}:lock`);
      const until = raw === null ? NaN : Number(raw);
      if (Number.isFinite(until) && until > this.now()) throw this.refusal(until, what);
    }
  }

  /** Count one failure against each limit; one that reaches its maximum locks (the next try is refused). */
  async fail(limits: readonly Limit[]): Promise<void> {
    for (const limit of limits) {
      const count = await this.kv.incr(limit.key, LIMITS.windowMs);
      if (count < limit.max) continue;
      const until = this.now() + LIMITS.lockMs;
      await this.kv.set(`${limit.key}:lock`, String(until), { ttlMs: LIMITS.lockMs });
      // A fresh window after the lock: the next failure does not lock again at once.
      await this.kv.del(limit.key);
    }
  }

  /** A success forgets the failures counted against these limits. */
  async succeed(limits: readonly Limit[]): Promise<void> {
    for (const limit of limits) await this.kv.del(limit.key);
  }

  private refusal(until: number, what: string): AppError {
    const minutes = Math.max(1, Math.ceil((until - this.now()) / 60_000));
    return new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many unsuccessful ${what} in a short time. For safety, please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
    );
  }
}

/**
 * [AC1] Link guessing: refused while this address is locked, and every "invalid link" answer
 * counts against it. Other refusals (email taken, cohort full) are not guesses and do not count.
 */
export async function guardTokenUse<T>(limiter: RateLimiter, ip: string, use: () => Promise<T>): Promise<T> {
  const limits = [tokenIpLimit(ip)];
  await limiter.check(limits, "link attempts");
  try {
    return await use();
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.INVITE_INVALID) await limiter.fail(limits);
    throw err;
  }
}

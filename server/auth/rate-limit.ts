import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { RateLimitedError, type LimitsStore } from "../gateway/limits.js";

/**
 * Brute-force limits on sign-in and on invite/enrolment links (issue 13; docs/decisions-i13-signin.md).
 * The well-known scheme: consecutive failures per (account, address) with a short block, plus
 * failures per address per day. There is no per-account lock, so an attacker elsewhere cannot
 * lock a facilitator out on a dosing day. Every attempt takes its point atomically BEFORE the
 * password or link is checked (rate-limiter-flexible: one Lua script in Redis, or this process's
 * memory with the embedded store), so parallel attempts cannot all be checked; a success gives
 * it back. Windows are the store's own expiry, not the app clock: every node agrees on them.
 */
export interface Window {
  points: number;
  durationS: number;
  /** Refused for this long once over; 0: until the window ends. */
  blockS: number;
}

export interface SignInSettings {
  /** Failed sign-ins in a row for one email from one address (known account or not). */
  accountAddress: Window;
  /** Failed sign-ins from one address, any emails, in a day. */
  addressDay: Window;
  /** Invalid invite or enrolment links tried from one address. */
  tokensAddress: Window;
}

/**
 * 10 in a row leaves room for a tired person's typos and costs them 15 minutes from that one
 * address only. 100 a day per address cuts off a password spray (the old limit allowed 50 every
 * 15 minutes, ~4,800 a day) while a clinic behind one NAT does not make 100 typos in a day.
 */
export const SIGN_IN_LIMITS: SignInSettings = {
  accountAddress: { points: 10, durationS: 24 * 3600, blockS: 15 * 60 },
  addressDay: { points: 100, durationS: 24 * 3600, blockS: 0 },
  tokensAddress: { points: 20, durationS: 15 * 60, blockS: 15 * 60 },
};

/** Keys name a hash, never the email or address itself: keys show up in Redis tooling. */
const hashed = (s: string) => createHash("sha256").update(s).digest("base64url").slice(0, 32);

/** "15 minutes", "2 hours", "40 seconds": how long a refusal lasts, in words. */
export function waitText(ms: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (ms < 60_000) return unit(Math.max(1, Math.ceil(ms / 1000)), "second");
  if (ms < 2 * 3600_000) return unit(Math.ceil(ms / 60_000), "minute");
  return unit(Math.ceil(ms / 3600_000), "hour");
}

export interface SignInLimits {
  readonly kind: LimitsStore["kind"];
  /**
   * [AC1] Runs `check` (the password check) only if this attempt fits the limits, counted first.
   * A BAD_CREDENTIALS from `check` stays counted; a success resets this (email, address) count
   * and gives the address its point back; any other failure is not a guess and is given back.
   */
  signIn<T>(email: string, ip: string, check: () => Promise<T>): Promise<T>;
  /** [AC1] The same for link use: only INVITE_INVALID answers count as guesses. */
  useToken<T>(ip: string, use: () => Promise<T>): Promise<T>;
}

/** Resolves null within the limit, the limiter's answer over it; store errors reject (fail closed). */
async function take(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return err;
    throw err;
  }
}

export function createSignInLimits(
  store: LimitsStore,
  opts: { settings?: Partial<SignInSettings> } = {},
): SignInLimits {
  const settings: SignInSettings = { ...SIGN_IN_LIMITS, ...opts.settings };
  const make = (name: string, w: Window): RateLimiterAbstract => {
    const common = { points: w.points, duration: w.durationS, blockDuration: w.blockS };
    if (store.kind === "memory") return new RateLimiterMemory({ keyPrefix: name, ...common });
    return new RateLimiterRedis({
      storeClient: store.client,
      useRedisPackage: true, // node-redis v4+ (here v6), as in gateway/limits.ts
      rejectIfRedisNotReady: true, // a sign-in during a Redis outage fails now (503), never unchecked
      keyPrefix: `${store.prefix}rl:${name}`,
      ...common,
    });
  };
  const accountAddress = make("signin-account-address", settings.accountAddress);
  const addressDay = make("signin-address-day", settings.addressDay);
  const tokens = make("token-address", settings.tokensAddress);

  // The words are the same whether or not the email has an account: the limit reveals none.
  const inARow = (ms: number) =>
    new RateLimitedError(
      `Too many unsuccessful sign-in attempts in a row for this email from this device or network. For safety, please wait ${waitText(ms)} and try again.`,
      ms,
    );
  const fromAddress = (ms: number) =>
    new RateLimitedError(
      `Too many unsuccessful sign-in attempts from this network today. For safety, please wait ${waitText(ms)} and try again.`,
      ms,
    );

  return {
    kind: store.kind,
    async signIn(email, ip, check) {
      const pairKey = hashed(`${email.trim().toLowerCase()}\n${ip}`);
      const ipKey = hashed(ip);
      const [pair, day] = await Promise.all([take(accountAddress, pairKey), take(addressDay, ipKey)]);
      // A refused attempt is not checked, so not a failure: the limiter that admitted it gets its point back.
      if (day) {
        if (!pair) await accountAddress.reward(pairKey, 1);
        throw fromAddress(day.msBeforeNext);
      }
      if (pair) {
        await addressDay.reward(ipKey, 1);
        throw inARow(pair.msBeforeNext);
      }
      const result = await check().catch(async (err: unknown) => {
        if (!(err instanceof AppError && err.code === ErrorCode.BAD_CREDENTIALS))
          await Promise.all([accountAddress.reward(pairKey, 1), addressDay.reward(ipKey, 1)]);
        throw err;
      });
      // One good sign-in clears this pair's run of failures, not the address's record of the day.
      await Promise.all([accountAddress.delete(pairKey), addressDay.reward(ipKey, 1)]);
      return result;
    },
    async useToken(ip, use) {
      const key = hashed(ip);
      const over = await take(tokens, key);
      if (over)
        throw new RateLimitedError(
          `Too many unsuccessful link attempts in a short time. For safety, please wait ${waitText(over.msBeforeNext)} and try again.`,
          over.msBeforeNext,
        );
      try {
        const result = await use();
        await tokens.reward(key, 1);
        return result;
      } catch (err) {
        // Email taken, cohort full: not a guess.
        if (!(err instanceof AppError && err.code === ErrorCode.INVITE_INVALID)) await tokens.reward(key, 1);
        throw err;
      }
    },
  };
}

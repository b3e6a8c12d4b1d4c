import { RETRYABLE_CODES } from "../../../shared/protocol/errors.js";

/**
 * Which refusals a command helper retries with the same id [LOG2]: the set is the protocol's
 * (RETRYABLE_CODES, with why each one). Pure, so the rule is tested on its own
 * (tests/unit/live-client.test.ts) and the support button and `sendCommand` agree. A set of
 * strings, not of ErrorCode: a server of another version may answer with a code we do not know.
 */
const RETRYABLE: ReadonlySet<string> = new Set(RETRYABLE_CODES);

export function isRetryable(code: string): boolean {
  return RETRYABLE.has(code);
}

/** The pause before attempt `attempt + 1`: doubling from 0.5 s up to 10 s, with jitter in [½, 1]. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 20));
  return base / 2 + random() * (base / 2);
}

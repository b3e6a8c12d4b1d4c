/**
 * Which refusals a command helper retries with the same id [LOG2]. Pure, so the rule is tested
 * on its own (tests/unit/live-client.test.ts) and the support button and `sendCommand` agree.
 *
 * - UNAVAILABLE: the server or its store failed for a moment (every unexpected server error is
 *   reported as UNAVAILABLE by the gateway). Never final.
 * - CONFLICT: the stream moved while deciding; deciding again may succeed.
 * - RATE_LIMITED: later, not never.
 * Everything else (INVALID_PAYLOAD, FORBIDDEN, NOT_FOUND, RULE_VIOLATION…) is the server's
 * considered "no": sending the same command again would get the same answer.
 */
const RETRYABLE: ReadonlySet<string> = new Set(["UNAVAILABLE", "CONFLICT", "RATE_LIMITED"]);

export function isRetryable(code: string): boolean {
  return RETRYABLE.has(code);
}

/** The pause before attempt `attempt + 1`: doubling from 0.5 s up to 10 s, with jitter in [½, 1]. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(10_000, 500 * 2 ** Math.min(attempt, 20));
  return base / 2 + random() * (base / 2);
}

import { describe, expect, it } from "vitest";
import { backoffMs, isRetryable } from "../../client/src/live/retry.js";
import { SUPPORT_SLOW_MS, supportView, type SupportFacts } from "../../client/src/room/support-status.js";
import { ErrorCode } from "../../shared/protocol/errors.js";

const idle: SupportFacts = { sending: false, sendingForMs: 0, pending: false, answered: null, failed: null };

describe("the participant's support request on the client", () => {
  it("[LIVE6] [LOG2] a transient server error is retried with the same id; only a considered refusal is final", () => {
    // What the gateway answers for any store failure, a race, or a rate limit: try again.
    for (const code of [ErrorCode.UNAVAILABLE, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED])
      expect(isRetryable(code)).toBe(true);
    for (const code of [
      ErrorCode.INVALID_PAYLOAD,
      ErrorCode.FORBIDDEN,
      ErrorCode.NOT_FOUND,
      ErrorCode.RULE_VIOLATION,
      ErrorCode.PAYLOAD_TOO_LARGE,
    ])
      expect(isRetryable(code)).toBe(false);
    // The pause grows to 10 s and never beyond, even after hours of retrying.
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(5, () => 1)).toBe(10_000);
    expect(backoffMs(100_000, () => 1)).toBe(10_000);
    expect(backoffMs(3, () => 0)).toBe(2000);
  });

  it("[LIVE6] says sent only when the server has it; while it is on its way it never says sent", () => {
    expect(supportView({ ...idle, sending: true }).state).toBe("sending");
    expect(supportView({ ...idle, sending: true }).text).not.toMatch(/sent\b/i);
    expect(supportView({ ...idle, sending: true, pending: true }).state).toBe("sent");
    expect(supportView({ ...idle, answered: { by: "Ana", at: "14:05" } }).text).toBe(
      "Ana is coming to you (answered at 14:05).",
    );
  });

  it("[LIVE6] a request that has not got through for a while tells the person to call out to a facilitator", () => {
    expect(supportView({ ...idle, sending: true, sendingForMs: SUPPORT_SLOW_MS - 1 }).hint).toBeNull();
    const slow = supportView({ ...idle, sending: true, sendingForMs: SUPPORT_SLOW_MS });
    expect(slow.state).toBe("sending");
    expect(slow.hint).toMatch(/call out or wave to a facilitator/);
  });

  it("[LIVE6] a final refusal (e.g. the session was closed) says NOT sent and to call out to a facilitator now", () => {
    const v = supportView({ ...idle, failed: "This session is not open." });
    expect(v.state).toBe("failed");
    expect(v.text).toBe("Not sent: This session is not open.");
    expect(v.hint).toMatch(/call out or wave to a facilitator now/);
    // A support request that is with the facilitators after all (another tab, a check-in) wins.
    expect(supportView({ ...idle, failed: "x", pending: true }).state).toBe("sent");
  });

  it("[LIVE6] the refusal of an ended session already says to call out, so it is said once", () => {
    const v = supportView({
      ...idle,
      failed: "This session has ended. If you need someone, call out or wave to a facilitator.",
    });
    expect(v.state).toBe("failed");
    expect(v.text).toBe("Not sent: This session has ended. If you need someone, call out or wave to a facilitator.");
    expect(v.hint).toBeNull();
  });
});

/**
 * [LIVE6] What the participant's "I need support" area says, as a pure function of what the
 * client knows, so the safety wording is tested on its own (tests/unit/live-client.test.ts).
 *
 * Rules: *sent* only once the server has it (its ack, or the pending alert in the log); while a
 * request is still on its way say so, and after a while tell them not to wait on the phone; a
 * final refusal says plainly that it was NOT sent and to call out to a facilitator.
 */
export type SupportState = "idle" | "sending" | "sent" | "acknowledged" | "failed" | "closed";

/** After this long without an ack the screen adds "call out if you need someone now". */
export const SUPPORT_SLOW_MS = 10_000;

export interface SupportFacts {
  /** A request is waiting for the server's ack (retrying with the same id). */
  sending: boolean;
  /** How long it has been waiting, ms (0 when not sending). */
  sendingForMs: number;
  /** The server has a pending support alert from this person (ack received or in the log). */
  pending: boolean;
  /** The latest support alert was answered: who and when (already in words). */
  answered: { by: string; at: string } | null;
  /** The server refused the latest press for good, in its words. */
  failed: string | null;
  /**
   * [LIVE10][LIVE6] The phone no longer reaches the facilitators (released, or the session
   * ended): what to do instead. The button is off, and an answered request is history, not news.
   */
  over?: string | null;
}

export interface SupportView {
  state: SupportState;
  text: string;
  /** A second line that tells them what to do in the room meanwhile, or null. */
  hint: string | null;
}

const CALL_OUT = "If you need someone now, call out or wave to a facilitator.";

export function supportView(f: SupportFacts): SupportView {
  if (f.over) {
    // "X is coming to you" is resolved: said as what happened, in the past.
    const text = f.answered ? `${f.answered.by} answered your request at ${f.answered.at}.` : "";
    return { state: "closed", text, hint: f.over };
  }
  if (f.pending)
    return { state: "sent", text: "Sent. The facilitators have been told; someone will come to you.", hint: null };
  if (f.sending) {
    const slow = f.sendingForMs >= SUPPORT_SLOW_MS;
    return {
      state: "sending",
      text: "Sending… it keeps trying until it gets through.",
      hint: slow ? `Not through yet. ${CALL_OUT}` : null,
    };
  }
  if (f.failed !== null) {
    // A refusal that already says to call out (the session has ended) is not said twice.
    const saysIt = /call out/i.test(f.failed);
    return {
      state: "failed",
      text: `Not sent: ${f.failed}`,
      hint: saysIt ? null : "Please call out or wave to a facilitator now.",
    };
  }
  if (f.answered)
    return {
      state: "acknowledged",
      text: `${f.answered.by} is coming to you (answered at ${f.answered.at}).`,
      hint: null,
    };
  return { state: "idle", text: "", hint: null };
}

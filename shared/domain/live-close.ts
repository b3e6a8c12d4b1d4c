import { AppError, ErrorCode } from "../protocol/errors.js";
import { pendingAlerts, type Alert, type AlertKind } from "./alerts.js";
import type { Draft } from "./live-types.js";
import type { Viewer } from "./roles.js";
import type { SessionState } from "./session.js";

/**
 * [LIVE6][LIVE10] Ending a dosing session at the end of the day. Once closed, the periodic checks
 * stop walking the session (it leaves `index:live`), so nothing may be left that needs them: no
 * admitted participant without a logged release (transport confirmed) and no alert waiting for a
 * response. Decided on the log's state with expectedSeq, so a support request that lands first
 * makes the close be decided again — and refused (docs/decisions.md).
 */

/** What still holds the session open, in the order a facilitator should deal with it. */
export interface OpenItems {
  /** Admitted and not released, by participant id. */
  unreleased: string[];
  /** Pending (unacknowledged, unresolved) alerts, oldest first. */
  alerts: Alert[];
}

export function openItems(s: SessionState): OpenItems {
  const unreleased = Object.entries(s.live.participants)
    .filter(([, p]) => p.admittedSeq !== null && p.release === null)
    .sort(([, a], [, b]) => (a.admittedSeq ?? 0) - (b.admittedSeq ?? 0))
    .map(([id]) => id);
  return { unreleased, alerts: pendingAlerts(s.live.alerts) };
}

const KIND_WORD: Record<AlertKind, string> = {
  support: "support request",
  ratio: "ratio alert",
  break: "break alert",
  vitals: "vitals alert",
  selfharm: "questionnaire safety alert",
};

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The sentence a facilitator reads when the close is refused, naming what is open, e.g.
 * "2 participants are still admitted and not released (Ava, Ben); 1 alert is waiting for a
 * response (support request from Ava)." `name` turns a user id into a display name.
 */
export function describeOpenItems(items: OpenItems, name: (userId: string) => string): string {
  const parts: string[] = [];
  if (items.unreleased.length > 0) {
    const n = items.unreleased.length;
    parts.push(
      `${count(n, "participant is", "participants are")} still admitted and not released (${items.unreleased.map(name).join(", ")})`,
    );
  }
  if (items.alerts.length > 0) {
    const n = items.alerts.length;
    const which = items.alerts
      .map((a) => `${KIND_WORD[a.kind]}${a.participantId ? ` from ${name(a.participantId)}` : ""}`)
      .join(", ");
    parts.push(`${count(n, "alert is", "alerts are")} waiting for a response (${which})`);
  }
  return `${parts.join("; ")}.`;
}

/**
 * [LIVE6][LIVE10] Close the session: a facilitator only; refused (RULE_VIOLATION) while anything
 * is open. Closing an already ended session writes nothing (the handler answers with the first close).
 */
export function decideClose(
  s: SessionState,
  cmd: { id: string },
  actor: Viewer,
  name: (userId: string) => string,
): Draft[] {
  if (actor.role !== "facilitator")
    throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator can end a live session.");
  if (s.status === "closed") return [];
  if (s.status !== "open")
    throw new AppError(ErrorCode.RULE_VIOLATION, "This session has not started, so it cannot be ended.");
  const items = openItems(s);
  if (items.unreleased.length > 0 || items.alerts.length > 0) {
    throw new AppError(
      ErrorCode.RULE_VIOLATION,
      `The session cannot end yet: ${describeOpenItems(items, name)} Release everyone and answer every alert first.`,
    );
  }
  return [{ id: cmd.id, type: "session.closed", actor: actor.userId, data: { closedBy: actor.userId } }];
}

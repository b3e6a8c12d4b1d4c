import { DateTime } from "luxon";
import { minimumMinutes, type RuleProfile } from "../profiles/index.js";

/**
 * [SCH7][LIVE2] Each participant's dosing history in the program, from the logs: the instants of
 * the doses recorded for them in the program's *other* live sessions. The server gathers it
 * (server/domain/dosing-history.ts); the rules below are pure.
 */
export type DosingHistory = Readonly<Record<string, readonly string[]>>;

/**
 * [SCH7] A returning client is one dosed within the profile's `returningClientMonths` before `at`
 * (the session's start when scheduling, the first dose of this session at release). Months are
 * calendar months (luxon), so "within 12 months" of 10 March is from 10 March a year earlier.
 */
export function isReturningClient(
  earlierDoses: readonly string[] | undefined,
  at: string,
  profile: RuleProfile,
): boolean {
  const end = Date.parse(at);
  if (!Number.isFinite(end)) return false;
  const start = DateTime.fromMillis(end, { zone: "utc" }).minus({ months: profile.returningClientMonths }).toMillis();
  return (earlierDoses ?? []).some((d) => {
    const t = Date.parse(d);
    return t >= start && t < end;
  });
}

/** The latest earlier dose (ISO), or null: what a facilitator's screen is told, no more [AC2]. */
export function lastEarlierDose(earlierDoses: readonly string[] | undefined): string | null {
  return (earlierDoses ?? []).reduce<string | null>((m, d) => (m === null || d > m ? d : m), null);
}

export interface SessionMinimum {
  /** The longest of the participants' minimums: the session lasts at least this long. */
  minutes: number | null;
  /** Participants who are not returning clients at `at` (their minimum is the full one). */
  newcomers: string[];
}

/**
 * [SCH7] A dosing session's minimum length, per participant from their own history: the shorter
 * minimum for a returning client applies to the session only when it applies to everyone in it.
 */
export function sessionMinimum(
  profile: RuleProfile,
  doseMg: number,
  participants: readonly string[],
  history: DosingHistory,
  at: string,
): SessionMinimum {
  const newcomers = participants.filter((p) => !isReturningClient(history[p], at, profile));
  const everyoneReturning = participants.length > 0 && newcomers.length === 0;
  return { minutes: minimumMinutes(profile, doseMg, everyoneReturning), newcomers };
}

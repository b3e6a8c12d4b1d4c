import { AppError, ErrorCode } from "../protocol/errors.js";
import type { CohortState, ScheduledSession, SessionKind } from "../domain/cohort.js";
import type { RuleProfile } from "../profiles/schema.js";
import {
  facilitatorsNeeded,
  maxDoseMg,
  maxGroupSize,
  minimumMinutes,
  participantsPerFacilitator,
} from "../profiles/index.js";
import { sessionMinimum, type DosingHistory } from "../domain/live-returning.js";
import { preparationWindowProblem } from "./preparation.js";
import { formatInZone, minutesBetween } from "./time.js";

/** A session about to be scheduled, with UTC instants already resolved. */
export interface Candidate {
  id: string;
  kind: SessionKind;
  start: string;
  end: string;
  facilitators: string[];
  participants: string[];
  plannedDoseMg: number | null;
}

function refuse(message: string, field?: string): never {
  throw new AppError(ErrorCode.RULE_VIOLATION, message, field ? { [field]: message } : undefined);
}

function hours(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * [SCH5]–[SCH8] The rules one session must meet in its cohort; each refusal names the numbers.
 * `history`: each participant's doses in the program's earlier sessions [SCH7].
 */
export function checkSessionRules(
  profile: RuleProfile,
  cohort: CohortState,
  c: Candidate,
  history: DosingHistory,
): void {
  for (const f of c.facilitators)
    if (!cohort.facilitators.includes(f))
      refuse("Every facilitator of a session must be assigned to the cohort.", "facilitators");
  for (const p of c.participants)
    if (!cohort.participants.includes(p))
      refuse("Every participant of a session must be enrolled in the cohort.", "participants");
  if (c.facilitators.length === 0) refuse("A session needs at least one facilitator.", "facilitators");
  if (c.kind === "preparation") {
    // [SCH8] Preparation is individual.
    if (c.participants.length !== 1)
      refuse(
        `A preparation session is individual: it has exactly 1 participant, not ${c.participants.length}.`,
        "participants",
      );
  } else {
    const most = maxGroupSize(profile, cohort.capacity);
    if (c.participants.length > most) {
      refuse(
        `A group session holds at most ${most} participants (the lesser of ${profile.maxGroupSize} and the room's capacity of ${cohort.capacity}); this one has ${c.participants.length}.`,
        "participants",
      );
    }
  }
  if (c.kind === "dosing") checkDosing(profile, c, history);
  checkPreparationWindows(profile, cohort, c);
}

function checkDosing(profile: RuleProfile, c: Candidate, history: DosingHistory): void {
  const dose = c.plannedDoseMg;
  if (dose === null) return refuse("A dosing session needs its highest planned dose in mg.", "plannedDoseMg");
  const cap = participantsPerFacilitator(profile, dose);
  const needed = facilitatorsNeeded(profile, c.participants.length, dose);
  if (cap === null || needed === null)
    return refuse(
      `A planned dose of ${dose} mg is over the ${maxDoseMg(profile)} mg limit and cannot be scheduled.`,
      "plannedDoseMg",
    );
  // [SCH6]
  if (c.facilitators.length < needed) {
    refuse(
      `At ${dose} mg one facilitator may look after at most ${cap} participants, so ${c.participants.length} participants need ${needed} facilitators; this session has ${c.facilitators.length}.`,
      "facilitators",
    );
  }
  // [SCH7] Per participant, from each one's own dosing history in the program.
  const { minutes: minimum, newcomers } = sessionMinimum(profile, dose, c.participants, history, c.start);
  const length = minutesBetween(c.start, c.end);
  if (minimum !== null && length < minimum) {
    const shorter = minimumMinutes(profile, dose, true);
    const why =
      shorter !== null && shorter < minimum
        ? ` (${hours(shorter)} only when every participant is a returning client dosed in this program within ${profile.returningClientMonths} months; ${newcomers.length} of ${c.participants.length} ${newcomers.length === 1 ? "is" : "are"} not)`
        : "";
    refuse(
      `A dosing session at ${dose} mg lasts at least ${hours(minimum)}${why}; this one is planned for ${hours(length)}.`,
      "end",
    );
  }
}

/** [SCH8] Each participant's preparation must fall 24 h – 90 days before their first dosing. */
function checkPreparationWindows(profile: RuleProfile, cohort: CohortState, c: Candidate): void {
  const others = cohort.schedule.filter((s) => s.id !== c.id);
  for (const p of c.participants) {
    const mine = (kind: SessionKind) =>
      others.filter((s) => s.kind === kind && s.participants.includes(p)).map((s) => s.start);
    const dosings = c.kind === "dosing" ? [...mine("dosing"), c.start] : mine("dosing");
    const preps = c.kind === "preparation" ? [...mine("preparation"), c.start] : mine("preparation");
    const firstDosing = dosings.sort()[0];
    if (firstDosing === undefined || preps.length === 0) continue;
    const problems = preps.map((start) => preparationWindowProblem(profile, start, firstDosing));
    const relevant = c.kind === "preparation" ? problems.at(-1) : problems.includes(null) ? null : problems[0];
    if (relevant) refuse(relevant, "start");
  }
}

export interface Booked extends Pick<
  ScheduledSession,
  "id" | "kind" | "title" | "start" | "end" | "zone" | "facilitators"
> {
  cohortName: string;
}

/** Half-open intervals: a session ending at 18:00 does not overlap one starting at 18:00. */
export function overlaps(a: { start: string; end: string }, b: { start: string; end: string }): boolean {
  return Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);
}

/** [SCH4] The first facilitator booked into an overlapping session anywhere in the program. */
export function findConflict(
  candidates: readonly Candidate[],
  booked: readonly Booked[],
): { facilitator: string; candidate: Candidate; other: Booked } | null {
  for (const c of candidates) {
    for (const other of booked) {
      if (other.id === c.id || !overlaps(c, other)) continue;
      const facilitator = c.facilitators.find((f) => other.facilitators.includes(f));
      if (facilitator) return { facilitator, candidate: c, other };
    }
  }
  return null;
}

export function conflictMessage(facilitatorName: string, other: Booked): string {
  const label = other.title || `${other.kind} session`;
  return `${facilitatorName} is already booked into "${label}" (${other.cohortName}) from ${formatInZone(other.start, other.zone)} to ${formatInZone(other.end, other.zone)}, which overlaps this time.`;
}

import { minimumMinutes, participantsPerFacilitator, type RuleProfile } from "../profiles/index.js";
import type { LiveState, ParticipantLive } from "./live.js";

/** A participant the facilitators are responsible for now: admitted and not yet released. */
export function inCare(p: ParticipantLive): boolean {
  return p.admittedSeq !== null && p.release === null;
}

/**
 * [LIVE4][PR2] Whether a facilitator is on break: the session log says so, whatever presence
 * last showed. The ratio reads it, and presence mirrors it after every break:set.
 */
export function isOnBreak(s: LiveState, userId: string): boolean {
  return s.breaks[userId] !== undefined;
}

export interface RatioStatus {
  participants: number;
  /** Facilitators in the room and not on break. Remote presence never counts [LIVE4]. */
  facilitators: number;
  /** The highest total dose given so far, which sets the cap. */
  highestMg: number;
  /** Participants per facilitator for that dose (null: above every band). */
  cap: number | null;
  needed: number;
  holds: boolean;
}

/**
 * [LIVE3] Facilitators in the room (the log's arrivals and departures, minus those on break)
 * against participants in care, with the cap of the highest dose given so far. Participants in
 * care count whether or not their phone is connected: the facilitators are responsible for them.
 */
export function ratioStatus(s: LiveState, profile: RuleProfile, without: string | null = null): RatioStatus {
  const inCareList = Object.values(s.participants).filter(inCare);
  const highestMg = inCareList.reduce((m, p) => Math.max(m, p.totalMg), 0);
  const cap = participantsPerFacilitator(profile, highestMg);
  const facilitators = s.facilitatorsInRoom.filter((f) => f !== without && !isOnBreak(s, f)).length;
  const participants = inCareList.length;
  const needed = participants === 0 ? 0 : cap === null ? Infinity : Math.ceil(participants / cap);
  return { participants, facilitators, highestMg, cap, needed, holds: facilitators >= needed };
}

export function describeRatio(r: RatioStatus): string {
  const capText = r.cap === null ? "no allowed ratio" : `1 facilitator per ${r.cap}`;
  const needed = r.needed === Infinity ? "more facilitators" : plural(r.needed, "facilitator");
  const there = `${r.facilitators} ${r.facilitators === 1 ? "is" : "are"} there`;
  // Before anyone is in the room or dosed, "0 participants at 0 mg need 0 facilitators" says nothing.
  if (r.participants === 0) return `No participants in the room yet; ${plural(r.facilitators, "facilitator")} there.`;
  const dose = r.highestMg === 0 ? "before any dose" : `at ${r.highestMg} mg`;
  return `${plural(r.participants, "participant")} ${dose} (${capText}) need ${needed} in the room; ${there}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * [LIVE2] First dose + the SCH7 minimum for the total dose; null before any dose. `returning`:
 * whether this participant is a returning client (live-returning.ts, from their own history).
 */
export function earliestRelease(p: ParticipantLive, profile: RuleProfile, returning = false): string | null {
  if (p.firstDoseAt === null) return null;
  const minutes = minimumMinutes(profile, p.totalMg, returning);
  // Above every band cannot be dosed (dose.ts refuses it); treat it as the longest band.
  const m = minutes ?? Math.max(...profile.durationBands.map((b) => b.minutes));
  return new Date(Date.parse(p.firstDoseAt) + m * 60_000).toISOString();
}

/**
 * [LIVE7] Prompts since the participant last answered (or was admitted). Two unanswered in a
 * row put a "look in on" flag on their tile — a flag, not an alarm.
 */
export function unansweredPrompts(s: LiveState, participantId: string, lastCheckinSeq: number | null): number {
  const p = s.participants[participantId];
  if (p?.release) return 0;
  const since = Math.max(lastCheckinSeq ?? 0, p?.admittedSeq ?? 0);
  return s.prompts.filter((x) => x.seq > since).length;
}

export function needsLookIn(
  s: LiveState,
  participantId: string,
  lastCheckinSeq: number | null,
  profile: Pick<RuleProfile, "unansweredPromptsForLookIn">,
): boolean {
  return unansweredPrompts(s, participantId, lastCheckinSeq) >= profile.unansweredPromptsForLookIn;
}

/**
 * [LIVE8] Why a reading looks like a measuring mistake (to be measured again), or null. It is a
 * flag, not a refusal: the reading is recorded, and still raises the alert when it reaches the limit.
 */
export function vitalsImplausible(v: { systolic: number; diastolic: number }): string | null {
  if (v.diastolic >= v.systolic) return `Diastolic (${v.diastolic}) is not below systolic (${v.systolic}).`;
  return null;
}

/** [LIVE8] Whether a reading calls for an alert at once. */
export function vitalsAlarming(v: { systolic: number; diastolic: number }, profile: RuleProfile): boolean {
  return v.systolic >= profile.vitalsAlert.systolicAtLeast || v.diastolic >= profile.vitalsAlert.diastolicAtLeast;
}

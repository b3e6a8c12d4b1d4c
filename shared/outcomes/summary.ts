import type { Submission } from "../domain/outcome.js";
import type { Band, Instrument, QuestionnaireDef } from "./instruments.js";
import type { AssessmentSchedule } from "./schedule.js";
import { bandOf, definitionOf } from "./score.js";

/**
 * [OUT4] Outcomes in numbers and in words, per participant and instrument and for a cohort.
 * Pure: computed on the fly from the outcome stream's submissions and the cohort's schedule, so
 * the staff page, the participant's page and the export all say the same thing.
 *
 * - baseline: the first submission for the schedule's baseline visit (null when there is none,
 *   or the schedule has no baseline visit).
 * - latest: the last submission in log order other than the baseline (the follow-up); when the
 *   baseline is all there is, `latest` is the baseline and there is no change to speak of.
 * - response: a drop of at least 50 % from baseline — null ("not yet") without a baseline, with
 *   a baseline of 0 (nothing can drop by half), or without a follow-up.
 * - remission: the follow-up at or below the instrument's `remissionAtMost` (PHQ-9 below 5,
 *   QIDS-SR16 5 or less) — null without a follow-up. It needs no baseline.
 */
export interface Point {
  submissionId: string;
  visitId: string;
  /** The visit's label in the schedule, or its id if the schedule no longer names it. */
  visitLabel: string;
  total: number;
  band: Band;
  at: string;
}

export interface InstrumentSummary {
  participantId: string;
  instrument: Instrument;
  baseline: Point | null;
  latest: Point | null;
  /** latest − baseline; null without both a baseline and a follow-up. */
  change: number | null;
  /** (latest − baseline) / baseline × 100, signed (a drop is negative); null also for a baseline of 0. */
  percentChange: number | null;
  response: boolean | null;
  remission: boolean | null;
  /** The same, as one sentence for people. */
  words: string;
}

/** Whether going from `baseline` to `latest` is a drop of at least half; integer-exact, no rounding. */
export function isResponse(baseline: number, latest: number): boolean | null {
  if (baseline <= 0) return null;
  return 2 * (baseline - latest) >= baseline;
}

export function baselineVisitId(schedule: AssessmentSchedule): string | null {
  return schedule.visits.find((v) => v.day === null)?.id ?? null;
}

function pointOf(def: QuestionnaireDef, schedule: AssessmentSchedule, s: Submission): Point {
  const visitLabel = schedule.visits.find((v) => v.id === s.visitId)?.label ?? s.visitId;
  return { submissionId: s.id, visitId: s.visitId, visitLabel, total: s.total, band: bandOf(def, s.total), at: s.at };
}

export function summarize(
  submissions: readonly Submission[],
  schedule: AssessmentSchedule,
  participantId: string,
  instrument: Instrument,
): InstrumentSummary {
  const def = definitionOf(instrument);
  const mine = submissions.filter((s) => s.participantId === participantId && s.instrument === instrument);
  const baseId = baselineVisitId(schedule);
  const baseSub = baseId === null ? undefined : mine.find((s) => s.visitId === baseId);
  // A second answer to the baseline visit is not a follow-up; the first one stands as baseline.
  const followSub = mine.filter((s) => s.visitId !== baseId).at(-1);
  const baseline = baseSub === undefined ? null : pointOf(def, schedule, baseSub);
  const followUp = followSub === undefined ? null : pointOf(def, schedule, followSub);
  const change = baseline !== null && followUp !== null ? followUp.total - baseline.total : null;
  const percentChange =
    change !== null && baseline !== null && baseline.total > 0 ? (change / baseline.total) * 100 : null;
  const response = baseline !== null && followUp !== null ? isResponse(baseline.total, followUp.total) : null;
  const remission = followUp === null ? null : followUp.total <= def.remissionAtMost;
  const base = { participantId, instrument, baseline, latest: followUp ?? baseline, change, percentChange };
  return { ...base, response, remission, words: inWords(def, baseline, followUp, response, remission) };
}

/** "moderately severe", "mild", "no depression": a band as it reads inside a sentence. */
export function bandWords(band: Band): string {
  return band.code === "none" ? "no depression" : band.code.replaceAll("-", " ");
}

/** "an 80 % drop", "an 18 % rise", "a 61 % drop": the article as the number is said. */
const article = (n: string): string => (n.startsWith("8") || n === "11" || n === "18" ? "an" : "a");

const scoreWords = (p: Point): string => `${p.total} (${bandWords(p.band)})`;

function verdict(response: boolean | null, remission: boolean | null): string {
  const r = response === null ? null : response ? "response" : "no response yet";
  const m = remission === null ? null : remission ? "remission" : "not yet remission";
  return [r, m].filter((x) => x !== null).join(", ");
}

function inWords(
  def: QuestionnaireDef,
  baseline: Point | null,
  followUp: Point | null,
  response: boolean | null,
  remission: boolean | null,
): string {
  const name = def.shortTitle;
  if (followUp === null)
    return baseline === null
      ? `No ${name} answered yet.`
      : `${name} baseline ${scoreWords(baseline)}; no follow-up yet.`;
  const end = verdict(response, remission);
  if (baseline === null) return `${name} is ${scoreWords(followUp)}, with no baseline to compare it to: ${end}.`;
  const diff = followUp.total - baseline.total;
  if (diff === 0) return `${name} stayed at ${scoreWords(followUp)}: ${end}.`;
  const moved = `${name} ${diff < 0 ? "fell" : "rose"} from ${scoreWords(baseline)} to ${scoreWords(followUp)}`;
  if (baseline.total === 0) return `${moved}: ${end}.`;
  const pct = String(Math.round((Math.abs(diff) / baseline.total) * 100));
  return `${moved}, ${article(pct)} ${pct} % ${diff < 0 ? "drop" : "rise"}: ${end}.`;
}

/** [OUT4] A cohort's outcomes for one instrument: counts, and the same in words. */
export interface CohortSummary {
  instrument: Instrument;
  /** Participants with any submission of this instrument. */
  participants: number;
  withBaseline: number;
  /** With a baseline (above 0) and a follow-up: the ones whose response can be judged. */
  judged: number;
  responders: number;
  /** Among everyone with a follow-up (a baseline is not needed to be in remission). */
  withFollowUp: number;
  remitters: number;
  words: string;
  perParticipant: InstrumentSummary[];
}

export function summarizeCohort(
  submissions: readonly Submission[],
  schedule: AssessmentSchedule,
  instrument: Instrument,
): CohortSummary {
  const def = definitionOf(instrument);
  const ids = [...new Set(submissions.filter((s) => s.instrument === instrument).map((s) => s.participantId))];
  const each = ids.map((p) => summarize(submissions, schedule, p, instrument));
  const count = (f: (s: InstrumentSummary) => boolean): number => each.filter(f).length;
  const c: CohortCounts = {
    participants: each.length,
    withBaseline: count((s) => s.baseline !== null),
    judged: count((s) => s.response !== null),
    responders: count((s) => s.response === true),
    withFollowUp: count((s) => s.remission !== null),
    remitters: count((s) => s.remission === true),
  };
  return { instrument, ...c, words: cohortWords(def.shortTitle, c), perParticipant: each };
}

const people = (n: number): string => `${n} ${n === 1 ? "participant" : "participants"}`;

/** The counts of a cohort summary, which its words are made from. */
type CohortCounts = Pick<
  CohortSummary,
  "participants" | "withBaseline" | "judged" | "responders" | "withFollowUp" | "remitters"
>;

function cohortWords(name: string, c: CohortCounts): string {
  if (c.participants === 0) return `No ${name} answered yet.`;
  return (
    `${people(c.participants)} answered the ${name}, ${c.withBaseline} with a baseline. ` +
    `Response: ${c.responders} of ${c.judged} with a baseline and a follow-up. ` +
    `Remission: ${c.remitters} of ${c.withFollowUp} with a follow-up.`
  );
}

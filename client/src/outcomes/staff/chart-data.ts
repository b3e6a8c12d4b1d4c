import type { Submission } from "../../../../shared/domain/outcome.js";
import type { Instrument } from "../../../../shared/outcomes/instruments.js";
import type { AssessmentSchedule } from "../../../../shared/outcomes/schedule.js";
import { spreadOf } from "../../../../shared/outcomes/stats.js";

/** [OUT6] One visit of the cohort chart: the spread of the scores taken at it, and each participant's. */
export interface VisitPoint {
  visitId: string;
  label: string;
  n: number;
  median: number | null;
  /** Lower and upper quartile (type 7, shared/outcomes/stats.ts), for the band drawn around the median. */
  spread: [number, number] | null;
  min: number | null;
  max: number | null;
  /** participantId → their total at this visit. */
  scores: Record<string, number>;
}

/**
 * One row per visit of the schedule, in its order, for the participants on the roster; a visit
 * nobody has taken has n = 0 and no median. A participant counts with their first answer to a
 * visit (as shared/outcomes/chart.ts does), so a resubmission cannot weigh twice.
 */
export function cohortSeries(
  schedule: AssessmentSchedule,
  instrument: Instrument,
  submissions: readonly Submission[],
  participants: readonly string[],
): VisitPoint[] {
  const inCohort = new Set(participants);
  return schedule.visits.map((v) => {
    const scores: Record<string, number> = {};
    for (const s of submissions)
      if (s.instrument === instrument && s.visitId === v.id && inCohort.has(s.participantId))
        scores[s.participantId] ??= s.total;
    const sp = spreadOf(Object.values(scores));
    return {
      visitId: v.id,
      label: v.label,
      n: sp?.n ?? 0,
      median: sp?.median ?? null,
      spread: sp ? [sp.q1, sp.q3] : null,
      min: sp?.min ?? null,
      max: sp?.max ?? null,
      scores,
    };
  });
}

/** A number as the chart and table print it: whole, or with one decimal for a median between two. */
export function fmt(n: number | null): string {
  if (n === null) return "—";
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

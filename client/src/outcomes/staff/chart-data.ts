import type { Submission } from "../../../../shared/domain/outcome.js";
import type { Instrument } from "../../../../shared/outcomes/instruments.js";
import type { AssessmentSchedule } from "../../../../shared/outcomes/schedule.js";

/** [OUT6] One visit of the cohort chart: the spread of the scores taken at it, and each participant's. */
export interface VisitPoint {
  visitId: string;
  label: string;
  n: number;
  median: number | null;
  /** Lower and upper quartile, for the band drawn around the median. */
  spread: [number, number] | null;
  min: number | null;
  max: number | null;
  /** participantId → their total at this visit. */
  scores: Record<string, number>;
}

/** Linear-interpolated quantile of sorted numbers (the common "type 7" definition). */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const low = sorted[lo] ?? 0;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (at - lo);
}

/** One row per visit of the schedule, in its order; a visit nobody has taken has n = 0 and no median. */
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
        scores[s.participantId] = s.total;
    const sorted = Object.values(scores).sort((a, b) => a - b);
    const n = sorted.length;
    return {
      visitId: v.id,
      label: v.label,
      n,
      median: n === 0 ? null : quantile(sorted, 0.5),
      spread: n === 0 ? null : [quantile(sorted, 0.25), quantile(sorted, 0.75)],
      min: sorted[0] ?? null,
      max: sorted.at(-1) ?? null,
      scores,
    };
  });
}

/** A number as the chart and table print it: whole, or with one decimal for a median between two. */
export function fmt(n: number | null): string {
  if (n === null) return "—";
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

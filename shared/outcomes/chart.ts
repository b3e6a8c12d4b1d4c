import type { Submission } from "../domain/outcome.js";
import type { Instrument } from "./instruments.js";
import type { AssessmentSchedule } from "./schedule.js";
import { spreadOf, type Spread } from "./stats.js";

/**
 * [OUT6] The data behind the charts, shaped once here so the chart and its table (the text
 * alternative) show the same numbers.
 */

/** One visit of the cohort chart: how many answered, and the spread of their totals. */
export interface CohortVisitPoint {
  visitId: string;
  label: string;
  instrument: Instrument;
  n: number;
  /** Median, quartiles (type 7, see stats.ts), minimum and maximum; null when nobody answered. */
  spread: Spread | null;
}

/**
 * Per visit of the schedule (in its order) and per instrument. Each participant counts once per
 * visit — with their first answer to it, as for the baseline — so a resubmission cannot weigh
 * twice. Visits nobody has answered are kept (n = 0) so the axis shows the whole schedule.
 */
export function cohortByVisit(submissions: readonly Submission[], schedule: AssessmentSchedule): CohortVisitPoint[] {
  const out: CohortVisitPoint[] = [];
  for (const instrument of schedule.instruments) {
    for (const v of schedule.visits) {
      const firstOf = new Map<string, number>();
      for (const s of submissions)
        if (s.instrument === instrument && s.visitId === v.id && !firstOf.has(s.participantId))
          firstOf.set(s.participantId, s.total);
      const totals = [...firstOf.values()];
      out.push({ visitId: v.id, label: v.label, instrument, n: totals.length, spread: spreadOf(totals) });
    }
  }
  return out;
}

/** One participant's scores over time for one instrument, in log order, labelled by visit. */
export interface SeriesPoint {
  submissionId: string;
  visitId: string;
  label: string;
  total: number;
  band: string;
  at: string;
}

export function participantSeries(
  submissions: readonly Submission[],
  schedule: AssessmentSchedule,
  participantId: string,
  instrument: Instrument,
): SeriesPoint[] {
  return submissions
    .filter((s) => s.participantId === participantId && s.instrument === instrument)
    .map((s) => ({
      submissionId: s.id,
      visitId: s.visitId,
      label: schedule.visits.find((v) => v.id === s.visitId)?.label ?? s.visitId,
      total: s.total,
      band: s.band,
      at: s.at,
    }));
}

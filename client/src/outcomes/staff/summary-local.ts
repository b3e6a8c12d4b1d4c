import type { Instrument } from "../../../../shared/outcomes/instruments.js";
import type { AssessmentSchedule } from "../../../../shared/outcomes/schedule.js";
import { definitionOf } from "../../../../shared/outcomes/score.js";
import type { Submission } from "../../../../shared/domain/outcome.js";

/**
 * [OUT4] One participant's course on one questionnaire. A local stand-in until the shared
 * summary (shared/outcomes/summary.ts, instruments branch) is merged: the same rules — response
 * is a drop of at least 50 % from baseline, remission the instrument's `remissionAtMost` or less —
 * judged only once there is a score after the baseline.
 */
export interface CourseSummary {
  instrument: Instrument;
  baseline: number | null;
  /** The most recent score after the baseline; null while only the baseline (or nothing) is in. */
  latest: number | null;
  /** latest − baseline (negative is better); null without both. */
  change: number | null;
  /** The change as a share of the baseline (−0.5 = halved); null without both or with a baseline of 0. */
  changeShare: number | null;
  response: boolean | null;
  remission: boolean | null;
}

export function courseOf(
  schedule: AssessmentSchedule,
  instrument: Instrument,
  submissions: readonly Submission[],
): CourseSummary {
  const baselineVisit = schedule.visits.find((v) => v.day === null)?.id ?? null;
  const mine = submissions.filter((s) => s.instrument === instrument);
  const base = mine.find((s) => s.visitId === baselineVisit) ?? null;
  const after = mine.filter((s) => s !== base).at(-1) ?? null;
  const baseline = base?.total ?? null;
  const latest = after?.total ?? null;
  if (baseline === null || latest === null)
    return {
      instrument,
      baseline,
      latest,
      change: null,
      changeShare: null,
      response: null,
      remission: latest === null ? null : latest <= definitionOf(instrument).remissionAtMost,
    };
  const change = latest - baseline;
  const changeShare = baseline === 0 ? null : change / baseline;
  return {
    instrument,
    baseline,
    latest,
    change,
    changeShare,
    response: changeShare !== null && changeShare <= -0.5,
    remission: latest <= definitionOf(instrument).remissionAtMost,
  };
}

/** The course in one sentence, for the table's words column and screen readers. */
export function courseWords(c: CourseSummary): string {
  if (c.baseline === null && c.latest === null) return "No answers yet.";
  if (c.latest === null) return `Baseline ${c.baseline ?? ""}; nothing after it yet.`;
  if (c.baseline === null) return `Latest ${c.latest}; no baseline, so no change to judge.`;
  const pct = c.changeShare === null ? "" : ` (${Math.round(Math.abs(c.changeShare) * 100)} %)`;
  const moved =
    c.change === 0 || c.change === null
      ? "unchanged"
      : c.change < 0
        ? `down ${-c.change} points${pct}`
        : `up ${c.change} points${pct}`;
  const verdict = c.remission ? "in remission" : c.response ? "responding" : "not yet responding";
  return `From ${c.baseline} to ${c.latest}, ${moved}: ${verdict}.`;
}

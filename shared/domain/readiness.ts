import type { RuleProfile } from "../profiles/schema.js";
import { preparationWindowProblem } from "../scheduling/preparation.js";
import type { CohortState } from "./cohort.js";
import { hardStopsOf, reviewFlagsOf } from "./screening.js";

export type MissingItem = "screening" | "screening_review" | "hard_stop" | "consent" | "transport" | "preparation";

export interface Readiness {
  ready: boolean;
  missing: { item: MissingItem; label: string }[];
  flags: string[];
}

/**
 * [RDY1] Whether a participant is Ready for dosing, and if not, each missing item in words a
 * facilitator reads at a glance. Pure: computed from the cohort state alone, on the server (for
 * admission) and in every open readiness board alike [LOG5].
 *
 * `firstDosingAt` is the participant's first dosing session (see `firstDosingAt` in cohort.ts);
 * with none planned, an attended preparation session counts without the window check.
 */
export function readinessOf(
  cohort: CohortState,
  participantId: string,
  profile: RuleProfile,
  firstDosingAt: string | null,
): Readiness {
  const record = cohort.records[participantId];
  const missing: Readiness["missing"] = [];
  let flags: string[] = [];

  const screening = record?.screening ?? null;
  if (!screening) {
    missing.push({ item: "screening", label: "Screening questionnaire not yet submitted" });
  } else {
    // [RDY2] Hard stops count against the first dosing day, or the submission when none is planned.
    for (const stop of hardStopsOf(screening.answers, profile, firstDosingAt ?? screening.submittedAt)) {
      missing.push({ item: "hard_stop", label: `Screening hard stop: ${stop}` });
    }
    if (!record?.review)
      missing.push({ item: "screening_review", label: "Screening not yet reviewed by a facilitator" });
    flags = reviewFlagsOf(screening.answers); // [RDY3] shown, never blocking
  }
  if (!record?.consent) missing.push({ item: "consent", label: "Informed consent not yet recorded" });
  if (!record?.transport) missing.push({ item: "transport", label: "No transportation plan (who takes them home)" });

  const attended = (record?.preparations ?? []).map(
    (p) => cohort.schedule.find((s) => s.id === p.sessionId)?.start ?? p.recordedAt,
  );
  if (attended.length === 0) {
    missing.push({ item: "preparation", label: "Preparation session not yet attended" });
  } else if (firstDosingAt !== null) {
    const problems = attended.map((start) => preparationWindowProblem(profile, start, firstDosingAt));
    if (!problems.includes(null)) {
      missing.push({ item: "preparation", label: `Preparation session outside the window: ${problems[0] ?? ""}` });
    }
  }
  return { ready: missing.length === 0, missing, flags };
}

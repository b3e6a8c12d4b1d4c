import { firstDosingAt, type CohortState } from "../../../shared/domain/cohort.js";
import { submissionsOf, type OutcomeState, type Submission } from "../../../shared/domain/outcome.js";
import { dueItems, visitKey, type DueItem } from "../../../shared/outcomes/schedule.js";
import { useCohortStream } from "../admin/useCohortStream.js";
import { useNow, viewerZone } from "../time.js";
import { useCohortOverview, useOutcomeStream } from "./useOutcomeStream.js";

/** The zone visits are counted in: the program's; the first dosing session's until the program's arrives. */
function zoneOf(cohort: CohortState, programZone: string | null): string {
  return programZone ?? cohort.schedule.find((s) => s.kind === "dosing")?.zone ?? viewerZone();
}

/** [OUT5] One participant's visits × questionnaires at `now`, from the two logs that decide them. */
export function dueFor(
  outcome: OutcomeState,
  cohort: CohortState,
  participantId: string,
  zone: string,
  now: number,
): DueItem[] {
  const done = new Map(submissionsOf(outcome, participantId).map((s) => [visitKey(s.visitId, s.instrument), s.id]));
  return dueItems(outcome.schedule, firstDosingAt(cohort, participantId), zone, now, done);
}

export interface CohortDue {
  ready: boolean;
  items: DueItem[];
  submissions: Submission[];
  zone: string;
  outcome: OutcomeState;
  /** Names of the cohort's people the viewer may know (facilitators and themselves). */
  names: Map<string, string>;
}

/**
 * [OUT5] What is due for the signed-in participant in one cohort, live: the outcome log (schedule
 * and submissions) and the cohort log (the first dosing start) are both followed, and the
 * clock re-renders every minute so a visit opens on time.
 */
export function useCohortDue(cohortId: string, participantId: string): CohortDue {
  const outcome = useOutcomeStream(cohortId);
  const cohort = useCohortStream(cohortId);
  const overview = useCohortOverview(cohortId);
  const now = useNow(60_000);
  const zone = zoneOf(cohort.state, overview?.program.zone ?? null);
  return {
    ready: outcome.ready && cohort.ready,
    items: dueFor(outcome.state, cohort.state, participantId, zone, now),
    submissions: submissionsOf(outcome.state, participantId),
    zone,
    outcome: outcome.state,
    names: new Map((overview?.people ?? []).map((p) => [p.id, p.name])),
  };
}

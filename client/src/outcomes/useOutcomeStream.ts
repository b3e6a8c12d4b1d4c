import { useEffect, useState } from "react";
import { outcomeStream } from "../../../shared/domain/streams.js";
import { streamName } from "../../../shared/log.js";
import { CohortOverview } from "../../../shared/protocol/admin-views.js";
import { http } from "../admin/http.js";
import { useFollowedStream } from "../live/useStream.js";

/**
 * [OUT5] Follow a cohort's outcome log live (useFollowedStream). Staff get every event whole; a
 * participant receives only their own submissions and alerts, everyone else's as positions [AC2][AC3].
 */
export function useOutcomeStream(cohortId: string) {
  return useFollowedStream(outcomeStream, streamName("outcome", cohortId));
}

/**
 * The cohort as the person may see it: the program's zone (due dates are days in it [OUT5]) and
 * the names of its facilitators ("<name> has seen your answers"). Null until it arrives.
 */
export function useCohortOverview(cohortId: string): CohortOverview | null {
  const [data, setData] = useState<CohortOverview | null>(null);
  useEffect(() => {
    let live = true;
    void http("GET", `/api/cohorts/${encodeURIComponent(cohortId)}`, CohortOverview).then((r) => {
      if (live && r.ok) setData(r.data);
    });
    return () => {
      live = false;
    };
  }, [cohortId]);
  return data;
}

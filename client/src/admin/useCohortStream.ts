import { cohortStream } from "../../../shared/domain/streams.js";
import { streamName } from "../../../shared/log.js";
import { useFollowedStream } from "../live/useStream.js";

/** Follow a cohort's stream live (useFollowedStream): roster, schedule, readiness records per audience. */
export function useCohortStream(cohortId: string) {
  return useFollowedStream(cohortStream, streamName("cohort", cohortId));
}

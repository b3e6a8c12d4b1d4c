import type { ParticipantLive } from "../../../shared/domain/live.js";
import { earliestRelease } from "../../../shared/domain/live-rules.js";
import { isReturningClient } from "../../../shared/domain/live-returning.js";
import type { RuleProfile } from "../../../shared/profiles/index.js";
import type { ReleaseView } from "../../../shared/protocol/live.js";

/**
 * [LIVE2][SCH7] The earliest release the server will allow this participant: first dose + the
 * minimum for the total, with the returning-client minimum when their own latest earlier dose in
 * the program (live:context) is within the profile's months of this session's first dose.
 */
export function earliestFor(
  live: ParticipantLive | undefined,
  profile: RuleProfile | null,
  view: ReleaseView | undefined,
): { at: string | null; returning: boolean } {
  if (!live || !profile || live.firstDoseAt === null) return { at: null, returning: false };
  const last = view?.lastEarlierDose ?? null;
  const returning = last !== null && isReturningClient([last], live.firstDoseAt, profile);
  return { at: earliestRelease(live, profile, returning), returning };
}

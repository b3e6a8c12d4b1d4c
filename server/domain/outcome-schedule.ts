import { streamName } from "../../shared/log.js";
import { decideScheduleSet } from "../../shared/domain/outcome-decide-schedule.js";
import type { AssessmentSchedule } from "../../shared/outcomes/schedule.js";
import type { ScheduleSetBody } from "../../shared/protocol/outcomes.js";
import type { UserRecord } from "../auth/users.js";
import { fanOut } from "../gateway/fanout.js";
import type { Services } from "../services.js";
import { viewerOf } from "./directory.js";
import { requireAdminOf } from "./program-context.js";
import { clientKey } from "./stream-service.js";

/**
 * [OUT5] PUT a cohort's assessment schedule: only an admin of the cohort's program (another
 * program's admin is told the cohort does not exist, like anyone outside it [AC4]); appended to
 * `outcome:<cohortId>` keyed by the sender's id, so a retry lands once [LOG2], then fanned out.
 */
export async function setAssessmentSchedule(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: ScheduleSetBody,
): Promise<{ seq: number; schedule: AssessmentSchedule }> {
  await requireAdminOf(s, user, cohortId);
  const done = await s.streams.execute("outcome", cohortId, clientKey(user.id, "assessment:schedule", cmd.id), () =>
    decideScheduleSet(cmd, viewerOf(user)),
  );
  fanOut(s.io, streamName("outcome", cohortId), done);
  return { seq: done.events[0]?.seq ?? 0, schedule: cmd.schedule };
}

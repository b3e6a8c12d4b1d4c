import { AppError, ErrorCode } from "../protocol/errors.js";
import type { ScheduleSetBody } from "../protocol/outcomes.js";
import type { Draft } from "./live-types.js";
import type { Viewer } from "./roles.js";

/**
 * [OUT5] A program admin sets a cohort's assessment schedule. The shape (ids, labels, one baseline,
 * instruments, window) is the schema's; what is left is a rule across visits the schema cannot
 * say in one field: two visits on the same day would be one visit asked twice. It does not depend
 * on the stream's state: the latest schedule wins, and a retry is recognised by its id [LOG2].
 */
export function decideScheduleSet(cmd: ScheduleSetBody, actor: Viewer): Draft[] {
  if (actor.role !== "admin") throw new AppError(ErrorCode.FORBIDDEN, "Only a program admin can change the schedule.");
  const days = new Map<number, string>();
  for (const [i, v] of cmd.schedule.visits.entries()) {
    if (v.day === null) continue;
    const other = days.get(v.day);
    if (other !== undefined) {
      const msg = `“${v.label}” and “${other}” are both on day ${v.day}; give each visit its own day.`;
      throw new AppError(ErrorCode.INVALID_PAYLOAD, msg, { [`schedule.visits.${i}.day`]: msg });
    }
    days.set(v.day, v.label);
  }
  return [{ id: cmd.id, type: "assessment.schedule_set", actor: actor.userId, data: { schedule: cmd.schedule } }];
}

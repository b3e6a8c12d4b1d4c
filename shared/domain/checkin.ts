import { z } from "zod";
import { multiLine } from "../protocol/text.js";

/** [LIVE5] How a participant says they are. */
export const CheckinStatus = z.enum(["ok", "struggling", "need_support"]);
export type CheckinStatus = z.infer<typeof CheckinStatus>;

export const CHECKIN_TEXT_MAX = 500;

export const CheckinBody = z.object({
  status: CheckinStatus,
  intensity: z.number().int().min(0).max(10).nullable().optional(),
  text: multiLine()
    .max(CHECKIN_TEXT_MAX, `A check-in note holds at most ${CHECKIN_TEXT_MAX} characters.`)
    .nullable()
    .optional(),
});
export type CheckinBody = z.infer<typeof CheckinBody>;

export const CHECKIN_LABEL: Record<CheckinStatus, string> = {
  ok: "I'm OK",
  struggling: "Struggling",
  need_support: "Need support",
};

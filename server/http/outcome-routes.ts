import { Router, type Response } from "express";
import { Id } from "../../shared/log.js";
import { ScheduleSetBody } from "../../shared/protocol/outcomes.js";
import { setAssessmentSchedule } from "../domain/outcome-schedule.js";
import { parseWith } from "../gateway/handler.js";
import type { Services } from "../services.js";
import { requireUser, userOf, type AuthedRequest } from "./auth-routes.js";

const BODY_MAX = 16 * 1024;

/** [OUT5] Staff HTTP routes of the outcome log; the gateway of the one command path, like admin-routes. */
export function outcomeRoutes(s: Services): Router {
  const r = Router();
  r.use(requireUser(s));
  r.put("/admin/cohorts/:cohortId/assessment-schedule", async (req: AuthedRequest, res: Response) => {
    const cohortId = parseWith(Id, req.params.cohortId);
    const body = parseWith(ScheduleSetBody, req.body, BODY_MAX);
    res.json(await setAssessmentSchedule(s, userOf(req), cohortId, body));
  });
  return r;
}

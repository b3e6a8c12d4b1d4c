import { Router, type Response } from "express";
import { z } from "zod";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { InviteToken } from "../../shared/protocol/commands.js";
import { Id } from "../../shared/log.js";
import {
  CohortCreate,
  ConsentRecord,
  EnrolAccept,
  FacilitatorAssign,
  FacilitatorInviteCreate,
  InviteCreate,
  PatientIdentitySet,
  PreparationRecord,
  ProgramCreate,
  ScreeningReview,
  ScreeningSubmit,
  SeriesSchedule,
  SessionCancel,
  SessionSchedule,
  SessionUpdate,
  TransportRecord,
} from "../../shared/protocol/admin.js";
import { publicUser } from "../auth/users.js";
import {
  acceptEnrolment,
  adminProgramIds,
  assignFacilitator,
  createCohort,
  createFacilitatorInvite,
  createInvite,
  createProgram,
  describeInvite,
  setPatientIdentity,
} from "../domain/admin-commands.js";
import type { SignInLimits } from "../auth/rate-limit.js";
import { cohortOverview, myRecord, mySchedule, programOverview, readinessBoard } from "../domain/admin-queries.js";
import {
  cancelSession,
  recordConsent,
  recordPreparation,
  recordTransport,
  reviewScreening,
  scheduleSeries,
  scheduleSession,
  submitScreening,
  updateSession,
} from "../domain/schedule-commands.js";
import { parseWith } from "../gateway/handler.js";
import type { Services } from "../services.js";
import { clientIp, requireUser, userOf, type AuthedRequest } from "./auth-routes.js";

const BODY_MAX = 16 * 1024;

/** [AC5] Path parameters are input too. */
function param(req: AuthedRequest, name: string): string {
  return parseWith(Id, req.params[name]);
}

const body = <S extends z.ZodType>(schema: S, req: AuthedRequest): z.output<S> => parseWith(schema, req.body, BODY_MAX);

/**
 * Programs, cohorts, scheduling and readiness (docs/protocol.md). Each write route is the HTTP
 * gateway of the one command path: parse → authorize → decide → append → fan out.
 */
export function adminRoutes(s: Services): Router {
  const r = Router();
  r.use(requireUser(s));
  const u = userOf;

  r.get("/admin/programs", async (req: AuthedRequest, res: Response) => {
    const user = u(req);
    if (user.role !== "admin") throw new AppError(ErrorCode.FORBIDDEN, "Only admins manage programs.");
    const out = [];
    for (const id of await adminProgramIds(s, user)) {
      const p = await s.streams.state("program", id);
      if (p.exists && p.admins.includes(user.id))
        out.push({ id: p.id, name: p.name, zone: p.zone, profile: p.profile });
    }
    res.json({ programs: out });
  });
  r.post("/admin/programs", async (req: AuthedRequest, res: Response) => {
    res.status(201).json(await createProgram(s, u(req), body(ProgramCreate, req)));
  });
  r.get("/admin/programs/:programId", async (req: AuthedRequest, res: Response) => {
    res.json(await programOverview(s, u(req), param(req, "programId")));
  });
  r.post("/admin/programs/:programId/facilitator-invites", async (req: AuthedRequest, res: Response) => {
    res
      .status(201)
      .json(await createFacilitatorInvite(s, u(req), param(req, "programId"), body(FacilitatorInviteCreate, req)));
  });
  r.put("/admin/programs/:programId/patient-identity", async (req: AuthedRequest, res: Response) => {
    res.json(await setPatientIdentity(s, u(req), param(req, "programId"), body(PatientIdentitySet, req)));
  });
  r.post("/admin/cohorts", async (req: AuthedRequest, res: Response) => {
    res.status(201).json(await createCohort(s, u(req), body(CohortCreate, req)));
  });
  r.post("/admin/cohorts/:cohortId/facilitators", async (req: AuthedRequest, res: Response) => {
    res.json(await assignFacilitator(s, u(req), param(req, "cohortId"), body(FacilitatorAssign, req)));
  });
  r.post("/admin/cohorts/:cohortId/invites", async (req: AuthedRequest, res: Response) => {
    res.status(201).json(await createInvite(s, u(req), param(req, "cohortId"), body(InviteCreate, req)));
  });
  r.post("/admin/cohorts/:cohortId/sessions", async (req: AuthedRequest, res: Response) => {
    res.status(201).json(await scheduleSession(s, u(req), param(req, "cohortId"), body(SessionSchedule, req)));
  });
  r.post("/admin/cohorts/:cohortId/series", async (req: AuthedRequest, res: Response) => {
    res.status(201).json(await scheduleSeries(s, u(req), param(req, "cohortId"), body(SeriesSchedule, req)));
  });
  r.post("/admin/cohorts/:cohortId/session-changes", async (req: AuthedRequest, res: Response) => {
    res.json(await updateSession(s, u(req), param(req, "cohortId"), body(SessionUpdate, req)));
  });
  r.post("/admin/cohorts/:cohortId/cancellations", async (req: AuthedRequest, res: Response) => {
    res.json(await cancelSession(s, u(req), param(req, "cohortId"), body(SessionCancel, req)));
  });

  r.get("/cohorts/:cohortId", async (req: AuthedRequest, res: Response) => {
    res.json(await cohortOverview(s, u(req), param(req, "cohortId")));
  });
  r.get("/cohorts/:cohortId/readiness", async (req: AuthedRequest, res: Response) => {
    res.json({ rows: await readinessBoard(s, u(req), param(req, "cohortId")) });
  });
  r.get("/cohorts/:cohortId/my-record", async (req: AuthedRequest, res: Response) => {
    res.json(await myRecord(s, u(req), param(req, "cohortId")));
  });
  r.post("/cohorts/:cohortId/screening", async (req: AuthedRequest, res: Response) => {
    res.json(await submitScreening(s, u(req), param(req, "cohortId"), body(ScreeningSubmit, req)));
  });
  r.post("/cohorts/:cohortId/consent", async (req: AuthedRequest, res: Response) => {
    res.json(await recordConsent(s, u(req), param(req, "cohortId"), body(ConsentRecord, req)));
  });
  r.post("/cohorts/:cohortId/transport", async (req: AuthedRequest, res: Response) => {
    res.json(await recordTransport(s, u(req), param(req, "cohortId"), body(TransportRecord, req)));
  });
  r.post("/cohorts/:cohortId/reviews", async (req: AuthedRequest, res: Response) => {
    res.json(await reviewScreening(s, u(req), param(req, "cohortId"), body(ScreeningReview, req)));
  });
  r.post("/cohorts/:cohortId/preparations", async (req: AuthedRequest, res: Response) => {
    res.json(await recordPreparation(s, u(req), param(req, "cohortId"), body(PreparationRecord, req)));
  });
  r.get("/me/schedule", async (req: AuthedRequest, res: Response) => {
    res.json(await mySchedule(s, u(req)));
  });
  return r;
}

/** Enrolment links: before sign-in, so mounted ahead of the signed-in routes. */
export function enrolRoutes(
  s: Services,
  startSession: (res: Response, userId: string) => Promise<void>,
  limits: SignInLimits,
): Router {
  const r = Router();
  // [AC1] Link guessing is counted per address, like failed sign-ins (docs/protocol.md).
  r.get("/enrol/:token", async (req, res) => {
    const token = parseWith(InviteToken, req.params.token);
    res.json(await limits.useToken(clientIp(req), () => describeInvite(s, token)));
  });
  r.post("/enrol", async (req, res) => {
    const accept = parseWith(EnrolAccept, req.body, BODY_MAX);
    const user = await limits.useToken(clientIp(req), () => acceptEnrolment(s, accept));
    await startSession(res, user.id);
    res.status(201).json({ user: publicUser(user) });
  });
  return r;
}

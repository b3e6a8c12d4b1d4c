import { Router, type Response } from "express";
import { z } from "zod";
import { Id } from "../../shared/log.js";
import { myFhirBundle, participantFhirBundle, personalExport } from "../domain/personal-export.js";
import { parseWith } from "../gateway/handler.js";
import type { Services } from "../services.js";
import { requireUser, userOf, type AuthedRequest } from "./auth-routes.js";

/** [AC5] These reads take no query: anything in one is refused, not ignored. */
const NoQuery = z.strictObject({});
const CohortParticipant = z.strictObject({ cohortId: Id, participantId: Id });

/**
 * A download, not a page: `attachment` so the browser saves it, `no-store` so no cache or proxy
 * keeps a copy of someone's record, and a file name with no names or clinical content in it.
 */
function download(res: Response, type: string, file: string, body: unknown): void {
  res.set("Cache-Control", "no-store");
  res.set("Content-Disposition", `attachment; filename="${file}"`);
  res.type(type).send(JSON.stringify(body, null, 2));
}

const day = (s: Services) => new Date(s.clock.now()).toISOString().slice(0, 10);
const fileSafe = (id: string) => id.replace(/[^A-Za-z0-9_.-]/g, "-");

/** [REC2][OUT7] A participant's own record (JSON and FHIR), and a participant's FHIR bundle for their cohort's staff. */
export function exportRoutes(s: Services): Router {
  const r = Router();
  r.use(requireUser(s));

  r.get("/me/export", async (req: AuthedRequest, res: Response) => {
    parseWith(NoQuery, req.query);
    const record = await personalExport(s, userOf(req));
    download(res, "application/json", `holdspace-record-${day(s)}.json`, record);
  });

  r.get("/me/export/fhir", async (req: AuthedRequest, res: Response) => {
    parseWith(NoQuery, req.query);
    const bundle = await myFhirBundle(s, userOf(req));
    download(res, "application/fhir+json", `holdspace-fhir-${day(s)}.json`, bundle);
  });

  r.get("/cohorts/:cohortId/participants/:participantId/fhir", async (req: AuthedRequest, res: Response) => {
    parseWith(NoQuery, req.query);
    const { cohortId, participantId } = parseWith(CohortParticipant, { ...req.params });
    const bundle = await participantFhirBundle(s, userOf(req), cohortId, participantId);
    download(res, "application/fhir+json", `holdspace-fhir-${fileSafe(participantId)}-${day(s)}.json`, bundle);
  });
  return r;
}

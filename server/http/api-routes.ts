import { Router, type Response } from "express";
import { publicUser } from "../auth/users.js";
import type { Services } from "../services.js";
import { requireUser, userOf, type AuthedRequest } from "./auth-routes.js";

/** Read routes for the signed-in person; each answers only with what is theirs [AC2]. */
export function apiRoutes(s: Services): Router {
  const r = Router();
  r.use(requireUser(s));
  r.get("/me", async (req: AuthedRequest, res: Response) => {
    const user = userOf(req);
    res.json({ user: publicUser(user), cohorts: await s.directory.summaries(user) });
  });
  return r;
}

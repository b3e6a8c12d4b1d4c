import { Router, type Response } from "express";
import { isStaff } from "../../shared/domain/roles.js";
import { PushSubscriptionBody, PushUnsubscribeBody, type PushConfigReply } from "../../shared/protocol/push.js";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { viewerOf } from "../domain/directory.js";
import { parseWith } from "../gateway/handler.js";
import type { AlertPush } from "../push/alert-push.js";
import { endpointAllowed } from "../push/endpoint-rule.js";
import type { Services } from "../services.js";
import { requireUser, userOf, type AuthedRequest } from "./auth-routes.js";

const BODY_MAX = 4 * 1024;

/**
 * Web Push registration (docs/protocol.md "Push"): the VAPID public key, and a staff person's
 * devices. Parse → authorize → store; sending happens in server/push/alert-push.ts.
 */
export function pushRoutes(s: Services, push: AlertPush): Router {
  const r = Router();
  r.use(requireUser(s));

  r.get("/config", (_req, res: Response) => {
    const reply: PushConfigReply = { publicKey: push.publicKey };
    res.json(reply);
  });

  r.post("/subscriptions", async (req: AuthedRequest, res: Response) => {
    const user = userOf(req);
    // Alerts go to staff only; a participant's device is never registered for them.
    if (!isStaff(viewerOf(user)))
      throw new AppError(ErrorCode.FORBIDDEN, "Alert notifications are for facilitators and admins.");
    const sub = parseWith(PushSubscriptionBody, req.body, BODY_MAX);
    if (push.publicKey === null)
      throw new AppError(ErrorCode.RULE_VIOLATION, "Push notifications are not set up on this server.");
    if (!endpointAllowed(sub.endpoint, push.settings.rule))
      throw new AppError(
        ErrorCode.INVALID_PAYLOAD,
        "Invalid request: endpoint: this is not a browser push service Holdspace sends to.",
        { endpoint: "this is not a browser push service Holdspace sends to" },
      );
    await push.subscriptions.add(user.id, sub);
    res.status(201).json({ ok: true });
  });

  r.delete("/subscriptions", async (req: AuthedRequest, res: Response) => {
    const { endpoint } = parseWith(PushUnsubscribeBody, req.body, BODY_MAX);
    await push.subscriptions.remove(userOf(req).id, endpoint);
    res.json({ ok: true });
  });

  return r;
}

import { Router, type Response } from "express";
import { z } from "zod";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { Id } from "../../shared/log.js";
import { writeCalendar, type IcsEvent } from "../../shared/scheduling/ics.js";
import type { ScheduleItem } from "../../shared/protocol/admin-views.js";
import { myCalendar, scheduleView } from "../domain/admin-queries.js";
import { CalendarFeeds } from "../domain/calendar-feeds.js";
import { parseWith } from "../gateway/handler.js";
import type { Services } from "../services.js";
import { requireUser, userOf, type AuthedRequest } from "./auth-routes.js";

const FeedToken = z.string().regex(/^[A-Za-z0-9_-]{20,64}$/, "That is not a calendar feed address.");

function toIcs(items: readonly ScheduleItem[]): IcsEvent[] {
  return items.map((x) => ({
    uid: `${x.id}@holdspace`,
    kind: x.kind,
    start: x.start,
    end: x.end,
    zone: x.zone,
    sequence: x.sequence,
    cancelled: x.status === "cancelled",
  }));
}

function sendIcs(res: Response, text: string, filename: string): void {
  res.setHeader("content-type", "text/calendar; charset=utf-8");
  res.setHeader("content-disposition", `attachment; filename="${filename}"`);
  // A private feed: no shared cache may keep it.
  res.setHeader("cache-control", "private, no-store");
  res.send(text);
}

/** Absolute, because calendar apps subscribe to it from elsewhere. */
function feedUrl(req: AuthedRequest, token: string): string {
  return `${req.protocol}://${req.get("host") ?? "localhost"}/calendar/feed/${token}.ics`;
}

/** [SCH9] Signed-in: one session's .ics, and the person's private feed address (issue / revoke). */
export function calendarRoutes(s: Services): Router {
  const r = Router();
  const feeds = new CalendarFeeds(s.stores.kv);
  r.use(requireUser(s));
  r.get("/calendar/:cohortId/:file", async (req: AuthedRequest, res: Response) => {
    const user = userOf(req);
    const cohortId = parseWith(Id, req.params.cohortId);
    const sessionId = parseWith(Id, String(req.params.file ?? "").replace(/\.ics$/, ""));
    const cohort = await s.directory.cohortFor(user, cohortId);
    const item = scheduleView(cohort, user).find((x) => x.id === sessionId);
    if (!item) throw new AppError(ErrorCode.NOT_FOUND, "That session does not exist or is not one of yours.");
    sendIcs(
      res,
      writeCalendar(toIcs([item]), { stampMs: s.clock.now(), name: "Holdspace session" }),
      `${sessionId}.ics`,
    );
  });
  r.get("/calendar-feed", async (req: AuthedRequest, res: Response) => {
    const token = await feeds.current(userOf(req).id);
    res.json({ url: token === null ? null : feedUrl(req, token) });
  });
  r.post("/calendar-feed", async (req: AuthedRequest, res: Response) => {
    const token = await feeds.issue(userOf(req).id);
    res.status(201).json({ url: feedUrl(req, token) });
  });
  r.delete("/calendar-feed", async (req: AuthedRequest, res: Response) => {
    await feeds.revoke(userOf(req).id);
    res.json({ url: null });
  });
  return r;
}

/** [SCH9] The private feed: the unguessable token is the credential, revocable at any time. */
export function calendarFeedRoute(s: Services): Router {
  const r = Router();
  const feeds = new CalendarFeeds(s.stores.kv);
  r.get("/feed/:file", async (req, res) => {
    const token = parseWith(FeedToken, req.params.file.replace(/\.ics$/, ""));
    const userId = await feeds.owner(token);
    // Only the person's current address works: two issues racing (two tabs) can each leave a
    // token behind, and a leftover no one is shown could never be revoked.
    const current = userId === null ? null : await feeds.current(userId);
    const user = userId === null || current !== token ? null : await s.users.get(userId);
    if (!user) throw new AppError(ErrorCode.NOT_FOUND, "This calendar address is not valid any more.");
    const sessions = await myCalendar(s, user);
    sendIcs(res, writeCalendar(toIcs(sessions), { stampMs: s.clock.now(), name: "Holdspace" }), "holdspace.ics");
  });
  return r;
}

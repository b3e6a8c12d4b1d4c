import { createHash } from "node:crypto";
import { Router, type Request, type Response, type NextFunction } from "express";
import { parse as parseCookie, serialize } from "cookie";
import { InviteAcceptBody, LoginBody } from "../../shared/protocol/commands.js";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { publicUser, type UserRecord } from "../auth/users.js";
import { verifyOrDecoy } from "../auth/passwords.js";
import type { SignInLimits } from "../auth/rate-limit.js";
import { parseWith } from "../gateway/handler.js";
import type { Services } from "../services.js";

export const SESSION_COOKIE = "hs_session";
const HTTP_BODY_MAX = 16 * 1024;

export function sessionIdFromCookie(header: string | undefined): string | undefined {
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

/**
 * [AC1] The socket room of every connection signed in with one session, so signing out closes
 * them on every node. Named by a hash: room names travel through the adapter, a session id is a secret.
 */
export function sessionRoom(sid: string): string {
  return `sid:${createHash("sha256").update(sid).digest("base64url").slice(0, 32)}`;
}

export function setSessionCookie(res: Response, sid: string, secure: boolean): void {
  res.setHeader(
    "Set-Cookie",
    serialize(SESSION_COOKIE, sid, { httpOnly: true, sameSite: "lax", path: "/", secure, maxAge: 12 * 60 * 60 }),
  );
}

/**
 * The caller's address for per-address limits: the socket's, or with TRUST_PROXY (Express `trust
 * proxy`) the one the trusted proxies name in X-Forwarded-For. Untrusted, the header is ignored.
 */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

/** Express 5 forwards rejected promises to the error handler; this keeps handlers one-liners. */
export type AuthedRequest = Request & { user?: UserRecord };

/** The signed-in person of a route behind `requireUser`; a route mounted without it refuses rather than guess. */
export function userOf(req: AuthedRequest): UserRecord {
  if (!req.user) throw new AppError(ErrorCode.UNAUTHENTICATED, "Please sign in.");
  return req.user;
}

/** [AC1] Every route behind this has a user from the server-side session, never from the body. */
export function requireUser(s: Services) {
  return async (req: AuthedRequest, _res: Response, next: NextFunction) => {
    const user = await s.users.fromSession(sessionIdFromCookie(req.headers.cookie));
    if (!user) throw new AppError(ErrorCode.UNAUTHENTICATED, "Please sign in.");
    req.user = user;
    next();
  };
}

export function authRoutes(s: Services, opts: { secureCookies: boolean; limits: SignInLimits }): Router {
  const r = Router();

  r.post("/login", async (req, res) => {
    const body = parseWith(LoginBody, req.body, HTTP_BODY_MAX);
    // [AC1] Counted before the check, per email whether or not an account has it: the refusal reveals nothing.
    const user = await opts.limits.signIn(body.email, clientIp(req), async () => {
      const found = await s.users.byEmail(body.email);
      const ok = await verifyOrDecoy(body.password, found?.passwordHash);
      if (!found || !ok)
        throw new AppError(ErrorCode.BAD_CREDENTIALS, "That email and password do not match an account.");
      return found;
    });
    setSessionCookie(res, await s.users.startSession(user.id), opts.secureCookies);
    res.json({ user: publicUser(user) });
  });

  r.post("/invite", async (req, res) => {
    const body = parseWith(InviteAcceptBody, req.body, HTTP_BODY_MAX);
    const user = await opts.limits.useToken(clientIp(req), async () => {
      const found = await s.users.redeemInvite(body.token);
      if (!found)
        throw new AppError(
          ErrorCode.INVITE_INVALID,
          "This sign-in link has already been used or has expired. Ask your program for a new one.",
        );
      return found;
    });
    setSessionCookie(res, await s.users.startSession(user.id), opts.secureCookies);
    res.json({ user: publicUser(user) });
  });

  r.post("/logout", async (req, res) => {
    const sid = sessionIdFromCookie(req.headers.cookie);
    if (sid) {
      await s.users.endSession(sid);
      // A signed-out tab (a shared clinic tablet) must stop receiving the room's events at once.
      s.io.to(sessionRoom(sid)).disconnectSockets(true);
    }
    res.setHeader(
      "Set-Cookie",
      serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 0 }),
    );
    res.json({ ok: true });
  });

  return r;
}

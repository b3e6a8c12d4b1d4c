import type { IncomingHttpHeaders } from "node:http";
import type { NextFunction, Request, Response } from "express";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";

/**
 * Cross-site request refusal (issue 13, "Cross-site"): the session cookie is SameSite=Lax, which a
 * sibling subdomain does not count as cross-site, so the cookie alone never proves the request came
 * from our own pages. Browsers say where a request comes from in `Origin` (always on a WebSocket
 * handshake and on every POST/PUT/PATCH/DELETE, same-origin included) and in `Sec-Fetch-Site`.
 *
 * The rule, after Go's `http.CrossOriginProtection`:
 * - an `Origin` must be one of the configured public origins (`"null"` — a sandboxed frame, a
 *   redirected request — is never one);
 * - without an `Origin`, a `Sec-Fetch-Site` other than `same-origin` or `none` is refused (a
 *   browser's own cross-site or same-site request that did not carry an Origin: `<img>`, a link);
 * - with neither header the request is not a browser's: curl, the tests, a monitoring probe. It is
 *   let through — a browser cannot be made to send a request without both — and is authenticated
 *   like every other [AC1]. The same-origin long-polling GET of the socket's fallback transport is one
 *   such request in older browsers (no Origin on a same-origin GET).
 */
export const FORBIDDEN_ORIGIN =
  "This request came from a page that is not Holdspace, so it was refused. Open Holdspace at its own address and try again.";

/** `https://clinic.example` from `https://clinic.example/any/path`; a bad URL is a start-up error. */
export function originOf(url: string): string {
  return new URL(url).origin;
}

/** What a server with no public URL configured answers to: its own listening address (dev, tests). */
export function localOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`];
}

/** One header's single value (Node joins nothing for these; a repeated one is an array). */
function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `null` when the request may go on; otherwise why not (for tests and the refusal's context). */
export function originRefusal(headers: IncomingHttpHeaders, allowed: ReadonlySet<string>): string | null {
  const origin = single(headers, "origin");
  if (origin !== undefined) return allowed.has(origin) ? null : "origin not allowed";
  const site = single(headers, "sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none") return "cross-site request";
  return null;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** [AC1] Express middleware: every state-changing request from a foreign origin is `403 FORBIDDEN`. */
export function refuseForeignOrigins(allowed: () => ReadonlySet<string>) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method) || originRefusal(req.headers, allowed()) === null) return next();
    next(new AppError(ErrorCode.FORBIDDEN, FORBIDDEN_ORIGIN));
  };
}

import type { NextFunction, Request, Response } from "express";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { toErrorShape } from "../gateway/handler.js";
import { RateLimitedError } from "../gateway/limits.js";
import type { Logger } from "../logger.js";

const STATUS: Record<ErrorCode, number> = {
  INVALID_PAYLOAD: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNKNOWN_EVENT: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_CREDENTIALS: 401,
  INVITE_INVALID: 410,
  RULE_VIOLATION: 422,
  DUPLICATE_ID: 409,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

const BAD_ADDRESS =
  "This address is not valid: it has a broken percent-encoding (a % not followed by a valid UTF-8 escape).";

/** Failures of the request itself (its body, its address) are the client's, never the server's. */
function requestError(err: unknown): AppError | null {
  // Express decodes route parameters lazily and throws a URIError for a broken escape [AC5].
  if (err instanceof URIError) return new AppError(ErrorCode.INVALID_PAYLOAD, BAD_ADDRESS);
  if (!(err instanceof Error) || !("type" in err)) return null;
  if (err.type === "entity.too.large")
    return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large.");
  if (err.type === "entity.parse.failed")
    return new AppError(ErrorCode.INVALID_PAYLOAD, "The request body is not valid JSON.");
  return null;
}

/**
 * [REC3] What a failed request is logged as: the route's pattern ("/cohorts/:cohortId/readiness"),
 * never the path itself, which carries ids, enrolment tokens and private calendar-feed tokens.
 */
export function routeLabel(req: Request): string {
  const route: unknown = req.route;
  if (route !== null && typeof route === "object" && "path" in route && typeof route.path === "string")
    return `${req.method} ${route.path}`;
  // Failed before a route matched (say, while reading the session): only the path's first segment.
  return `${req.method} /${req.path.split("/")[1] ?? ""}/…`;
}

/** [AC5] Every HTTP failure is `{error: {code, message}}` with a matching status; nothing leaks a stack. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const shape = toErrorShape(requestError(err) ?? err, log, routeLabel(req));
    // RFC 9110: how many seconds until trying again makes sense.
    if (err instanceof RateLimitedError)
      res.setHeader("Retry-After", String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
    res.status(STATUS[shape.code]).json({ error: shape });
  };
}

/**
 * [AC5] A path that does not decode is refused before any route sees it: the same 400 for the API,
 * the calendar feed and the client's app shell, and no error line (it is the client's mistake).
 */
export function pathEncodingGuard(req: Request, res: Response, next: NextFunction): void {
  try {
    decodeURIComponent(req.path);
  } catch {
    res.status(400).json({ error: { code: ErrorCode.INVALID_PAYLOAD, message: BAD_ADDRESS } });
    return;
  }
  next();
}

export function notFound(_req: Request, res: Response): void {
  res.status(404).json({ error: { code: ErrorCode.NOT_FOUND, message: "There is nothing at this address." } });
}

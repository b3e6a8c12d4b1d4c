import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";

/**
 * The response headers every reply carries (issue 13, "Headers"), with helmet's defaults spelled
 * out where they matter (docs/decisions-i13-web.md, "Security headers"):
 *
 * - The CSP allows only this origin's own files: the built client has no inline script or style
 *   (Vite emits files; React and recharts set styles through the CSSOM, `element.style`, which CSP
 *   does not govern), so neither `'unsafe-inline'` nor a nonce is needed. `tests/e2e/csp.test.ts`
 *   opens each role's screens in Chromium and fails on any reported violation.
 * - `connect-src` names the WebSocket origins beside `'self'`: CSP Level 3 lets `'self'` match
 *   `ws:`/`wss:` of the same host, but Safari before 15.4 did not.
 * - No framing at all (clickjacking a "Release participant" button), both the CSP way and the old
 *   X-Frame-Options way for browsers without frame-ancestors.
 * - `Referrer-Policy: no-referrer`: paths carry ids, enrolment tokens and private calendar-feed
 *   tokens, and the app never needs a Referer, even from its own pages.
 * - HSTS without `includeSubDomains`: a clinic's other subdomains are not ours to force onto https.
 */
export function securityHeaders(wsOrigins: () => readonly string[]) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", () => wsOrigins().join(" ")],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
  });
}

/**
 * `ws://host:port` for `http://host:port`, `wss://…` for `https://…`: where the socket connects.
 * An IPv6 literal (`http://[::1]:3000`) cannot be written as a CSP source (Chromium ignores it
 * with a console error), so it is left to `'self'`.
 */
export function websocketOrigins(origins: Iterable<string>): string[] {
  return [...origins].filter((o) => !o.includes("[")).map((o) => o.replace(/^http/, "ws"));
}

/**
 * Replies under /api (and the calendar feed) are one person's data: never kept by the browser's
 * cache, a shared proxy or the back/forward cache, where the next person at a clinic tablet sees them.
 */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Cache-Control", "no-store");
  next();
}

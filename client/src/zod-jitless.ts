import { z } from "zod";

/**
 * Imported first by main.tsx, before any schema exists: zod 4 compiles object parsers with
 * `new Function` unless told not to, and probes for it even where it cannot, which the page's
 * Content-Security-Policy (`script-src 'self'`, no 'unsafe-eval') reports as a violation.
 * The interpreted parsers are fast enough for the client's payloads.
 */
z.config({ jitless: true });

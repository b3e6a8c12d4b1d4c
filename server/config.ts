import { isIP } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The project root (this file is `server/config.ts`), so the built client is found from any cwd. */
const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where `vite build` puts the client (vite.config.ts `build.outDir`). */
const DEFAULT_STATIC_DIR = resolve(PROJECT_ROOT, "dist", "client");

/**
 * A path setting made absolute against the cwd, as the README documents; `res.sendFile` refuses
 * relative paths. Empty stays empty (no static client).
 */
const absolutePath = (p: string): string => (p === "" ? p : resolve(p));

/** Names Express (proxy-addr) knows for address ranges. */
const RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);
const isProxyEntry = (e: string): boolean => {
  if (RANGE_NAMES.has(e)) return true;
  const [addr = "", bits, ...rest] = e.split("/");
  return rest.length === 0 && isIP(addr) !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits));
};

/**
 * Express `trust proxy`: unset or `0`, X-Forwarded-For is ignored (a client cannot choose its own
 * address); a hop count (`1`: one load balancer in front); or a comma-separated list of the
 * proxies' addresses, subnets or range names. `true` (trust any hop) is refused: spoofable.
 */
const TrustProxy = z
  .string()
  .trim()
  .default("0")
  .refine((v) => /^\d{1,2}$/.test(v) || v.split(",").every((e) => isProxyEntry(e.trim())), {
    message:
      "TRUST_PROXY must be a hop count (1 for one load balancer) or a comma-separated list of proxy addresses or subnets",
  })
  .transform((v): number | false | string[] =>
    /^\d+$/.test(v) ? (Number(v) === 0 ? false : Number(v)) : v.split(",").map((e) => e.trim()),
  );
export type TrustProxySetting = z.infer<typeof TrustProxy>;

/** Environment, parsed once at start with a schema like every other input. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  REDIS_URL: z.string().url().optional(),
  REDIS_PREFIX: z.string().default("hs:"),
  /** The embedded store's journal; relative to the cwd. */
  DATA_DIR: z.string().default("./data").transform(absolutePath),
  NODE_ID: z.string().optional(),
  /** Seed the demo program and print sign-in links (default: on with the embedded store). */
  DEMO: z.enum(["0", "1"]).optional(),
  /** Where people open Holdspace: the base of printed links, and its origin is allowed [AC1]. */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * [AC1] More origins whose pages may use this server (comma-separated, `https://host[:port]`), on
   * top of `PUBLIC_URL`'s. Neither set: only `http://localhost:<port>` and `http://127.0.0.1:<port>`.
   */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((list) =>
      (list ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter((o) => o !== ""),
    )
    .pipe(
      z.array(
        z
          .string()
          .url()
          .refine(
            (o) => new URL(o).origin === o,
            "each origin is scheme://host[:port], with no path or trailing slash",
          ),
      ),
    ),
  SECURE_COOKIES: z.enum(["0", "1"]).default("0"),
  TRUST_PROXY: TrustProxy,
  /** The built client; set: relative to the cwd; unset: `dist/client` of this checkout, whatever the cwd. */
  STATIC_DIR: z
    .string()
    .optional()
    .transform((p) => (p === undefined ? DEFAULT_STATIC_DIR : absolutePath(p))),
  /**
   * Web Push of alerts to staff devices (issue 11; `npx web-push generate-vapid-keys`). All three
   * or none (checked below): without them Web Push is off and everything else works.
   */
  VAPID_PUBLIC_KEY: z.string().min(1).optional(),
  VAPID_PRIVATE_KEY: z.string().min(1).optional(),
  /** `mailto:` or `https:` — whom push services contact about this sender. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, "must start with mailto: or https://")
    .optional(),
  /** Push services a push may go to, comma-separated host names (server/push/endpoint-rule.ts). */
  PUSH_ENDPOINT_HOSTS: z.string().optional(),
  /** Tests only: also send to a local push service at http://127.0.0.1:<port>. */
  PUSH_ALLOW_LOCAL_ENDPOINTS: z.enum(["0", "1"]).default("0"),
});
export type Config = z.infer<typeof Env>;

/** A partial VAPID set is a mistake: refused at start rather than silently running without Web Push. */
const Checked = Env.refine(
  (e) => [e.VAPID_PUBLIC_KEY, e.VAPID_PRIVATE_KEY, e.VAPID_SUBJECT].filter((v) => v === undefined).length % 3 === 0,
  { message: "set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT together, or none of them" },
);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Checked.parse(env);
}

/** [AC1] The origins a browser page may use this server from (empty: its own listening address). */
export function publicOrigins(config: Pick<Config, "PUBLIC_URL" | "ALLOWED_ORIGINS">): string[] {
  const own = config.PUBLIC_URL === undefined ? [] : [new URL(config.PUBLIC_URL).origin];
  return [...new Set([...own, ...config.ALLOWED_ORIGINS])];
}

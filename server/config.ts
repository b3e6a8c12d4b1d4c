import { z } from "zod";

/** Environment, parsed once at start with a schema like every other input. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  REDIS_URL: z.string().url().optional(),
  REDIS_PREFIX: z.string().default("hs:"),
  DATA_DIR: z.string().default("./data"),
  NODE_ID: z.string().optional(),
  /** Seed the demo program and print sign-in links (default: on with the embedded store). */
  DEMO: z.enum(["0", "1"]).optional(),
  PUBLIC_URL: z.string().url().optional(),
  SECURE_COOKIES: z.enum(["0", "1"]).default("0"),
  STATIC_DIR: z.string().default("dist/client"),
});
export type Config = z.infer<typeof Env>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Env.parse(env);
}

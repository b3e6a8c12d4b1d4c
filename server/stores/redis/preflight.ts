import { createClient } from "redis";

/**
 * Production start (issue 13): the record lives in Redis, so a Redis that evicts keys under memory
 * pressure (any `maxmemory-policy` but `noeviction`) silently deletes acknowledged events, sessions
 * and due jobs. `noeviction` makes a full Redis refuse writes instead, which the gateway reports
 * as UNAVAILABLE and the client retries [LOG2]: loud, and nothing lost.
 */
export const REQUIRED_POLICY = "noeviction";

type Client = Pick<ReturnType<typeof createClient>, "info">;

/** The server's eviction policy, read from INFO (allowed where CONFIG is not, on managed Redis). */
export async function evictionPolicy(client: Client): Promise<string | null> {
  const info = await client.info("memory");
  const line = info.split(/\r?\n/).find((l) => l.startsWith("maxmemory_policy:"));
  return line ? line.slice("maxmemory_policy:".length).trim() : null;
}

/** The sentence the server refuses to start with, or null when the policy is safe. */
export function evictionRefusal(policy: string | null): string | null {
  if (policy === REQUIRED_POLICY) return null;
  const seen = policy === null ? "could not be read" : `is "${policy}"`;
  return (
    `Refusing to start: Redis maxmemory-policy ${seen}, and an evicting Redis silently deletes the record. ` +
    `Set "maxmemory-policy ${REQUIRED_POLICY}" in redis.conf (or CONFIG SET maxmemory-policy ${REQUIRED_POLICY}) and start again.`
  );
}

/** Throws with that sentence unless Redis is set never to evict. */
export async function assertNoEviction(client: Client): Promise<void> {
  const refusal = evictionRefusal(await evictionPolicy(client));
  if (refusal) throw new Error(refusal);
}

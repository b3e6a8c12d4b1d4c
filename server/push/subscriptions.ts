import { createHash } from "node:crypto";
import { z } from "zod";
import type { KvStore } from "../stores/types.js";

/** The part of a browser's subscription a send needs. */
export const StoredSubscription = z.object({
  endpoint: z.string(),
  keys: z.object({ p256dh: z.string(), auth: z.string() }),
});
export type StoredSubscription = z.infer<typeof StoredSubscription>;

/** A person's devices; more than this and the oldest registration is dropped. */
export const MAX_DEVICES = 10;

const keys = {
  /** The person's subscriptions, newest last (JSON array). */
  user: (userId: string) => `push:subs:${userId}`,
  /** Whose device an endpoint is: one browser profile belongs to the last person who registered it. */
  endpoint: (endpoint: string) => `push:endpoint:${createHash("sha256").update(endpoint).digest("base64url")}`,
};

const List = z.array(StoredSubscription);

/**
 * Push subscriptions per user id, several devices each, in the KV store (Redis when scaled out),
 * so every node sends to the same devices. A read-modify-write per person: two of one person's
 * devices registering in the same instant could drop one, which heals itself because the client
 * posts its subscription again at every start (client/src/notify/push.ts).
 */
export class PushSubscriptions {
  constructor(private readonly kv: KvStore) {}

  async list(userId: string): Promise<StoredSubscription[]> {
    const raw = await this.kv.get(keys.user(userId));
    if (raw === null) return [];
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return [];
    }
    const parsed = List.safeParse(json);
    return parsed.success ? parsed.data : [];
  }

  /** Register (or refresh) a device; a device last registered by someone else leaves their list. */
  async add(userId: string, sub: StoredSubscription): Promise<void> {
    const owner = await this.kv.get(keys.endpoint(sub.endpoint));
    if (owner !== null && owner !== userId) await this.remove(owner, sub.endpoint);
    const rest = (await this.list(userId)).filter((s) => s.endpoint !== sub.endpoint);
    const next = [...rest, { endpoint: sub.endpoint, keys: sub.keys }].slice(-MAX_DEVICES);
    await this.kv.set(keys.user(userId), JSON.stringify(next));
    await this.kv.set(keys.endpoint(sub.endpoint), userId);
  }

  /** Forget a device (sign-out, unsubscribe, or the push service said it is gone). */
  async remove(userId: string, endpoint: string): Promise<void> {
    const all = await this.list(userId);
    const rest = all.filter((s) => s.endpoint !== endpoint);
    if (rest.length !== all.length) {
      if (rest.length === 0) await this.kv.del(keys.user(userId));
      else await this.kv.set(keys.user(userId), JSON.stringify(rest));
    }
    if ((await this.kv.get(keys.endpoint(endpoint))) === userId) await this.kv.del(keys.endpoint(endpoint));
  }
}

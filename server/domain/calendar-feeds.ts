import { randomBytes } from "node:crypto";
import type { KvStore } from "../stores/types.js";

const keys = {
  token: (t: string) => `calfeed:${t}`,
  user: (userId: string) => `calfeed-user:${userId}`,
};

/**
 * [SCH9] Private per-person calendar feed tokens, in KV so every node honours a revocation at
 * once. One live token per person: making a new one revokes the old.
 */
export class CalendarFeeds {
  constructor(private readonly kv: KvStore) {}

  async current(userId: string): Promise<string | null> {
    return this.kv.get(keys.user(userId));
  }

  async issue(userId: string): Promise<string> {
    await this.revoke(userId);
    const token = randomBytes(24).toString("base64url");
    await this.kv.set(keys.token(token), userId);
    await this.kv.set(keys.user(userId), token);
    return token;
  }

  async revoke(userId: string): Promise<void> {
    const old = await this.kv.take(keys.user(userId));
    if (old !== null) await this.kv.del(keys.token(old));
  }

  async owner(token: string): Promise<string | null> {
    return this.kv.get(keys.token(token));
  }
}

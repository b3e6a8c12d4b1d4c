import { z } from "zod";
import { LuaScript, type RedisClient } from "../stores/redis/client.js";
import type { LimitSettings, Who } from "./limits.js";

type CountSettings = Pick<LimitSettings, "socketsPerPerson" | "socketTtlMs">;

/** The count of a person's sockets. `acquire` resolves 0 when counted, else the count that refused it. */
export interface SocketCount {
  acquire(who: Who): Promise<number>;
  release(who: Who): Promise<void>;
  refresh(held: readonly Who[]): Promise<void>;
}

/** One node (embedded store): the entries still expire, so a socket that never connected frees its slot. */
export function memorySocketCount(settings: CountSettings, now: () => number): SocketCount {
  const byUser = new Map<string, Map<string, number>>();
  const live = (userId: string) => {
    const entries = byUser.get(userId) ?? new Map<string, number>();
    for (const [id, expiresAt] of entries) if (expiresAt <= now()) entries.delete(id);
    byUser.set(userId, entries);
    return entries;
  };
  return {
    async acquire({ userId, socketId }) {
      const entries = live(userId);
      if (!entries.has(socketId) && entries.size >= settings.socketsPerPerson) return entries.size;
      entries.set(socketId, now() + settings.socketTtlMs);
      return 0;
    },
    async release({ userId, socketId }) {
      const entries = live(userId);
      entries.delete(socketId);
      if (entries.size === 0) byUser.delete(userId);
    },
    async refresh(held) {
      for (const { userId, socketId } of held) live(userId).set(socketId, now() + settings.socketTtlMs);
    },
  };
}

/**
 * Across nodes: a ZSET per person, member = socket id, score = when the entry expires. Each node
 * refreshes the sockets it holds; a node that dies stops refreshing and its entries lapse within
 * `socketTtlMs`, so nobody stays locked out by a crash.
 */
const ACQUIRE = new LuaScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  local n = redis.call('ZCARD', KEYS[1])
  if n >= tonumber(ARGV[4]) then return n end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 0
`);

const Count = z.number().int().min(0);

export function redisSocketCount(client: RedisClient, prefix: string, settings: CountSettings, now: () => number): SocketCount {
  const key = (userId: string) => `${prefix}rl:sockets:${userId}`;
  return {
    async acquire({ userId, socketId }) {
      const t = now();
      const reply = await ACQUIRE.run(client, [key(userId)], [String(t), String(t + settings.socketTtlMs), socketId, String(settings.socketsPerPerson), String(settings.socketTtlMs)]);
      return Count.parse(reply);
    },
    async release({ userId, socketId }) {
      await client.zRem(key(userId), socketId);
    },
    async refresh(held) {
      if (held.length === 0) return;
      const expiresAt = now() + settings.socketTtlMs;
      const multi = client.multi();
      // Plain ZADD: what this node holds is counted, even an entry that lapsed while the node stalled.
      for (const { userId, socketId } of held) multi.zAdd(key(userId), { score: expiresAt, value: socketId });
      for (const userId of new Set(held.map((h) => h.userId))) multi.pExpire(key(userId), settings.socketTtlMs);
      await multi.exec();
    },
  };
}

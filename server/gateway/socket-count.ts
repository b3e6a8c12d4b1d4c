import { randomUUID } from "node:crypto";
import { z } from "zod";
import { LuaScript, type RedisClient } from "../stores/redis/client.js";
/** A person's socket. */
export interface Who {
  userId: string;
  socketId: string;
}

/** The part of the limits (limits.ts `LimitSettings`) a count needs. */
interface CountSettings {
  socketsPerPerson: number;
  socketTtlMs: number;
}

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
 * Across nodes: a SET per person of `<counter>|<socket id>`, where the counter is this process's
 * count (one per node), alive while its entry in one sorted set of counters (scored by "alive
 * until") is pushed on. A node keeps all its sockets counted with one ZADD per refresh, whatever
 * their number — refreshing each socket cost 2 Redis commands per socket every 10 s, ~0.6 per
 * idle session per second (issue 9). A node that dies stops refreshing: its sockets stop counting
 * within `socketTtlMs`, and the next connect of each of its people drops them.
 * KEYS: person's set, counters. ARGV: now, member, max, counter id, alive until, key ttl.
 */
const ACQUIRE = new LuaScript(`
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
local now = tonumber(ARGV[1])
local n = 0
local held = false
for _, m in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local counter = string.match(m, '^([^|]*)|')
  local alive = counter and redis.call('ZSCORE', KEYS[2], counter)
  if alive and tonumber(alive) > now then
    n = n + 1
    if m == ARGV[2] then held = true end
  else
    redis.call('SREM', KEYS[1], m)
  end
end
if not held and n >= tonumber(ARGV[3]) then return n end
redis.call('SADD', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 0
`);

const Count = z.number().int().min(0);
/** A person's set outlives any one socket (it is cleaned on each connect); this only drops the abandoned. */
const PERSON_KEY_TTL_MS = 7 * 24 * 3_600_000;

export function redisSocketCount(
  client: RedisClient,
  prefix: string,
  settings: CountSettings,
  now: () => number,
): SocketCount {
  const key = (userId: string) => `${prefix}rl:sockets:${userId}`;
  const counters = `${prefix}rl:counters`;
  const self = randomUUID();
  const member = (socketId: string) => `${self}|${socketId}`;
  return {
    async acquire({ userId, socketId }) {
      const t = now();
      const reply = await ACQUIRE.run(
        client,
        [key(userId), counters],
        [
          String(t),
          member(socketId),
          String(settings.socketsPerPerson),
          self,
          String(t + settings.socketTtlMs),
          String(PERSON_KEY_TTL_MS),
        ],
      );
      return Count.parse(reply);
    },
    async release({ userId, socketId }) {
      await client.sRem(key(userId), member(socketId));
    },
    async refresh() {
      const t = now();
      // Plain ZADD: this node's sockets count again even if it stalled past the ttl. Counters
      // dead for a day are forgotten (their people's entries were dropped at their next connect).
      await client
        .multi()
        .zAdd(counters, { score: t + settings.socketTtlMs, value: self })
        .zRemRangeByScore(counters, "-inf", t - 86_400_000)
        .exec();
    },
  };
}

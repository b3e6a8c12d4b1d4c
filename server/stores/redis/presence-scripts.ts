import { LuaScript } from "./client.js";

/*
 * Presence per room: a ZSET of members `${userId}|${nodeId}|${connId}` scored by expiresAt (ms),
 * a HASH member → state, the SET of rooms, and per node the SET of its rooms and, per room, the
 * SET of its members (what its heartbeat extends). Every key comes in through KEYS (see keys.ts).
 */

/** KEYS: entries, states, rooms, nodeRooms, nodeRoomEntries. ARGV: member, expiresAt, state, room. */
export const UPSERT = new LuaScript(`
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('SADD', KEYS[4], ARGV[4])
redis.call('SADD', KEYS[5], ARGV[1])
return 1
`);

/** KEYS: entries, states. ARGV: member, state, expiresAt. No-op when the entry is gone. */
export const SET_STATE = new LuaScript(`
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`);

/** KEYS: entries, states, rooms, nodeRoomEntries. ARGV: member, room. Returns 1 only to the caller that removed it. */
export const REMOVE = new LuaScript(`
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[2])
end
return removed
`);

/** KEYS: entries, states. Returns {member, score, state, ...}. */
export const LIST = new LuaScript(`
local z = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #z, 2 do
  out[#out + 1] = z[i]
  out[#out + 1] = z[i + 1]
  out[#out + 1] = redis.call('HGET', KEYS[2], z[i]) or ''
end
return out
`);

/**
 * [PR2] Remove entries with score <= now, and entries of a listed node whose liveness key is
 * missing; atomic, so when several nodes sweep, each removal is reported by exactly one of them.
 * KEYS: entries, states, rooms, then per listed node: alive, nodeRoomEntries.
 * ARGV: now, room, then the listed nodeIds (same order). Returns {member, score, state, ...}.
 */
export const SWEEP = new LuaScript(`
local now = tonumber(ARGV[1])
local nodes = {}
for i = 3, #ARGV do
  local k = 4 + (i - 3) * 2
  nodes[ARGV[i]] = { alive = redis.call('EXISTS', KEYS[k]) == 1, set = KEYS[k + 1] }
end
local z = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #z, 2 do
  local member = z[i]
  local node = string.match(member, '^[^|]*|([^|]*)|')
  local info = node and nodes[node]
  if tonumber(z[i + 1]) <= now or (info and not info.alive) then
    out[#out + 1] = member
    out[#out + 1] = z[i + 1]
    out[#out + 1] = redis.call('HGET', KEYS[2], member) or ''
    redis.call('ZREM', KEYS[1], member)
    redis.call('HDEL', KEYS[2], member)
    if info then redis.call('SREM', info.set, member) end
  end
end
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[2])
end
return out
`);

/**
 * Push the expiry of a node's entries in one room up to `until`, except those in their grace
 * period (`disconnected`); forget members that are gone, and the room when none are left.
 * KEYS: entries, states, nodeRoomEntries, nodeRooms. ARGV: until, room.
 */
export const EXTEND = new LuaScript(`
local until_ = tonumber(ARGV[1])
for _, member in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local score = redis.call('ZSCORE', KEYS[1], member)
  if not score then
    redis.call('SREM', KEYS[3], member)
  elseif tonumber(score) < until_ and redis.call('HGET', KEYS[2], member) ~= 'disconnected' then
    redis.call('ZADD', KEYS[1], ARGV[1], member)
  end
end
if redis.call('SCARD', KEYS[3]) == 0 then redis.call('SREM', KEYS[4], ARGV[2]) end
return 1
`);

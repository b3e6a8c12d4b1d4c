import { LuaScript } from "./client.js";

/*
 * Presence in five keys for the whole deployment (see keys.ts), so that one script sweeps every
 * room and node: what a sweep costs while nothing is due does not grow with rooms or people.
 * An entry is named by its ref, `${#room}:${room}${member}`, built only here (byte length, as
 * Redis compares bytes). A connected entry is never refreshed: it counts while its node's score
 * in the nodes ZSET is in the future. Only a dropped connection in its grace has a deadline.
 * Every key comes in through KEYS.
 */

const PRELUDE = `
local function ref_of(room, member) return #room .. ':' .. room .. member end
local function redis_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** Keep the grace deadline index in step with an entry's expiry ('' = none). */
const SET_DEADLINE = `
local function set_deadline(key, ref, expires_at)
  if expires_at == '' then redis.call('ZREM', key, ref) else redis.call('ZADD', key, expires_at, ref) end
end
`;

/**
 * KEYS: entries, data, deadlines, nodes, nodeEntries. ARGV: room, member, nodeId, state, expiresAt ('' = none).
 * The node is registered as never alive (score 0) unless it already has a heartbeat, so the
 * entries of a node that never sends one are swept.
 */
export const UPSERT = new LuaScript(`${PRELUDE}${SET_DEADLINE}
local ref = ref_of(ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], 0, ref)
redis.call('HSET', KEYS[2], ref, ARGV[4] .. '|' .. ARGV[5])
set_deadline(KEYS[3], ref, ARGV[5])
redis.call('ZADD', KEYS[4], 'NX', 0, ARGV[3])
redis.call('ZADD', KEYS[5], 0, ARGV[3] .. '|' .. ref)
return 1
`);

/** KEYS: data, deadlines. ARGV: room, member, state, expiresAt ('' = none). No-op when the entry is gone. */
export const SET_STATE = new LuaScript(`${PRELUDE}${SET_DEADLINE}
local ref = ref_of(ARGV[1], ARGV[2])
if redis.call('HEXISTS', KEYS[1], ref) == 0 then return 0 end
redis.call('HSET', KEYS[1], ref, ARGV[3] .. '|' .. ARGV[4])
set_deadline(KEYS[2], ref, ARGV[4])
return 1
`);

/** KEYS: entries, data, deadlines, nodeEntries. ARGV: room, member, nodeId. Returns 1 only to the caller that removed it. */
export const REMOVE = new LuaScript(`${PRELUDE}
local ref = ref_of(ARGV[1], ARGV[2])
local removed = redis.call('ZREM', KEYS[1], ref)
redis.call('HDEL', KEYS[2], ref)
redis.call('ZREM', KEYS[3], ref)
redis.call('ZREM', KEYS[4], ARGV[3] .. '|' .. ref)
return removed
`);

/** KEYS: entries, data. ARGV: room. Returns {member, data, ...}; HMGET in chunks to stay within Lua's stack. */
export const LIST = new LuaScript(`${PRELUDE}
local prefix = ref_of(ARGV[1], '')
local refs = redis.call('ZRANGEBYLEX', KEYS[1], '[' .. prefix, '(' .. prefix .. '\\255')
local out = {}
for i = 1, #refs, 500 do
  local chunk = {}
  for j = i, math.min(i + 499, #refs) do chunk[#chunk + 1] = refs[j] end
  local data = redis.call('HMGET', KEYS[2], unpack(chunk))
  for j = 1, #chunk do
    out[#out + 1] = string.sub(chunk[j], #prefix + 1)
    out[#out + 1] = data[j] or ''
  end
end
return out
`);

/**
 * [PR2] The whole store in one pass: remove entries whose deadline is at or before `now` (the
 * caller's clock, like the deadlines), and every entry of a node whose alive-until has passed on
 * Redis's clock, then forget that node. Nothing due costs EVALSHA + ZRANGEBYSCORE + TIME +
 * ZRANGEBYSCORE, whatever the number of rooms, people or nodes. Atomic, and an entry is reported
 * only by the ZREM that removed it, so when several nodes sweep each removal is reported once.
 * KEYS: entries, data, deadlines, nodes, nodeEntries. ARGV: now. Returns {room, member, data, ...}.
 */
export const SWEEP = new LuaScript(`${PRELUDE}
local out = {}
local function drop(ref)
  local data = redis.call('HGET', KEYS[2], ref)
  local removed = redis.call('ZREM', KEYS[1], ref)
  redis.call('HDEL', KEYS[2], ref)
  redis.call('ZREM', KEYS[3], ref)
  local len, rest = string.match(ref, '^(%d+):(.*)$')
  if not len then return end
  local room, member = string.sub(rest, 1, tonumber(len)), string.sub(rest, tonumber(len) + 1)
  local node = string.match(member, '^[^|]*|([^|]*)|')
  if node then redis.call('ZREM', KEYS[5], node .. '|' .. ref) end
  if removed == 1 then
    out[#out + 1] = room
    out[#out + 1] = member
    out[#out + 1] = data or ''
  end
end
for _, ref in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])) do drop(ref) end
for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', string.format('%.0f', redis_ms()))) do
  local from = node .. '|'
  for _, held in ipairs(redis.call('ZRANGEBYLEX', KEYS[5], '[' .. from, '(' .. from .. '\\255')) do
    drop(string.sub(held, #from + 1))
  end
  redis.call('ZREM', KEYS[4], node)
end
return out
`);

/** KEYS: nodes. ARGV: nodeId, ttlMs. Alive until Redis's now + ttl: one clock for every node. */
export const HEARTBEAT = new LuaScript(`${PRELUDE}
redis.call('ZADD', KEYS[1], string.format('%.0f', redis_ms() + tonumber(ARGV[2])), ARGV[1])
return 1
`);

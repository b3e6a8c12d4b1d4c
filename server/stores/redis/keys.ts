/**
 * Every Redis key the stores use, built from the deployment's prefix — in one place, so a key's
 * shape is never spelled twice. Lua scripts receive their keys from here through KEYS.
 *
 * A stream's keys share a hash tag `{stream}` so one append touches one cluster slot.
 */
export function redisKeys(prefix: string) {
  const stream = (s: string) => `${prefix}log:{${s}}`;
  // One hash tag for all of presence: a sweep covers every room and node in one script.
  const presence = `${prefix}presence:{all}`;
  return {
    /** STRING: the stream's last seq (INCR). */
    logSeq: (s: string) => `${stream(s)}:seq`,
    /** STREAM: entry id `<seq>-0`, field `e` = the StoredEvent JSON. */
    logEvents: (s: string) => `${stream(s)}:events`,
    /** HASH: event id → `<firstSeq>|<count>|<owner>` of the batch that holds it, for dedupe [LOG2]. */
    logIds: (s: string) => `${stream(s)}:ids`,
    /** HASH: scope → seq of the last event that touched it (scoped guards). */
    logScopes: (s: string) => `${stream(s)}:scopes`,
    /** STRING: the stream's epoch, set on its first append. */
    logEpoch: (s: string) => `${stream(s)}:epoch`,
    /** STRING: the stream's latest snapshot as JSON `{seq, data}` [LOG4]. */
    logSnapshot: (s: string) => `${stream(s)}:snapshot`,
    /** STRING: events up to this seq were dropped by trim. */
    logTrimmed: (s: string) => `${stream(s)}:trimmed`,

    /** ZSET: live session id, score = when its checks are next due (ms). */
    due: () => `${prefix}due:live`,

    /** STRING: one KV value. */
    kv: (k: string) => `${prefix}kv:${k}`,

    /*
     * Presence (see presence-scripts.ts). An entry's `ref` is `${#room}:${room}${member}` (room
     * length in bytes, then the room, then `${userId}|${nodeId}|${connId}`): one room's refs share
     * a prefix no other room's can start with.
     */
    /** ZSET, every score 0: refs, so one room is a lex range. */
    presenceEntries: () => `${presence}:entries`,
    /** HASH: ref → `${state}|${expiresAt}` (expiresAt empty: counts while its node is alive). */
    presenceData: () => `${presence}:data`,
    /** ZSET: refs of entries with a deadline (a dropped connection's grace), score = expiresAt (ms). */
    presenceDeadlines: () => `${presence}:deadlines`,
    /** ZSET: known nodeIds, score = alive until (ms, Redis's clock); 0 for one that never sent a heartbeat. */
    presenceNodes: () => `${presence}:nodes`,
    /** ZSET, every score 0: `${nodeId}|${ref}`, so one node's entries are a lex range. nodeId holds no `|`. */
    presenceNodeEntries: () => `${presence}:node-entries`,
    /** SET: userIds on break. */
    roomBreaks: (r: string) => `${prefix}presence:room:${r}:breaks`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/**
 * Every Redis key the stores use, built from the deployment's prefix — in one place, so a key's
 * shape is never spelled twice. Lua scripts receive their keys from here through KEYS.
 *
 * A stream's keys share a hash tag `{stream}` so one append touches one cluster slot.
 */
export function redisKeys(prefix: string) {
  const stream = (s: string) => `${prefix}log:{${s}}`;
  const room = (r: string) => `${prefix}presence:room:${r}`;
  const node = (n: string) => `${prefix}presence:node:${n}`;
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

    /** SET: rooms that have presence entries. */
    presenceRooms: () => `${prefix}presence:rooms`,
    /** ZSET: member `${userId}|${nodeId}|${connId}`, score = expiresAt (ms). */
    roomEntries: (r: string) => `${room(r)}:entries`,
    /** HASH: member → state. */
    roomStates: (r: string) => `${room(r)}:states`,
    /** SET: userIds on break. */
    roomBreaks: (r: string) => `${room(r)}:breaks`,
    /** STRING with PX ttl: the node is alive while it exists. */
    nodeAlive: (n: string) => `${node(n)}:alive`,
    /** SET: rooms where the node has entries. */
    nodeRooms: (n: string) => `${node(n)}:rooms`,
    /** SET: the node's members in one room (for its heartbeat to extend). nodeId holds no `|`. */
    nodeRoomEntries: (n: string, r: string) => `${prefix}presence:node-room:${n}|${r}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

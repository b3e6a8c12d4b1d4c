import { randomUUID } from "node:crypto";
import { z } from "zod";
import { StreamName } from "../../../shared/log.js";
import { checkBatch, checkGuard, guardScopes } from "../batch.js";
import {
  ConflictError,
  type AppendBatch,
  type AppendResult,
  type FoundBatch,
  type Guard,
  type LogStore,
  type ReadRequest,
  type ReadResult,
  type Snapshot,
} from "../types.js";
import { storedEventJson } from "../stored-event.js";
import { LuaScript, type RedisClient } from "./client.js";
import type { RedisKeys } from "./keys.js";

/**
 * [LOG1]–[LOG3] One command's batch, atomically: dedupe by any of its event ids (a hit returns the
 * whole earlier batch and its owner), the guard (head, or the scopes touched since), the stream's
 * epoch on first write, one XADD per event with entry id `<seq>-0`, every id → the batch, every
 * touched scope → its seq, the head last. XADDs with rising explicit ids cannot fail, so nothing
 * after the first write can leave half a batch.
 * KEYS: seq, events, ids, epoch, scopes. ARGV: owner, fresh epoch, spec JSON
 * `{guard: {seq, scopes: "stream"|[...]} | false, events: [{id, body, touches}]}` (body: the draft JSON, an object).
 * Returns {'ok'|'dup', owner, matchedId, event JSON...} or {'conflict', head} or {'lost', id}.
 */
const APPEND = new LuaScript(`
local spec = cjson.decode(ARGV[3])
for _, ev in ipairs(spec.events) do
  local known = redis.call('HGET', KEYS[3], ev.id)
  if known then
    local first, count, owner = string.match(known, '^(%d+)|(%d+)|(.*)$')
    local last = tonumber(first) + tonumber(count) - 1
    local found = redis.call('XRANGE', KEYS[2], first .. '-0', string.format('%d', last) .. '-0')
    if #found ~= tonumber(count) then return {'lost', ev.id} end
    local out = {'dup', owner, ev.id}
    for _, entry in ipairs(found) do out[#out + 1] = entry[2][2] end
    return out
  end
end
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local g = spec.guard
if type(g) == 'table' then
  if g.scopes == 'stream' then
    if head ~= g.seq then return {'conflict', string.format('%d', head)} end
  elseif #g.scopes > 0 then
    local lasts = redis.call('HMGET', KEYS[5], unpack(g.scopes))
    for i = 1, #g.scopes do
      if lasts[i] and tonumber(lasts[i]) > g.seq then return {'conflict', string.format('%d', head)} end
    end
  end
end
local epoch = redis.call('GET', KEYS[4])
if not epoch then
  epoch = ARGV[2]
  redis.call('SET', KEYS[4], epoch)
end
local n = #spec.events
local pointer = string.format('%d|%d|', head + 1, n) .. ARGV[1]
local out = {'ok', ARGV[1], ''}
for i, ev in ipairs(spec.events) do
  local seq = string.format('%d', head + i)
  local event = '{"seq":' .. seq .. ',"epoch":' .. cjson.encode(epoch) .. ',' .. string.sub(ev.body, 2)
  redis.call('XADD', KEYS[2], seq .. '-0', 'e', event)
  redis.call('HSET', KEYS[3], ev.id, pointer)
  for _, t in ipairs(ev.touches) do redis.call('HSET', KEYS[5], t, seq) end
  out[#out + 1] = event
end
redis.call('SET', KEYS[1], string.format('%d', head + n))
return out
`);

/** KEYS: seq, events, epoch. ARGV: first entry id, count. Returns {epoch or '', head, event JSON...}. */
const READ = new LuaScript(`
local out = {redis.call('GET', KEYS[3]) or '', redis.call('GET', KEYS[1]) or '0'}
if tonumber(ARGV[2]) > 0 then
  local entries = redis.call('XRANGE', KEYS[2], ARGV[1], '+', 'COUNT', ARGV[2])
  for _, entry in ipairs(entries) do out[#out + 1] = entry[2][2] end
end
return out
`);

/**
 * Several streams' catch-ups in one round trip (a command's membership and state: session,
 * cohort, program). KEYS: seq, events, epoch per stream. ARGV: first entry id, count per stream.
 * Returns per stream {epoch or '', head, n, n event JSONs}, concatenated.
 */
const READ_MANY = new LuaScript(`
local out = {}
for i = 0, #KEYS / 3 - 1 do
  local head = redis.call('GET', KEYS[i * 3 + 1]) or '0'
  out[#out + 1] = redis.call('GET', KEYS[i * 3 + 3]) or ''
  out[#out + 1] = head
  local entries = {}
  -- Nothing past the reader's position (a cohort, a program: the usual case): no XRANGE.
  local from = tonumber(string.match(ARGV[i * 2 + 1], '^(%d+)'))
  if tonumber(ARGV[i * 2 + 2]) > 0 and from <= tonumber(head) then
    entries = redis.call('XRANGE', KEYS[i * 3 + 2], ARGV[i * 2 + 1], '+', 'COUNT', ARGV[i * 2 + 2])
  end
  out[#out + 1] = tostring(#entries)
  for _, entry in ipairs(entries) do out[#out + 1] = entry[2][2] end
end
return out
`);

/** KEYS: ids, events. ARGV: event id. Returns {owner, event JSON...} of the batch holding it, or nil. */
const LOOKUP = new LuaScript(`
local known = redis.call('HGET', KEYS[1], ARGV[1])
if not known then return false end
local first, count, owner = string.match(known, '^(%d+)|(%d+)|(.*)$')
local last = tonumber(first) + tonumber(count) - 1
local found = redis.call('XRANGE', KEYS[2], first .. '-0', string.format('%d', last) .. '-0')
if #found == 0 then return false end
local out = {owner}
for _, entry in ipairs(found) do out[#out + 1] = entry[2][2] end
return out
`);

/** KEYS: snapshot. ARGV: seq, snapshot JSON. Keeps only the newest: returns 1 when stored, 0 when a newer one is kept. */
const SAVE_SNAPSHOT = new LuaScript(`
local old = redis.call('GET', KEYS[1])
if old and cjson.decode(old).seq >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`);

/**
 * KEYS: seq, events, ids, trimmed. ARGV: upto. Drops the events up to upto (clamped to the head)
 * and forgets their ids; returns the seq the stream is now trimmed to.
 */
const TRIM = new LuaScript(`
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
local done = tonumber(redis.call('GET', KEYS[4]) or '0')
local upto = math.min(tonumber(ARGV[1]), head)
if upto <= done then return done end
local entries = redis.call('XRANGE', KEYS[2], '-', upto .. '-0')
for _, entry in ipairs(entries) do
  redis.call('HDEL', KEYS[3], cjson.decode(entry[2][2]).id)
end
redis.call('XTRIM', KEYS[2], 'MINID', (upto + 1) .. '-0')
redis.call('SET', KEYS[4], upto)
return upto
`);

const SnapshotJson = z.object({ seq: z.number().int().min(0), data: z.string() });

const AppendReply = z.union([
  z.tuple([z.enum(["ok", "dup"]), z.string(), z.string()]).rest(z.string()),
  z.tuple([z.literal("conflict"), z.string().regex(/^\d+$/)]),
  z.tuple([z.literal("lost"), z.string()]),
]);
const LookupReply = z.union([z.null(), z.tuple([z.string()]).rest(z.string())]);
const HeadReply = z.tuple([z.string().nullable(), z.string().regex(/^\d+$/).nullable()]);

const parseEvent = storedEventJson;

/** A script's reply of strings (a read's events can be 10,000 of them: no per-element zod). */
function strings(reply: unknown): string[] {
  if (!Array.isArray(reply)) throw new Error("Redis replied with something other than a list");
  const out: string[] = [];
  for (const x of reply) {
    if (typeof x !== "string") throw new Error("Redis replied with a list of something other than strings");
    out.push(x);
  }
  return out;
}

export class RedisLogStore implements LogStore {
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly release: () => Promise<void>,
  ) {}

  async append(streamName: StreamName, batch: AppendBatch, guard?: Guard): Promise<AppendResult> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const b = checkBatch(batch);
    const g = checkGuard(guard);
    const spec = {
      guard: g === undefined ? false : { seq: g.seq, scopes: g.scopes === "stream" ? "stream" : guardScopes(g.scopes) },
      events: b.events.map((d, i) => ({
        id: d.id,
        body: JSON.stringify({ id: d.id, type: d.type, actor: d.actor, at: d.at, data: d.data }),
        touches: b.touches[i] ?? [],
      })),
    };
    const k = this.keys;
    const reply = AppendReply.parse(
      await APPEND.run(
        this.client,
        [k.logSeq(stream), k.logEvents(stream), k.logIds(stream), k.logEpoch(stream), k.logScopes(stream)],
        [b.owner, randomUUID(), JSON.stringify(spec)],
      ),
    );
    switch (reply[0]) {
      case "ok":
      case "dup": {
        const [kind, owner, matched, ...events] = reply;
        return {
          events: events.map(parseEvent),
          duplicate: kind === "dup",
          owner,
          matchedId: kind === "dup" ? matched : null,
        };
      }
      case "conflict":
        throw new ConflictError(stream, Number(reply[1]));
      case "lost":
        throw new Error(`stream ${stream}: event ${reply[1]} is recorded but its batch is gone`);
    }
  }

  async read(streamName: StreamName, afterSeq: number, limit: number): Promise<ReadResult> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const from = Math.max(0, Math.floor(afterSeq)) + 1;
    const count = Math.max(0, Math.floor(limit));
    const k = this.keys;
    const [epoch = "", head = "0", ...events] = strings(
      await READ.run(
        this.client,
        [k.logSeq(stream), k.logEvents(stream), k.logEpoch(stream)],
        [`${from}-0`, String(count)],
      ),
    );
    return { epoch: epoch === "" ? null : epoch, head: Number(head), events: events.map(parseEvent) };
  }

  async readMany(reqs: readonly ReadRequest[]): Promise<ReadResult[]> {
    this.assertOpen();
    if (reqs.length === 0) return [];
    const k = this.keys;
    const keys: string[] = [];
    const args: string[] = [];
    for (const r of reqs) {
      const stream = StreamName.parse(r.stream);
      keys.push(k.logSeq(stream), k.logEvents(stream), k.logEpoch(stream));
      args.push(`${Math.max(0, Math.floor(r.afterSeq)) + 1}-0`, String(Math.max(0, Math.floor(r.limit))));
    }
    const flat = strings(await READ_MANY.run(this.client, keys, args));
    const out: ReadResult[] = [];
    let i = 0;
    for (let n = 0; n < reqs.length; n++) {
      const epoch = flat[i++] ?? "";
      const head = Number(flat[i++] ?? "0");
      const count = Number(flat[i++] ?? "0");
      out.push({ epoch: epoch === "" ? null : epoch, head, events: flat.slice(i, i + count).map(parseEvent) });
      i += count;
    }
    return out;
  }

  async lookup(streamName: StreamName, id: string): Promise<FoundBatch | null> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const reply = LookupReply.parse(
      await LOOKUP.run(this.client, [this.keys.logIds(stream), this.keys.logEvents(stream)], [id]),
    );
    if (reply === null) return null;
    const [owner, ...events] = reply;
    return { owner, events: events.map(parseEvent) };
  }

  async head(streamName: StreamName): Promise<{ epoch: string | null; seq: number }> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const [epoch, seq] = HeadReply.parse(
      await this.client.mGet([this.keys.logEpoch(stream), this.keys.logSeq(stream)]),
    );
    return { epoch, seq: seq === null ? 0 : Number(seq) };
  }

  async saveSnapshot(streamName: StreamName, snap: Snapshot): Promise<boolean> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const body = SnapshotJson.parse(snap);
    const stored = await SAVE_SNAPSHOT.run(
      this.client,
      [this.keys.logSnapshot(stream)],
      [String(body.seq), JSON.stringify(body)],
    );
    return stored === 1;
  }

  async loadSnapshot(streamName: StreamName): Promise<Snapshot | null> {
    this.assertOpen();
    const json = await this.client.get(this.keys.logSnapshot(StreamName.parse(streamName)));
    return json === null ? null : SnapshotJson.parse(JSON.parse(json));
  }

  async trim(streamName: StreamName, uptoSeq: number): Promise<number> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const k = this.keys;
    const upto = Math.max(0, Math.floor(uptoSeq));
    const reply = await TRIM.run(
      this.client,
      [k.logSeq(stream), k.logEvents(stream), k.logIds(stream), k.logTrimmed(stream)],
      [String(upto)],
    );
    return z.number().int().parse(reply);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("log store is closed");
  }
}

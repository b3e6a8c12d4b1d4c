import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DraftEvent, StoredEvent, StreamName } from "../../../shared/log.js";
import { ConflictError, type AppendOptions, type AppendResult, type LogStore, type ReadResult, type Snapshot } from "../types.js";
import { LuaScript, type RedisClient } from "./client.js";
import type { RedisKeys } from "./keys.js";

/**
 * [LOG1]–[LOG3] One append, atomically: dedupe by event id, the optional expectedSeq check, the
 * stream's epoch on first write, XADD with entry id `<seq>-0`, INCR of the seq. XADD goes first:
 * it is the only step that can fail, and a script is not rolled back.
 * KEYS: seq, events, ids, epoch. ARGV: event id, draft JSON (an object), expectedSeq or '', fresh epoch.
 * Returns {'ok'|'dup', event JSON} or {'conflict', head} or {'lost', seq}.
 */
const APPEND = new LuaScript(`
local known = redis.call('HGET', KEYS[3], ARGV[1])
if known then
  local found = redis.call('XRANGE', KEYS[2], known .. '-0', known .. '-0')
  if #found == 0 then return {'lost', known} end
  return {'dup', found[1][2][2]}
end
local head = tonumber(redis.call('GET', KEYS[1]) or '0')
if ARGV[3] ~= '' and tonumber(ARGV[3]) ~= head then
  return {'conflict', tostring(head)}
end
local epoch = redis.call('GET', KEYS[4])
local fresh = not epoch
if fresh then epoch = ARGV[4] end
local seq = string.format('%d', head + 1)
local event = '{"seq":' .. seq .. ',"epoch":' .. cjson.encode(epoch) .. ',' .. string.sub(ARGV[2], 2)
redis.call('XADD', KEYS[2], seq .. '-0', 'e', event)
redis.call('INCR', KEYS[1])
if fresh then redis.call('SET', KEYS[4], epoch) end
redis.call('HSET', KEYS[3], ARGV[1], seq)
return {'ok', event}
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

/** KEYS: ids, events. ARGV: event id. Returns the event JSON, or nil when the id is unknown. */
const LOOKUP = new LuaScript(`
local known = redis.call('HGET', KEYS[1], ARGV[1])
if not known then return false end
local found = redis.call('XRANGE', KEYS[2], known .. '-0', known .. '-0')
if #found == 0 then return false end
return found[1][2][2]
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
  z.tuple([z.enum(["ok", "dup"]), z.string()]),
  z.tuple([z.enum(["conflict", "lost"]), z.string().regex(/^\d+$/)]),
]);
const ReadReply = z.tuple([z.string(), z.string().regex(/^\d+$/)]).rest(z.string());
const HeadReply = z.tuple([z.string().nullable(), z.string().regex(/^\d+$/).nullable()]);

function parseEvent(json: string): StoredEvent {
  return StoredEvent.parse(JSON.parse(json));
}

export class RedisLogStore implements LogStore {
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly release: () => Promise<void>,
  ) {}

  async append(streamName: StreamName, draft: DraftEvent, opts: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const d = DraftEvent.parse(draft);
    const expected = opts.expectedSeq;
    if (expected !== undefined && !(Number.isSafeInteger(expected) && expected >= 0)) {
      throw new RangeError("expectedSeq must be a whole number >= 0");
    }
    const k = this.keys;
    const json = JSON.stringify({ id: d.id, type: d.type, actor: d.actor, at: d.at, data: d.data });
    const reply = AppendReply.parse(
      await APPEND.run(
        this.client,
        [k.logSeq(stream), k.logEvents(stream), k.logIds(stream), k.logEpoch(stream)],
        [d.id, json, expected === undefined ? "" : String(expected), randomUUID()],
      ),
    );
    switch (reply[0]) {
      case "ok":
        return { event: parseEvent(reply[1]), duplicate: false };
      case "dup":
        return { event: parseEvent(reply[1]), duplicate: true };
      case "conflict":
        throw new ConflictError(stream, Number(reply[1]));
      case "lost":
        throw new Error(`stream ${stream}: event ${d.id} is recorded at seq ${reply[1]} but that entry is gone`);
    }
  }

  async read(streamName: StreamName, afterSeq: number, limit: number): Promise<ReadResult> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const from = Math.max(0, Math.floor(afterSeq)) + 1;
    const count = Math.max(0, Math.floor(limit));
    const k = this.keys;
    const [epoch, head, ...events] = ReadReply.parse(
      await READ.run(this.client, [k.logSeq(stream), k.logEvents(stream), k.logEpoch(stream)], [`${from}-0`, String(count)]),
    );
    return { epoch: epoch === "" ? null : epoch, head: Number(head), events: events.map(parseEvent) };
  }

  async lookup(streamName: StreamName, id: string): Promise<StoredEvent | null> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const json = z.string().nullable().parse(await LOOKUP.run(this.client, [this.keys.logIds(stream), this.keys.logEvents(stream)], [id]));
    return json === null ? null : parseEvent(json);
  }

  async head(streamName: StreamName): Promise<{ epoch: string | null; seq: number }> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const [epoch, seq] = HeadReply.parse(await this.client.mGet([this.keys.logEpoch(stream), this.keys.logSeq(stream)]));
    return { epoch, seq: seq === null ? 0 : Number(seq) };
  }

  async saveSnapshot(streamName: StreamName, snap: Snapshot): Promise<boolean> {
    this.assertOpen();
    const stream = StreamName.parse(streamName);
    const body = SnapshotJson.parse(snap);
    const stored = await SAVE_SNAPSHOT.run(this.client, [this.keys.logSnapshot(stream)], [String(body.seq), JSON.stringify(body)]);
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
    const reply = await TRIM.run(this.client, [k.logSeq(stream), k.logEvents(stream), k.logIds(stream), k.logTrimmed(stream)], [String(upto)]);
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

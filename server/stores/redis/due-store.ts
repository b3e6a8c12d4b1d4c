import { z } from "zod";
import type { DueStore } from "../types.js";
import { LuaScript, type RedisClient } from "./client.js";
import type { RedisKeys } from "./keys.js";

/** KEYS: due. ARGV: id, from, to ('' = drop). Moves the entry only if its score is still `from`. */
const RESCHEDULE = new LuaScript(`
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 1
`);

const DueReply = z.array(z.object({ value: z.string(), score: z.number() }));

/** The due index as one sorted set: ZADD LT keeps the earliest time, ZRANGEBYSCORE reads what is due. */
export class RedisDueStore implements DueStore {
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly release: () => Promise<void>,
  ) {}

  async schedule(id: string, at: number): Promise<void> {
    this.assertOpen();
    await this.client.zAdd(this.keys.due(), { score: Math.floor(at), value: id }, { LT: true });
  }

  async due(now: number, limit: number): Promise<{ id: string; at: number }[]> {
    this.assertOpen();
    const reply = DueReply.parse(
      await this.client.zRangeByScoreWithScores(this.keys.due(), "-inf", Math.floor(now), {
        LIMIT: { offset: 0, count: Math.max(1, Math.floor(limit)) },
      }),
    );
    return reply.map((r) => ({ id: r.value, at: r.score }));
  }

  async reschedule(id: string, from: number, to: number | null): Promise<boolean> {
    this.assertOpen();
    const reply = await RESCHEDULE.run(
      this.client,
      [this.keys.due()],
      [id, String(Math.floor(from)), to === null ? "" : String(Math.floor(to))],
    );
    return reply === 1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("due store is closed");
  }
}

import type { SetOptions } from "redis";
import type { KvStore } from "../types.js";
import { LuaScript, type RedisClient } from "./client.js";
import type { RedisKeys } from "./keys.js";

/** INCR, and PEXPIRE on the first increment, as one script: a crash between them cannot leave a counter that never expires. */
const INCR_WITH_TTL = new LuaScript(`
local n = redis.call("INCR", KEYS[1])
if n == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
return n
`);

/** Small keyed values as Redis strings: SET with PX/NX, GETDEL for one-time tokens. */
export class RedisKvStore implements KvStore {
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly release: () => Promise<void>,
  ) {}

  async get(key: string): Promise<string | null> {
    this.assertOpen();
    return await this.client.get(this.keys.kv(key));
  }

  async set(key: string, value: string, opts: { ttlMs?: number; nx?: boolean } = {}): Promise<boolean> {
    this.assertOpen();
    const options: SetOptions = {};
    if (opts.ttlMs !== undefined) options.expiration = { type: "PX", value: Math.max(1, Math.ceil(opts.ttlMs)) };
    if (opts.nx) options.condition = "NX";
    const reply = await this.client.set(this.keys.kv(key), value, options);
    return reply !== null;
  }

  async del(key: string): Promise<void> {
    this.assertOpen();
    await this.client.del(this.keys.kv(key));
  }

  async take(key: string): Promise<string | null> {
    this.assertOpen();
    return await this.client.getDel(this.keys.kv(key));
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    this.assertOpen();
    const reply = await INCR_WITH_TTL.run(this.client, [this.keys.kv(key)], [String(Math.max(1, Math.ceil(ttlMs)))]);
    if (typeof reply !== "number") throw new Error("INCR did not answer with a number");
    return reply;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("kv store is closed");
  }
}

import { z } from "zod";
import type { KvStore } from "../types.js";
import { Journal, type JournalOptions } from "./journal.js";

export const KV_JOURNAL = "kv.jsonl";

/** Journal lines: a set (with its absolute expiry in ms, or null) or a delete. */
const KvRecord = z.discriminatedUnion("op", [
  z.object({ op: z.literal("set"), k: z.string(), v: z.string(), x: z.number().nullable() }),
  z.object({ op: z.literal("del"), k: z.string() }),
]);
type KvRecord = z.infer<typeof KvRecord>;

interface Entry {
  value: string;
  /** ms since epoch, or null for no expiry */
  expiresAt: number | null;
}

/** A key's newest write, still waiting for its fsync (entry null: a delete). */
interface Ahead {
  entry: Entry | null;
  done: Promise<void>;
}

/**
 * Small keyed values in one process, journaled like the log (group-committed; each write resolves
 * once durable [LOG3]). Reads see only durable values; writes decide on the newest value, durable
 * or not, so nx, take and incr stay atomic. Expiry is checked on read; on open the journal is
 * replayed and, when it holds dead records, rewritten compactly. A failed journal stops the store.
 */
export class EmbeddedKvStore implements KvStore {
  /** What is durable: all that `get` answers from. */
  private readonly entries = new Map<string, Entry>();
  /** Keys with a write in flight, and their newest value. */
  private readonly ahead = new Map<string, Ahead>();
  private closed = false;

  private constructor(
    private readonly journal: Journal,
    private readonly now: () => number,
  ) {}

  static async open(path: string, now: () => number, options: JournalOptions = {}): Promise<EmbeddedKvStore> {
    const opened = Journal.open(path, options);
    const entries = new Map<string, Entry>();
    try {
      opened.records.forEach((raw, i) => {
        const parsed = KvRecord.safeParse(raw);
        if (!parsed.success) throw new Error(`kv journal line ${i + 1} is not a kv record`);
        const r = parsed.data;
        if (r.op === "set") entries.set(r.k, { value: r.v, expiresAt: r.x });
        else entries.delete(r.k);
      });
    } catch (err) {
      await opened.journal.close();
      throw err;
    }
    const t = now();
    for (const [k, e] of entries) if (e.expiresAt !== null && e.expiresAt <= t) entries.delete(k);

    let journal = opened.journal;
    if (opened.records.length > entries.size) {
      await journal.close();
      const live: KvRecord[] = [...entries].map(([k, e]) => ({ op: "set", k, v: e.value, x: e.expiresAt }));
      Journal.rewrite(path, live);
      journal = Journal.open(path, options).journal;
    }
    const store = new EmbeddedKvStore(journal, now);
    for (const [k, e] of entries) store.entries.set(k, e);
    return store;
  }

  async get(key: string): Promise<string | null> {
    this.assertOpen();
    const entry = this.entries.get(key);
    if (entry && this.expired(entry)) {
      this.entries.delete(key);
      return null;
    }
    return entry?.value ?? null;
  }

  async set(key: string, value: string, opts: { ttlMs?: number; nx?: boolean } = {}): Promise<boolean> {
    this.assertOpen();
    if (opts.nx && this.live(key)) {
      await this.settled(key);
      return false;
    }
    const expiresAt = opts.ttlMs === undefined ? null : this.now() + Math.max(1, Math.ceil(opts.ttlMs));
    await this.write(key, { value, expiresAt }, { op: "set", k: key, v: value, x: expiresAt });
    return true;
  }

  async del(key: string): Promise<void> {
    this.assertOpen();
    const ahead = this.ahead.get(key);
    if (ahead ? ahead.entry === null : !this.entries.has(key)) return this.settled(key);
    await this.write(key, null, { op: "del", k: key });
  }

  async take(key: string): Promise<string | null> {
    this.assertOpen();
    const entry = this.live(key);
    if (!entry) {
      await this.settled(key);
      return null;
    }
    // Journal the delete before answering: a token taken once stays taken after a restart.
    await this.write(key, null, { op: "del", k: key });
    return entry.value;
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    this.assertOpen();
    const entry = this.live(key);
    const count = entry ? Number(entry.value) + 1 : 1;
    if (!Number.isSafeInteger(count)) throw new Error("kv value is not an integer counter");
    // The expiry is set once, by the first increment; a counter without one keeps none (like Redis INCR).
    const expiresAt = entry ? entry.expiresAt : this.now() + Math.max(1, Math.ceil(ttlMs));
    // Single-threaded, and the write below is visible to the next decision at once: the read
    // above and this write cannot interleave with another increment.
    await this.write(key, { value: String(count), expiresAt }, { op: "set", k: key, v: String(count), x: expiresAt });
    return count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.journal.close();
  }

  /** The newest entry (durable or not) when present and not expired: what a write decides on. */
  private live(key: string): Entry | undefined {
    const ahead = this.ahead.get(key);
    const entry = ahead ? (ahead.entry ?? undefined) : this.entries.get(key);
    if (entry && this.expired(entry)) {
      if (!ahead) this.entries.delete(key); // forgotten here: its expiry is journaled
      return undefined;
    }
    return entry;
  }

  private expired(entry: Entry): boolean {
    return entry.expiresAt !== null && entry.expiresAt <= this.now();
  }

  /** An answer decided on a write still in flight waits for it: it must not outlive a crash. */
  private async settled(key: string): Promise<void> {
    await this.ahead.get(key)?.done;
  }

  /** Journal a write; the next decision sees it now, readers once it is durable. */
  private async write(key: string, entry: Entry | null, record: KvRecord): Promise<void> {
    const done: Promise<void> = this.journal.append(record).then(() => {
      if (entry) this.entries.set(key, entry);
      else this.entries.delete(key);
      if (this.ahead.get(key)?.done === done) this.ahead.delete(key);
    });
    this.ahead.set(key, { entry, done });
    await done;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("kv store is closed");
    const failure = this.journal.failure;
    if (failure)
      throw new Error(`kv store stopped: its journal failed; restart to re-read the journal (${failure.message})`, {
        cause: failure,
      });
  }
}

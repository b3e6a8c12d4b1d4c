import { z } from "zod";
import type { KvStore } from "../types.js";
import { Journal } from "./journal.js";

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

/**
 * Small keyed values in one process, journaled and fsynced like the log. Expiry is checked on
 * read; on open the journal is replayed and, when it holds dead records, rewritten compactly.
 */
export class EmbeddedKvStore implements KvStore {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  private constructor(
    private readonly journal: Journal,
    private readonly now: () => number,
  ) {}

  static open(path: string, now: () => number): EmbeddedKvStore {
    const opened = Journal.open(path);
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
      opened.journal.close();
      throw err;
    }
    const t = now();
    for (const [k, e] of entries) if (e.expiresAt !== null && e.expiresAt <= t) entries.delete(k);

    let journal = opened.journal;
    if (opened.records.length > entries.size) {
      journal.close();
      const live: KvRecord[] = [...entries].map(([k, e]) => ({ op: "set", k, v: e.value, x: e.expiresAt }));
      Journal.rewrite(path, live);
      journal = Journal.open(path).journal;
    }
    const store = new EmbeddedKvStore(journal, now);
    for (const [k, e] of entries) store.entries.set(k, e);
    return store;
  }

  async get(key: string): Promise<string | null> {
    this.assertOpen();
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, opts: { ttlMs?: number; nx?: boolean } = {}): Promise<boolean> {
    this.assertOpen();
    if (opts.nx && this.live(key)) return false;
    const expiresAt = opts.ttlMs === undefined ? null : this.now() + Math.max(1, Math.ceil(opts.ttlMs));
    this.write({ op: "set", k: key, v: value, x: expiresAt });
    this.entries.set(key, { value, expiresAt });
    return true;
  }

  async del(key: string): Promise<void> {
    this.assertOpen();
    if (!this.entries.has(key)) return;
    this.write({ op: "del", k: key });
    this.entries.delete(key);
  }

  async take(key: string): Promise<string | null> {
    this.assertOpen();
    const entry = this.live(key);
    if (!entry) return null;
    // Journal the delete before answering: a token taken once stays taken after a restart.
    this.write({ op: "del", k: key });
    this.entries.delete(key);
    return entry.value;
  }

  async incr(key: string, ttlMs: number): Promise<number> {
    this.assertOpen();
    const entry = this.live(key);
    const count = entry ? Number(entry.value) + 1 : 1;
    if (!Number.isSafeInteger(count)) throw new Error("kv value is not an integer counter");
    // The expiry is set once, by the first increment; a counter without one keeps none (like Redis INCR).
    const expiresAt = entry ? entry.expiresAt : this.now() + Math.max(1, Math.ceil(ttlMs));
    // Single-threaded: the read above and this write cannot interleave with another increment.
    this.write({ op: "set", k: key, v: String(count), x: expiresAt });
    this.entries.set(key, { value: String(count), expiresAt });
    return count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.journal.close();
  }

  /** The entry when present and not expired; an expired one is forgotten here (its expiry is journaled). */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(record: KvRecord): void {
    this.journal.append(record);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("kv store is closed");
  }
}

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { StoredEvent, StreamName } from "../../../shared/log.js";
import { checkBatch, checkGuard, guardScopes } from "../batch.js";
import { ConflictError, type AppendBatch, type AppendResult, type FoundBatch, type Guard, type LogStore, type ReadRequest, type ReadResult, type Snapshot } from "../types.js";
import { Journal } from "./journal.js";

export const LOG_JOURNAL = "log.jsonl";

/**
 * One journal line: a command's whole batch (so it is durable whole or not at all), its owner and
 * what each event touched. The stream's epoch rides on every event.
 */
const BatchRecord = z.object({ s: StreamName, o: z.string(), b: z.array(StoredEvent).min(1), t: z.array(z.array(z.string())) });
type BatchRecord = z.infer<typeof BatchRecord>;
/** Journals written before batches: one event a line, owner unknown, touching the whole stream. */
const LegacyRecord = z.object({ s: StreamName, e: StoredEvent });
/** Compaction lines [LOG4]: a snapshot kept, or the stream's events up to `trim` dropped. */
const SnapRecord = z.object({ s: StreamName, snap: z.object({ seq: z.number().int().min(0), data: z.string() }) });
const TrimRecord = z.object({ s: StreamName, trim: z.number().int().min(0) });

interface Stream {
  epoch: string;
  /** events[i].seq === base + i + 1 */
  events: StoredEvent[];
  /** Events up to this seq were dropped by trim. */
  base: number;
  snapshot: Snapshot | null;
  /** event id → the batch holding it (first seq, count, owner). */
  batchById: Map<string, BatchRef>;
  /** scope → seq of the last event that touched it. */
  scopes: Map<string, number>;
}

interface BatchRef {
  first: number;
  count: number;
  owner: string;
}

/**
 * [LOG1]–[LOG3] The log in one process: every stream held in memory, every event fsynced to an
 * append-only journal before `append` resolves, and the journal replayed on open.
 */
export class EmbeddedLogStore implements LogStore {
  private readonly streams = new Map<string, Stream>();
  private closed = false;

  private constructor(private readonly journal: Journal) {}

  static open(path: string): EmbeddedLogStore {
    const { journal, records } = Journal.open(path);
    const store = new EmbeddedLogStore(journal);
    try {
      records.forEach((raw, i) => store.replay(raw, i + 1));
    } catch (err) {
      journal.close();
      throw err;
    }
    return store;
  }

  private replay(raw: unknown, line: number): void {
    const snap = SnapRecord.safeParse(raw);
    if (snap.success) {
      const stream = this.streams.get(snap.data.s);
      if (stream) stream.snapshot = snap.data.snap;
      return;
    }
    const trim = TrimRecord.safeParse(raw);
    if (trim.success) {
      const stream = this.streams.get(trim.data.s);
      if (stream) this.drop(stream, trim.data.trim);
      return;
    }
    const batch = BatchRecord.safeParse(raw);
    const legacy = batch.success ? null : LegacyRecord.safeParse(raw);
    const record: BatchRecord | null = batch.success ? batch.data : legacy?.success ? { s: legacy.data.s, o: "", b: [legacy.data.e], t: [["*"]] } : null;
    if (record === null) throw new Error(`log journal line ${line} is not an event record`);
    const first = record.b[0];
    const stream = this.streams.get(record.s) ?? fresh(first?.epoch ?? "");
    record.b.forEach((e, i) => {
      if (e.seq !== stream.base + stream.events.length + 1 + i || e.epoch !== stream.epoch || stream.batchById.has(e.id)) {
        throw new Error(`log journal line ${line} breaks the order of stream ${record.s}`);
      }
    });
    this.add(record, stream);
  }

  private add(record: BatchRecord, stream: Stream): void {
    const ref: BatchRef = { first: record.b[0]?.seq ?? 0, count: record.b.length, owner: record.o };
    record.b.forEach((e, i) => {
      stream.events.push(e);
      stream.batchById.set(e.id, ref);
      for (const t of record.t[i] ?? []) stream.scopes.set(t, e.seq);
    });
    this.streams.set(record.s, stream);
  }

  private batchOf(stream: Stream, ref: BatchRef): StoredEvent[] {
    const from = ref.first - stream.base - 1;
    return from < 0 ? [] : stream.events.slice(from, from + ref.count);
  }

  async append(streamName: StreamName, batch: AppendBatch, guard?: Guard): Promise<AppendResult> {
    this.assertOpen();
    const name = StreamName.parse(streamName);
    const b = checkBatch(batch);
    const g = checkGuard(guard);
    const stream = this.streams.get(name);
    if (stream) {
      for (const d of b.events) {
        const ref = stream.batchById.get(d.id);
        if (!ref) continue;
        const events = this.batchOf(stream, ref);
        if (events.length !== ref.count) throw new Error(`stream ${name}: event ${d.id} is recorded but its batch is gone`);
        return { events, duplicate: true, owner: ref.owner, matchedId: d.id };
      }
    }
    const head = stream ? stream.base + stream.events.length : 0;
    if (g !== undefined) {
      const conflict = g.scopes === "stream" ? head !== g.seq : guardScopes(g.scopes).some((sc) => (stream?.scopes.get(sc) ?? 0) > g.seq);
      if (conflict) throw new ConflictError(name, head);
    }
    const epoch = stream?.epoch ?? randomUUID();
    const events = b.events.map((d, i) => ({ seq: head + 1 + i, epoch, id: d.id, type: d.type, actor: d.actor, at: d.at, data: d.data }));
    // Round-trip through JSON so the answer is exactly what a later read (or a restart) returns.
    const record: BatchRecord = BatchRecord.parse(JSON.parse(JSON.stringify({ s: name, o: b.owner, b: events, t: b.touches })));
    this.journal.append(record); // one line, synchronous write + fdatasync: durable whole before we answer [LOG3]
    this.add(record, stream ?? fresh(epoch));
    return { events: record.b, duplicate: false, owner: b.owner, matchedId: null };
  }

  async read(streamName: StreamName, afterSeq: number, limit: number): Promise<ReadResult> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    if (!stream) return { epoch: null, events: [], head: 0 };
    const from = Math.max(0, Math.floor(afterSeq) - stream.base);
    const count = Math.max(0, Math.floor(limit));
    return { epoch: stream.epoch, events: stream.events.slice(from, from + count), head: stream.base + stream.events.length };
  }

  async readMany(reqs: readonly ReadRequest[]): Promise<ReadResult[]> {
    return Promise.all(reqs.map((r) => this.read(r.stream, r.afterSeq, r.limit)));
  }

  async lookup(streamName: StreamName, id: string): Promise<FoundBatch | null> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    const ref = stream?.batchById.get(id);
    if (!stream || !ref) return null;
    const events = this.batchOf(stream, ref);
    return events.length === 0 ? null : { events, owner: ref.owner };
  }

  async head(streamName: StreamName): Promise<{ epoch: string | null; seq: number }> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    return { epoch: stream?.epoch ?? null, seq: stream ? stream.base + stream.events.length : 0 };
  }

  async saveSnapshot(streamName: StreamName, snap: Snapshot): Promise<boolean> {
    this.assertOpen();
    const name = StreamName.parse(streamName);
    const stream = this.streams.get(name);
    if (!stream) throw new RangeError(`stream ${name} has no events to snapshot`);
    if (stream.snapshot && stream.snapshot.seq >= snap.seq) return false;
    const record = SnapRecord.parse({ s: name, snap: { seq: snap.seq, data: snap.data } });
    this.journal.append(record); // durable before we answer
    stream.snapshot = record.snap;
    return true;
  }

  async loadSnapshot(streamName: StreamName): Promise<Snapshot | null> {
    this.assertOpen();
    return this.streams.get(streamName)?.snapshot ?? null;
  }

  async trim(streamName: StreamName, uptoSeq: number): Promise<number> {
    this.assertOpen();
    const name = StreamName.parse(streamName);
    const stream = this.streams.get(name);
    if (!stream) return 0;
    const upto = Math.min(Math.max(0, Math.floor(uptoSeq)), stream.base + stream.events.length);
    if (upto <= stream.base) return stream.base;
    this.journal.append(TrimRecord.parse({ s: name, trim: upto }));
    this.drop(stream, upto);
    return stream.base;
  }

  private drop(stream: Stream, upto: number): void {
    const n = upto - stream.base;
    if (n <= 0) return;
    for (const e of stream.events.slice(0, n)) stream.batchById.delete(e.id);
    stream.events = stream.events.slice(n);
    stream.base = upto;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.journal.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("log store is closed");
  }
}

function fresh(epoch: string): Stream {
  return { epoch, events: [], base: 0, snapshot: null, batchById: new Map<string, BatchRef>(), scopes: new Map<string, number>() };
}

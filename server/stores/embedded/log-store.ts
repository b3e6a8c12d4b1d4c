import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DraftEvent, StoredEvent, StreamName } from "../../../shared/log.js";
import { ConflictError, type AppendOptions, type AppendResult, type LogStore, type ReadResult, type Snapshot } from "../types.js";
import { Journal } from "./journal.js";

export const LOG_JOURNAL = "log.jsonl";

/** One journal line: an event of a stream. The stream's epoch rides on every event. */
const LogRecord = z.object({ s: StreamName, e: StoredEvent });
type LogRecord = z.infer<typeof LogRecord>;
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
  seqById: Map<string, number>;
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
    const parsed = LogRecord.safeParse(raw);
    if (!parsed.success) throw new Error(`log journal line ${line} is not an event record`);
    const { s, e } = parsed.data;
    const stream = this.streams.get(s) ?? fresh(e.epoch);
    if (e.seq !== stream.base + stream.events.length + 1 || e.epoch !== stream.epoch || stream.seqById.has(e.id)) {
      throw new Error(`log journal line ${line} breaks the order of stream ${s}`);
    }
    this.add(s, stream, e);
  }

  private add(name: string, stream: Stream, e: StoredEvent): void {
    stream.events.push(e);
    stream.seqById.set(e.id, e.seq);
    this.streams.set(name, stream);
  }

  async append(streamName: StreamName, draft: DraftEvent, opts: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    const name = StreamName.parse(streamName);
    const d = DraftEvent.parse(draft);
    const stream = this.streams.get(name);
    const known = stream?.seqById.get(d.id);
    if (stream && known !== undefined) {
      const original = stream.events[known - stream.base - 1];
      if (original) return { event: original, duplicate: true };
    }
    const head = stream ? stream.base + stream.events.length : 0;
    if (opts.expectedSeq !== undefined && opts.expectedSeq !== head) throw new ConflictError(name, head);
    const epoch = stream?.epoch ?? randomUUID();
    // Round-trip through JSON so the answer is exactly what a later read (or a restart) returns.
    const record: LogRecord = LogRecord.parse(
      JSON.parse(JSON.stringify({ s: name, e: { seq: head + 1, epoch, id: d.id, type: d.type, actor: d.actor, at: d.at, data: d.data } })),
    );
    this.journal.append(record); // synchronous write + fdatasync: durable before we answer [LOG3]
    this.add(name, stream ?? fresh(epoch), record.e);
    return { event: record.e, duplicate: false };
  }

  async read(streamName: StreamName, afterSeq: number, limit: number): Promise<ReadResult> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    if (!stream) return { epoch: null, events: [], head: 0 };
    const from = Math.max(0, Math.floor(afterSeq) - stream.base);
    const count = Math.max(0, Math.floor(limit));
    return { epoch: stream.epoch, events: stream.events.slice(from, from + count), head: stream.base + stream.events.length };
  }

  async lookup(streamName: StreamName, id: string): Promise<StoredEvent | null> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    const seq = stream?.seqById.get(id);
    return seq === undefined || !stream ? null : (stream.events[seq - stream.base - 1] ?? null);
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
    for (const e of stream.events.slice(0, n)) stream.seqById.delete(e.id);
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
  return { epoch, events: [], base: 0, snapshot: null, seqById: new Map<string, number>() };
}

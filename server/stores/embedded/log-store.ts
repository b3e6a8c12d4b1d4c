import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DraftEvent, StoredEvent, StreamName } from "../../../shared/log.js";
import { ConflictError, type AppendOptions, type AppendResult, type LogStore, type ReadResult } from "../types.js";
import { Journal } from "./journal.js";

export const LOG_JOURNAL = "log.jsonl";

/** One journal line: an event of a stream. The stream's epoch rides on every event. */
const LogRecord = z.object({ s: StreamName, e: StoredEvent });
type LogRecord = z.infer<typeof LogRecord>;

interface Stream {
  epoch: string;
  /** events[i].seq === i + 1 */
  events: StoredEvent[];
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
    const parsed = LogRecord.safeParse(raw);
    if (!parsed.success) throw new Error(`log journal line ${line} is not an event record`);
    const { s, e } = parsed.data;
    const stream = this.streams.get(s) ?? { epoch: e.epoch, events: [], seqById: new Map<string, number>() };
    if (e.seq !== stream.events.length + 1 || e.epoch !== stream.epoch || stream.seqById.has(e.id)) {
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
      const original = stream.events[known - 1];
      if (original) return { event: original, duplicate: true };
    }
    const head = stream?.events.length ?? 0;
    if (opts.expectedSeq !== undefined && opts.expectedSeq !== head) throw new ConflictError(name, head);
    const epoch = stream?.epoch ?? randomUUID();
    // Round-trip through JSON so the answer is exactly what a later read (or a restart) returns.
    const record: LogRecord = LogRecord.parse(
      JSON.parse(JSON.stringify({ s: name, e: { seq: head + 1, epoch, id: d.id, type: d.type, actor: d.actor, at: d.at, data: d.data } })),
    );
    this.journal.append(record); // synchronous write + fdatasync: durable before we answer [LOG3]
    this.add(name, stream ?? { epoch, events: [], seqById: new Map<string, number>() }, record.e);
    return { event: record.e, duplicate: false };
  }

  async read(streamName: StreamName, afterSeq: number, limit: number): Promise<ReadResult> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    if (!stream) return { epoch: null, events: [], head: 0 };
    const from = Math.max(0, Math.floor(afterSeq));
    const count = Math.max(0, Math.floor(limit));
    return { epoch: stream.epoch, events: stream.events.slice(from, from + count), head: stream.events.length };
  }

  async lookup(streamName: StreamName, id: string): Promise<StoredEvent | null> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    const seq = stream?.seqById.get(id);
    return seq === undefined ? null : (stream?.events[seq - 1] ?? null);
  }

  async head(streamName: StreamName): Promise<{ epoch: string | null; seq: number }> {
    this.assertOpen();
    const stream = this.streams.get(streamName);
    return { epoch: stream?.epoch ?? null, seq: stream?.events.length ?? 0 };
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

import { randomUUID } from "node:crypto";
import { StreamName, type StoredEvent } from "../../../shared/log.js";
import { checkBatch, checkGuard, guardScopes } from "../batch.js";
import { storedEvent } from "../stored-event.js";
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
import { Journal, type GroupCommitStats, type JournalOptions } from "./journal.js";
import { batchRecord, SnapRecord, TrimRecord, type BatchRecord } from "./log-records.js";

export const LOG_JOURNAL = "log.jsonl";

/**
 * A stream in memory. Its events, ids and scopes include batches still waiting for their fsync,
 * so the next append's seq, dedupe and guard are decided exactly; what readers see stops at
 * `durable`, and the snapshot and trim apply once their journal line is durable.
 */
interface Stream {
  epoch: string;
  /** events[i].seq === base + i + 1 */
  events: StoredEvent[];
  /** Events up to this seq were dropped by trim. */
  base: number;
  /** Events up to this seq are durable: all that read, head and lookup show (0: none yet). */
  durable: number;
  /** The durable snapshot. */
  snapshot: Snapshot | null;
  /** The newest snapshot seq asked for, durable or not (-1: none): a save only moves forward. */
  snapAsked: number;
  /** The furthest trim asked for, durable or not. */
  trimAsked: number;
  /** Durability of this stream's last journal line: journal order makes it cover all before it. */
  last: Promise<void>;
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
 * [LOG1]–[LOG3] The log in one process: every stream held in memory, every batch in an
 * append-only journal (group-committed: many appends, one fdatasync) before `append` resolves,
 * and the journal replayed on open. If the journal fails, memory holds batches that may not be on
 * disk, so the store refuses every later call; a restart re-reads what is durable.
 */
export class EmbeddedLogStore implements LogStore {
  private readonly streams = new Map<string, Stream>();
  private closed = false;

  private constructor(private readonly journal: Journal) {}

  static async open(path: string, options: JournalOptions = {}): Promise<EmbeddedLogStore> {
    const { journal, records } = Journal.open(path, options);
    const store = new EmbeddedLogStore(journal);
    try {
      records.forEach((raw, i) => store.replay(raw, i + 1));
    } catch (err) {
      await journal.close();
      throw err;
    }
    return store;
  }

  /** Appends and syncs of the journal so far (a sync covers a whole group of appends). */
  stats(): GroupCommitStats {
    return this.journal.stats();
  }

  private replay(raw: unknown, line: number): void {
    const snap = SnapRecord.safeParse(raw);
    if (snap.success) {
      const stream = this.streams.get(snap.data.s);
      if (stream) {
        stream.snapshot = snap.data.snap;
        stream.snapAsked = snap.data.snap.seq;
      }
      return;
    }
    const trim = TrimRecord.safeParse(raw);
    if (trim.success) {
      const stream = this.streams.get(trim.data.s);
      if (stream) this.drop(stream, trim.data.trim);
      return;
    }
    const record = batchRecord(raw);
    if (record === null) throw new Error(`log journal line ${line} is not an event record`);
    const stream = this.streams.get(record.s) ?? fresh(record.b[0]?.epoch ?? "");
    record.b.forEach((e, i) => {
      if (
        e.seq !== stream.base + stream.events.length + 1 + i ||
        e.epoch !== stream.epoch ||
        stream.batchById.has(e.id)
      ) {
        throw new Error(`log journal line ${line} breaks the order of stream ${record.s}`);
      }
    });
    this.add(record, stream);
    stream.durable = stream.base + stream.events.length;
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

  /** Queue a line for `stream`; `onDurable` applies it to what readers see, in journal order. */
  private commit(stream: Stream, record: unknown, onDurable: () => void): Promise<void> {
    const done = this.journal.append(record).then(onDurable);
    stream.last = done;
    return done;
  }

  async append(streamName: StreamName, batch: AppendBatch, guard?: Guard): Promise<AppendResult> {
    this.assertOpen();
    const name = StreamName.parse(streamName);
    const b = checkBatch(batch);
    const g = checkGuard(guard);
    for (;;) {
      const stream = this.streams.get(name);
      const dup = stream ? this.duplicateIn(stream, b) : null;
      if (stream && dup) {
        // A duplicate of a batch still waiting for its fsync is answered once it is durable: an
        // answer never shows what a crash could still take back.
        if (dup.ref.first + dup.ref.count - 1 <= stream.durable) {
          const events = this.batchOf(stream, dup.ref);
          if (events.length !== dup.ref.count)
            throw new Error(`stream ${name}: event ${dup.id} is recorded but its batch is gone`);
          return { events, duplicate: true, owner: dup.ref.owner, matchedId: dup.id };
        }
        await stream.last;
        this.assertOpen();
        continue; // decide again: a trim may have dropped it meanwhile
      }
      const head = stream ? stream.base + stream.events.length : 0;
      if (g !== undefined) {
        const conflict =
          g.scopes === "stream"
            ? head !== g.seq
            : guardScopes(g.scopes).some((sc) => (stream?.scopes.get(sc) ?? 0) > g.seq);
        if (conflict) {
          // Refused because of events perhaps still waiting for their fsync: answer once they are
          // readable, or the caller's re-read would not see them and it would conflict again.
          if (stream) await stream.last;
          throw new ConflictError(name, head);
        }
      }
      const epoch = stream?.epoch ?? randomUUID();
      // The drafts were validated by checkBatch; only `data` goes through JSON, so the answer is
      // exactly what a later read (or a restart) returns (undefined fields dropped, dates as text).
      const events = b.events.map((d, i) => {
        const data: unknown = JSON.parse(JSON.stringify(d.data));
        return storedEvent({ seq: head + 1 + i, epoch, id: d.id, type: d.type, actor: d.actor, at: d.at, data });
      });
      const record: BatchRecord = { s: name, o: b.owner, b: events, t: b.touches };
      const target = stream ?? fresh(epoch);
      this.add(record, target); // the next append decides after this batch, durable or not yet
      const last = head + events.length;
      await this.commit(target, record, () => {
        target.durable = last;
      });
      return { events, duplicate: false, owner: b.owner, matchedId: null };
    }
  }

  private duplicateIn(stream: Stream, b: AppendBatch): { ref: BatchRef; id: string } | null {
    for (const d of b.events) {
      const ref = stream.batchById.get(d.id);
      if (ref) return { ref, id: d.id };
    }
    return null;
  }

  async read(streamName: StreamName, afterSeq: number, limit: number): Promise<ReadResult> {
    this.assertOpen();
    const stream = this.visible(streamName);
    if (!stream) return { epoch: null, events: [], head: 0 };
    const from = Math.max(0, Math.floor(afterSeq) - stream.base);
    const to = Math.min(from + Math.max(0, Math.floor(limit)), stream.durable - stream.base);
    return { epoch: stream.epoch, events: stream.events.slice(from, to), head: stream.durable };
  }

  async readMany(reqs: readonly ReadRequest[]): Promise<ReadResult[]> {
    return Promise.all(reqs.map((r) => this.read(r.stream, r.afterSeq, r.limit)));
  }

  async lookup(streamName: StreamName, id: string): Promise<FoundBatch | null> {
    this.assertOpen();
    const stream = this.visible(streamName);
    const ref = stream?.batchById.get(id);
    if (!stream || !ref || ref.first + ref.count - 1 > stream.durable) return null;
    const events = this.batchOf(stream, ref);
    return events.length === 0 ? null : { events, owner: ref.owner };
  }

  async head(streamName: StreamName): Promise<{ epoch: string | null; seq: number }> {
    this.assertOpen();
    const stream = this.visible(streamName);
    return { epoch: stream?.epoch ?? null, seq: stream?.durable ?? 0 };
  }

  async saveSnapshot(streamName: StreamName, snap: Snapshot): Promise<boolean> {
    this.assertOpen();
    const name = StreamName.parse(streamName);
    const stream = this.streams.get(name);
    if (!stream) throw new RangeError(`stream ${name} has no events to snapshot`);
    if (stream.snapAsked >= snap.seq) {
      await stream.last; // the newer snapshot kept instead is durable before we say so
      return false;
    }
    const record = SnapRecord.parse({ s: name, snap: { seq: snap.seq, data: snap.data } });
    stream.snapAsked = record.snap.seq;
    await this.commit(stream, record, () => {
      stream.snapshot = record.snap; // saves move forward and land in order: this is the newest
    });
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
    // Only durable events: a trim line must never precede (or drop) a batch not yet on disk.
    const upto = Math.min(Math.max(0, Math.floor(uptoSeq)), stream.durable);
    if (upto > stream.trimAsked) {
      stream.trimAsked = upto;
      await this.commit(stream, TrimRecord.parse({ s: name, trim: upto }), () => this.drop(stream, upto));
    } else {
      await stream.last; // a further trim asked for already is durable (and applied) before we answer
    }
    return stream.base;
  }

  private drop(stream: Stream, upto: number): void {
    const n = upto - stream.base;
    stream.trimAsked = Math.max(stream.trimAsked, upto);
    if (n <= 0) return;
    for (const e of stream.events.slice(0, n)) stream.batchById.delete(e.id);
    stream.events = stream.events.slice(n);
    stream.base = upto;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.journal.close(); // batches in flight still become durable and are answered
  }

  /** A stream as readers see it: not at all until its first batch is durable. */
  private visible(name: string): Stream | undefined {
    const stream = this.streams.get(name);
    return stream && stream.durable > 0 ? stream : undefined;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("log store is closed");
    const failure = this.journal.failure;
    if (failure)
      throw new Error(
        `log store stopped: its journal failed, so memory may hold events that are not on disk; restart to re-read the journal (${failure.message})`,
        { cause: failure },
      );
  }
}

function fresh(epoch: string): Stream {
  return {
    epoch,
    events: [],
    base: 0,
    durable: 0,
    snapshot: null,
    snapAsked: -1,
    trimAsked: 0,
    last: Promise.resolve(),
    batchById: new Map<string, BatchRef>(),
    scopes: new Map<string, number>(),
  };
}

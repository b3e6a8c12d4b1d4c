import type { DraftEvent, StoredEvent, StreamName } from "../../shared/log.js";
import type { ClientPresence, ConnectionEntry } from "../../shared/protocol/presence.js";

export interface AppendResult {
  event: StoredEvent;
  /** True when an event with this id was already in the stream: `event` is the original [LOG2]. */
  duplicate: boolean;
}

export interface ReadResult {
  /** null when the stream has never been written. */
  epoch: string | null;
  /** Events with seq > afterSeq, oldest first, at most `limit`. */
  events: StoredEvent[];
  /** The stream's last seq (0 when empty). */
  head: number;
}

export interface AppendOptions {
  /** Refuse with ConflictError unless the stream's head is exactly this (optimistic concurrency). */
  expectedSeq?: number;
}

/** A stream's state folded up to `seq`, kept so its events up to `seq` can be dropped [LOG4]. */
export interface Snapshot {
  seq: number;
  /** Opaque to the store (e.g. a merged Yjs update in base64). */
  data: string;
}

/** The stream's head moved since the caller read it; re-read and decide again. */
export class ConflictError extends Error {
  constructor(readonly stream: StreamName, readonly head: number) {
    super(`stream ${stream} is at ${head}`);
    this.name = "ConflictError";
  }
}

/**
 * [LOG1]–[LOG3] The session log. `append` resolves only once the event is durable; it assigns seq
 * atomically (1, 2, 3… per stream, no gaps) and deduplicates by event id within the stream.
 */
export interface LogStore {
  append(stream: StreamName, draft: DraftEvent, opts?: AppendOptions): Promise<AppendResult>;
  read(stream: StreamName, afterSeq: number, limit: number): Promise<ReadResult>;
  /** The event with this id in this stream, if it was appended — lets a retried command get its original answer [LOG2]. */
  lookup(stream: StreamName, id: string): Promise<StoredEvent | null>;
  head(stream: StreamName): Promise<{ epoch: string | null; seq: number }>;
  /**
   * Keep a snapshot of the stream at `snap.seq` (durable before it resolves). Only ever moves
   * forward: returns false, keeping the newer one, when a snapshot past `snap.seq` is already kept.
   */
  saveSnapshot(stream: StreamName, snap: Snapshot): Promise<boolean>;
  loadSnapshot(stream: StreamName): Promise<Snapshot | null>;
  /**
   * Drop the events with seq <= uptoSeq (compaction; seq numbering and the epoch are unchanged).
   * `read` then starts at the first kept event, and the ids of dropped events are forgotten, so
   * dedupe [LOG2] covers only kept events. Callers trim only up to a saved snapshot.
   * Returns the seq up to which the stream is now trimmed.
   */
  trim(stream: StreamName, uptoSeq: number): Promise<number>;
  close(): Promise<void>;
}

/** Small keyed values: users, sign-in sessions, invite tokens. */
export interface KvStore {
  get(key: string): Promise<string | null>;
  /** Returns false when `nx` is set and the key exists. */
  set(key: string, value: string, opts?: { ttlMs?: number; nx?: boolean }): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Atomically read and delete — one-time tokens can be used once across every node. */
  take(key: string): Promise<string | null>;
  /**
   * Atomically add 1 to an integer counter and return the new count (1 for a missing key). The
   * first increment sets the expiry to now + ttlMs; later ones keep it, so the count covers a fixed
   * window (rate limits). Every node sees one count: concurrent increments are never lost.
   */
  incr(key: string, ttlMs: number): Promise<number>;
  close(): Promise<void>;
}

export interface PresenceChange {
  room: string;
  userId: string;
}

/**
 * [PR1]–[PR3] Connection entries per room. Entries carry an expiry; a node refreshes its own
 * entries with its heartbeat, so a node that dies stops refreshing and its entries lapse.
 */
export interface PresenceStore {
  /** Add or refresh one connection's entry. */
  upsert(room: string, entry: ConnectionEntry): Promise<void>;
  /** Set the state of an existing entry (no-op when it is gone). */
  setState(room: string, nodeId: string, connId: string, userId: string, state: ClientPresence | "disconnected", expiresAt: number): Promise<void>;
  /** Remove one entry now; returns whether it was there (so exactly one node reports the change). */
  remove(room: string, nodeId: string, connId: string, userId: string): Promise<boolean>;
  /** Every entry of a room, including lapsed ones not yet swept. */
  list(room: string): Promise<ConnectionEntry[]>;
  /** Rooms that have had entries (for sweeping). */
  rooms(): Promise<string[]>;
  /** Remove entries that expired before `now` or whose node is not alive; returns those removed by this call. */
  sweep(room: string, now: number): Promise<ConnectionEntry[]>;
  /** Mark this node alive until now + ttlMs and push the expiry of its entries to `entriesUntil`. */
  heartbeat(nodeId: string, ttlMs: number, entriesUntil: number): Promise<void>;
  /** Per-person break flag for facilitators [PR2]. */
  setOnBreak(room: string, userId: string, onBreak: boolean): Promise<void>;
  onBreak(room: string): Promise<Set<string>>;
  close(): Promise<void>;
}

export interface Stores {
  kind: "embedded" | "redis";
  log: LogStore;
  kv: KvStore;
  presence: PresenceStore;
  /** Whether the backing store answers (for /healthz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

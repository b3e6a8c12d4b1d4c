import type { DraftEvent, StoredEvent, StreamName } from "../../shared/log.js";
import type { ClientPresence, ConnectionEntry } from "../../shared/protocol/presence.js";

/**
 * One command's events, appended together or not at all [LOG1][LOG2]. Every event id in it is
 * remembered, each pointing at the whole batch, so a retry by any of them returns all of it.
 */
export interface AppendBatch {
  /** Who sent the command (`<userId>/<command>` for a person, `$` for the server): a retry by someone else is not theirs. */
  owner: string;
  events: DraftEvent[];
  /**
   * Per event, the scopes of the stream's state it changes (`p:<participant>`, `a:<alert>`,
   * `ratio`…; `*` = the whole stream). A later command guarded by a scope conflicts only with
   * events that touched it (or `*`) after the state it decided on.
   */
  touches: readonly (readonly string[])[];
}

export interface AppendResult {
  events: StoredEvent[];
  /** True when one of the batch's ids was already in the stream: `events` is that earlier batch, whole [LOG2]. */
  duplicate: boolean;
  /** The owner of `events` (for a duplicate: of the earlier batch). */
  owner: string;
  /** For a duplicate, the id that was found. */
  matchedId: string | null;
}

export interface ReadResult {
  /** null when the stream has never been written. */
  epoch: string | null;
  /** Events with seq > afterSeq, oldest first, at most `limit`. */
  events: StoredEvent[];
  /** The stream's last seq (0 when empty). */
  head: number;
}

/**
 * Optimistic concurrency for a decision made on the state at `seq`. `"stream"`: refuse unless
 * the head is still `seq` (rules that span the stream). A scope list: refuse only if an event
 * after `seq` touched one of these scopes or `*` — commands that commute never conflict.
 */
export interface Guard {
  seq: number;
  scopes: "stream" | readonly string[];
}

export interface ReadRequest {
  stream: StreamName;
  afterSeq: number;
  limit: number;
}

/** A batch found by one of its event ids. */
export interface FoundBatch {
  events: StoredEvent[];
  owner: string;
}

/** A stream's state folded up to `seq`, kept so its events up to `seq` can be dropped [LOG4]. */
export interface Snapshot {
  seq: number;
  /** Opaque to the store (e.g. a merged Yjs update in base64). */
  data: string;
}

/** The stream's head moved since the caller read it; re-read and decide again. */
export class ConflictError extends Error {
  constructor(
    readonly stream: StreamName,
    readonly head: number,
  ) {
    super(`stream ${stream} is at ${head}`);
    this.name = "ConflictError";
  }
}

/**
 * [LOG1]–[LOG3] The session log. `append` resolves only once the batch is durable; it assigns seqs
 * atomically (1, 2, 3… per stream, no gaps) and deduplicates by event id within the stream.
 */
export interface LogStore {
  /** Append a command's events atomically (dedupe, guard, seqs, ids — all or nothing). Throws ConflictError when the guard fails. */
  append(stream: StreamName, batch: AppendBatch, guard?: Guard): Promise<AppendResult>;
  read(stream: StreamName, afterSeq: number, limit: number): Promise<ReadResult>;
  /** Several reads in one round trip (each as `read`), in the order asked. */
  readMany(reqs: readonly ReadRequest[]): Promise<ReadResult[]>;
  /** The batch that holds the event with this id, if it was appended — lets a retried command get its original answer [LOG2]. */
  lookup(stream: StreamName, id: string): Promise<FoundBatch | null>;
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

/** An entry a sweep removed, with its room: its person's state may have changed there. */
export interface SweptEntry {
  room: string;
  entry: ConnectionEntry;
}

/** `expiresAt` of an entry with no deadline of its own: it counts for as long as its node is alive. */
export const WHILE_NODE_ALIVE = Number.POSITIVE_INFINITY;

/**
 * [PR1]–[PR3] Connection entries per room. An entry counts while its node is alive and, when its
 * `expiresAt` is finite (a dropped connection's grace [PR2]), until then. Nothing is refreshed
 * per entry: a node's heartbeat keeps all of its entries, so what a node costs while nothing
 * happens grows with the number of nodes, not with rooms or people. A node that dies stops
 * heartbeating, and the next sweep after its liveness lapses removes its entries.
 */
export interface PresenceStore {
  /** Add or replace one connection's entry. A node that has never sent a heartbeat is not alive: its entries go at the next sweep. */
  upsert(room: string, entry: ConnectionEntry): Promise<void>;
  /** Set the state and expiry of an existing entry (no-op when it is gone). */
  setState(
    room: string,
    nodeId: string,
    connId: string,
    userId: string,
    state: ClientPresence | "disconnected",
    expiresAt: number,
  ): Promise<void>;
  /** Remove one entry now; returns whether it was there (so exactly one node reports the change). */
  remove(room: string, nodeId: string, connId: string, userId: string): Promise<boolean>;
  /**
   * Every entry of a room, including lapsed ones not yet swept: an entry whose `expiresAt` has
   * passed no longer counts (personState), one of a dead node counts until the sweep removes it.
   */
  list(room: string): Promise<ConnectionEntry[]>;
  /**
   * One pass over the whole store: remove the entries whose `expiresAt` is at or before `now`
   * and every entry of a node that is no longer alive (and forget that node). Atomic, so when
   * several nodes sweep at once each removed entry is returned by exactly one of them.
   */
  sweep(now: number): Promise<SweptEntry[]>;
  /** Mark this node alive for `ttlMs` from now; cost independent of its entries. */
  heartbeat(nodeId: string, ttlMs: number): Promise<void>;
  /** Per-person break flag for facilitators [PR2]. */
  setOnBreak(room: string, userId: string, onBreak: boolean): Promise<void>;
  onBreak(room: string): Promise<Set<string>>;
  close(): Promise<void>;
}

/**
 * [LIVE6] When each live session next needs its periodic checks (an escalation, a reminder, a
 * prompt, a break limit, a ratio to re-check): nodes ask only for what is due, so the cost of the
 * checks grows with what is due, not with how many sessions exist or how many nodes run.
 * Not truth — the log is; a lost entry is re-made when the session is next written or listed.
 */
export interface DueStore {
  /** Make `id` due at `at`, unless it is already due earlier. */
  schedule(id: string, at: number): Promise<void>;
  /** Entries due at or before `now`, earliest first, at most `limit`. */
  due(now: number, limit: number): Promise<{ id: string; at: number }[]>;
  /**
   * Move `id` from `from` to `to` (null: drop it) only if it is still due at `from`: a
   * `schedule` by another node in between (a new alert) is never overwritten. True when moved.
   */
  reschedule(id: string, from: number, to: number | null): Promise<boolean>;
  close(): Promise<void>;
}

export interface Stores {
  kind: "embedded" | "redis";
  log: LogStore;
  kv: KvStore;
  presence: PresenceStore;
  due: DueStore;
  /** Whether the backing store answers (for /healthz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

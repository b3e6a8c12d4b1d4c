import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import {
  isServerId,
  streamId,
  streamKind,
  streamName,
  type DraftEvent,
  type StoredEvent,
  type StreamKind,
  type StreamName,
} from "../../shared/log.js";
import { guardFor, streamDefs, touchesOf, type StreamStates } from "../../shared/domain/streams.js";
import type { Clock } from "../clock.js";
import { ConflictError, type AppendResult, type FoundBatch, type LogStore, type ReadResult } from "../stores/types.js";
import { KeyedQueue } from "./keyed-queue.js";

const PAGE = 500;
const CACHE_MAX = 2000;
/**
 * Inside a node commands on one stream run one at a time, so a conflict means another node
 * appended a change this decision depends on; each retry reads only the new events.
 */
const CONFLICT_RETRIES = 20;

interface Cached<S> {
  epoch: string | null;
  state: S;
}

type Caches = { [K in StreamKind]: Map<string, Cached<StreamStates[K]>> };

type Draft = Omit<DraftEvent, "at">;

/** One stream being caught up: where it stands, and how to fold a page into it (true: read on). */
interface Cursor {
  stream: StreamName;
  seq(): number;
  apply(page: ReadResult): boolean;
}
type Decide<S> = (state: S) => Draft[];

/** Who sent a command and its id: a retry is recognised only from the same person and command (DESIGN.md "Ids"). */
export interface CommandKey {
  id: string;
  owner: string;
}

/** The owner of everything the server decides by itself (jobs, presence transitions, follow-ups). */
export const SYSTEM_OWNER = "$";

/** The owner of a person's command: the same id from another person, or for another command, is not a retry. */
export function clientKey(userId: string, command: string, id: string): CommandKey {
  return { id, owner: `${userId}/${command}` };
}

export function systemKey(id: string): CommandKey {
  if (!isServerId(id)) throw new RangeError(`a system command id must be a server id: ${id.slice(0, 40)}`);
  return { id, owner: SYSTEM_OWNER };
}

export const DUPLICATE_ID_MESSAGE =
  "That request id was already used for another request. Send it again with a new id.";

export interface Executed {
  events: StoredEvent[];
  duplicate: boolean;
}

/**
 * Told of every command's events once they are durable — and again for a retry's duplicate, so
 * a follow-up that failed the first time (scheduling an alert's escalation) is made on the retry.
 * A rejection fails the command (the client retries), never silently drops the follow-up.
 */
export type AfterAppend = (kind: StreamKind, id: string, events: readonly StoredEvent[]) => Promise<void>;

/**
 * Stream state for one node, and the one write path: command → decide → append. The cache is
 * only a speed-up: every read catches up from the log first, so a node always decides on what
 * every node has appended [LOG5]. Nothing here is truth.
 */
export class StreamService {
  private readonly caches: Caches = {
    session: new Map(),
    cohort: new Map(),
    program: new Map(),
    circle: new Map(),
    notes: new Map(),
    journal: new Map(),
    fnote: new Map(),
    index: new Map(),
    outcome: new Map(),
  };
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly log: LogStore,
    private readonly clock: Clock,
    private readonly afterAppend: AfterAppend = async () => undefined,
  ) {}

  async state<K extends StreamKind>(kind: K, id: string): Promise<StreamStates[K]> {
    const c = this.cursor(kind, id);
    await this.catchUp([c]);
    return c.current();
  }

  /**
   * Several streams caught up from the log in one round trip (a command's session, cohort and
   * program): the states that follow are as fresh as separate reads, for a third of the trips.
   */
  async states<A extends StreamKind, B extends StreamKind, C extends StreamKind>(
    a: [A, string],
    b: [B, string],
    c: [C, string],
  ): Promise<[StreamStates[A], StreamStates[B], StreamStates[C]]> {
    const ca = this.cursor(a[0], a[1]);
    const cb = this.cursor(b[0], b[1]);
    const cc = this.cursor(c[0], c[1]);
    await this.catchUp([ca, cb, cc]);
    return [ca.current(), cb.current(), cc.current()];
  }

  /** The state this node last caught up to, without asking the log (null when never read). */
  cached<K extends StreamKind>(kind: K, id: string): StreamStates[K] | null {
    return this.caches[kind].get(id)?.state ?? null;
  }

  private async catchUp(cursors: readonly Cursor[]): Promise<void> {
    let pending = cursors;
    while (pending.length > 0) {
      const pages = await this.log.readMany(pending.map((c) => ({ stream: c.stream, afterSeq: c.seq(), limit: PAGE })));
      pending = pending.filter((c, i) => {
        const page = pages[i];
        return page ? c.apply(page) : false;
      });
    }
  }

  private cursor<K extends StreamKind>(kind: K, id: string): Cursor & { current(): StreamStates[K] } {
    const def = streamDefs[kind];
    const cache: Caches[K] = this.caches[kind];
    const cached = cache.get(id);
    let epoch = cached?.epoch ?? null;
    let state = cached ? cached.state : def.empty(id);
    return {
      stream: streamName(kind, id),
      seq: () => state.seq,
      current: () => state,
      apply: (page) => {
        if (page.epoch !== epoch && state.seq > 0) {
          // History was reset under us: rebuild from the start.
          epoch = page.epoch;
          state = def.empty(id);
          return true;
        }
        epoch = page.epoch;
        for (const e of page.events) state = def.reduce(state, e);
        remember(cache, id, { epoch, state });
        return page.events.length >= PAGE;
      },
    };
  }

  /** Fold this node's own appended batch into the cache when it follows on directly, so the next command need not read it back. */
  private learn<K extends StreamKind>(kind: K, id: string, events: readonly StoredEvent[]): void {
    const cache: Caches[K] = this.caches[kind];
    const cached = cache.get(id);
    const first = events[0];
    if (!cached || !first || first.seq !== cached.state.seq + 1 || first.epoch !== cached.epoch) return;
    let state = cached.state;
    for (const e of events) state = streamDefs[kind].reduce(state, e);
    remember(cache, id, { epoch: cached.epoch, state });
  }

  /**
   * command → decide → append, for every change of every stream. Decides on the current state
   * and appends the whole decision in one atomic step [LOG1], guarded only by the parts of the
   * state the decision touches (streams.ts `touches`), so commands that commute never conflict.
   * A retried id returns the batch it produced the first time [LOG2]; the same id from someone
   * else is DUPLICATE_ID and changes nothing.
   */
  async execute<K extends StreamKind>(
    kind: K,
    id: string,
    cmd: CommandKey,
    decide: Decide<StreamStates[K]>,
    opts: { queued?: boolean } = {},
  ): Promise<Executed> {
    const done = await this.decideAndAppend(kind, id, cmd, decide, opts.queued ?? true);
    if (done.events.length > 0) await this.afterAppend(kind, id, done.events);
    return done;
  }

  /**
   * `queued: false` skips this node's per-stream queue: for the periodic checks, so an escalation
   * never waits behind a room's burst of check-ins. Safe because its guard is scoped (an alert):
   * a race with the queue's commands is a conflict and a retry, never a lost or doubled event.
   */
  private async decideAndAppend<K extends StreamKind>(
    kind: K,
    id: string,
    cmd: CommandKey,
    decide: Decide<StreamStates[K]>,
    queued: boolean,
  ): Promise<Executed> {
    const stream = streamName(kind, id);
    const run = queued
      ? <T>(task: () => Promise<T>) => this.queue.run(stream, task)
      : <T>(task: () => Promise<T>) => task();
    // A retry is found by the append itself (it dedupes by id first), so the usual command costs
    // one read and one append. Only when the decision now refuses or writes nothing is the id
    // looked up: a retry of a command whose decision would now differ still gets its first answer.
    const earlierOr = async <T>(otherwise: () => T): Promise<Executed | T> => {
      const earlier = await this.log.lookup(stream, cmd.id);
      return earlier ? answerDuplicate(earlier, cmd, cmd.id) : otherwise();
    };
    return run(async () => {
      // The first try decides on this node's cached state when it has one: the guard refuses the
      // append if anything it depends on moved since, and a refusal or an empty decision is only
      // ever given on a state just read from the log.
      let fresh = this.cached(kind, id) === null;
      for (let attempt = 0; ; attempt++) {
        const state = fresh ? await this.state(kind, id) : (this.cached(kind, id) ?? (await this.state(kind, id)));
        let drafts: Draft[];
        try {
          drafts = decide(state);
        } catch (err) {
          if (!fresh) {
            fresh = true;
            continue;
          }
          return earlierOr(() => {
            throw err;
          });
        }
        if (drafts.length === 0) {
          if (!fresh) {
            fresh = true;
            continue;
          }
          return earlierOr(() => ({ events: [], duplicate: false }));
        }
        assertIds(drafts, cmd);
        try {
          const result = await this.appendNow(stream, cmd.owner, drafts, guardFor(kind, state.seq, drafts));
          if (!result.duplicate) this.learn(kind, id, result.events);
          return result.duplicate
            ? answerDuplicate(result, cmd, result.matchedId ?? cmd.id)
            : { events: result.events, duplicate: false };
        } catch (err) {
          fresh = true;
          if (!(err instanceof ConflictError)) throw err;
          if (attempt >= CONFLICT_RETRIES)
            throw new AppError(
              ErrorCode.CONFLICT,
              "The room changed while your request was handled. Please try again.",
            );
        }
      }
    });
  }

  /**
   * Append a command's events without deciding on the stream's state, for events that commute
   * with everything (a Yjs notes update). Idempotent by id, owner-checked like `execute`.
   */
  async record(stream: StreamName, cmd: CommandKey, drafts: Draft[]): Promise<Executed> {
    assertIds(drafts, cmd);
    const done = await this.queue.run(stream, async () => {
      const result = await this.appendNow(stream, cmd.owner, drafts, undefined);
      return result.duplicate
        ? answerDuplicate(result, cmd, result.matchedId ?? cmd.id)
        : { events: result.events, duplicate: false };
    });
    await this.afterAppend(streamKind(stream), streamId(stream), done.events);
    return done;
  }

  /** The events a command with this key already produced (its retry's answer), or null; DUPLICATE_ID when the id is someone else's. */
  async retryOf(stream: StreamName, cmd: CommandKey): Promise<StoredEvent[] | null> {
    const earlier = await this.log.lookup(stream, cmd.id);
    return earlier ? answerDuplicate(earlier, cmd, cmd.id).events : null;
  }

  /** A server-made event (a follow-up, a seed, an index entry) with a server id, idempotent by it. */
  async appendSystem(stream: StreamName, draft: Draft): Promise<{ event: StoredEvent; duplicate: boolean }> {
    const { events, duplicate } = await this.record(stream, systemKey(draft.id), [draft]);
    const event = events.find((e) => e.id === draft.id) ?? events[0];
    if (!event) throw new Error(`stream ${stream}: nothing appended for ${draft.id}`);
    return { event, duplicate };
  }

  private appendNow(
    stream: StreamName,
    owner: string,
    drafts: Draft[],
    guard: Parameters<LogStore["append"]>[2],
  ): Promise<AppendResult> {
    const at = new Date(this.clock.now()).toISOString();
    const kind = streamDefs[streamKind(stream)];
    const events = drafts.map((d) => ({ ...d, at }));
    return this.log.append(stream, { owner, events, touches: drafts.map((d) => touchesOf(kind, d)) }, guard);
  }
}

/**
 * A retry by the same person gets its first answer [LOG2]. An id the server made (`$…`) found
 * again is a race between nodes or people deciding the same thing (two acks): the first counts.
 * A client id found from someone else is never theirs.
 */
function answerDuplicate(found: FoundBatch, cmd: CommandKey, matchedId: string): Executed {
  if (!isServerId(matchedId) && found.owner !== cmd.owner)
    throw new AppError(ErrorCode.DUPLICATE_ID, DUPLICATE_ID_MESSAGE);
  return { events: found.events, duplicate: true };
}

/** Only the command's own id or server-made ids may be written for it: a decision never invents a client id. */
function assertIds(drafts: readonly Draft[], cmd: CommandKey): void {
  for (const d of drafts) {
    if (d.id !== cmd.id && !isServerId(d.id))
      throw new Error(`event id ${d.id.slice(0, 40)} is neither the command's id nor a server id`);
  }
}

function remember<S>(cache: Map<string, Cached<S>>, id: string, entry: Cached<S>): void {
  // Re-insert so Map order is least-recently-used first.
  cache.delete(id);
  cache.set(id, entry);
  if (cache.size > CACHE_MAX) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
}

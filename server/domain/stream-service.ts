import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { streamName, type DraftEvent, type StoredEvent, type StreamKind, type StreamName } from "../../shared/log.js";
import { streamDefs, type StreamStates } from "../../shared/domain/streams.js";
import type { Clock } from "../clock.js";
import { ConflictError, type LogStore } from "../stores/types.js";

const PAGE = 500;
const CACHE_MAX = 2000;
const CONFLICT_RETRIES = 5;

interface Cached<S> {
  epoch: string | null;
  state: S;
}

type Caches = { [K in StreamKind]: Map<string, Cached<StreamStates[K]>> };

type Decide<S> = (state: S) => Omit<DraftEvent, "at">[];

/**
 * Stream state for one node. The cache is only a speed-up: every read catches up from the log
 * first, so a node always decides on what every node has appended [LOG5]. Nothing here is truth.
 */
export class StreamService {
  private readonly caches: Caches = { session: new Map(), cohort: new Map(), program: new Map(), circle: new Map(), notes: new Map(), journal: new Map(), fnote: new Map(), index: new Map() };

  constructor(private readonly log: LogStore, private readonly clock: Clock) {}

  async state<K extends StreamKind>(kind: K, id: string): Promise<StreamStates[K]> {
    const stream = streamName(kind, id);
    const def = streamDefs[kind];
    const cache: Caches[K] = this.caches[kind];
    const cached = cache.get(id);
    let epoch = cached?.epoch ?? null;
    let state = cached ? cached.state : def.empty(id);
    for (;;) {
      const page = await this.log.read(stream, state.seq, PAGE);
      if (page.epoch !== epoch && state.seq > 0) {
        // History was reset under us: rebuild from the start.
        epoch = page.epoch;
        state = def.empty(id);
        continue;
      }
      epoch = page.epoch;
      for (const e of page.events) state = def.reduce(state, e);
      if (page.events.length < PAGE) break;
    }
    remember(cache, id, { epoch, state });
    return state;
  }

  /**
   * command → decide → append. Decides on the current state and appends with optimistic
   * concurrency; a retried command id returns the event it produced the first time [LOG2].
   */
  async execute<K extends StreamKind>(kind: K, id: string, commandId: string, decide: Decide<StreamStates[K]>): Promise<{ events: StoredEvent[]; duplicate: boolean }> {
    const stream = streamName(kind, id);
    const earlier = await this.log.lookup(stream, commandId);
    if (earlier) return { events: [earlier], duplicate: true };
    for (let attempt = 0; ; attempt++) {
      const state = await this.state(kind, id);
      const drafts = decide(state);
      try {
        return { events: await this.appendAll(stream, drafts, state.seq), duplicate: false };
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= CONFLICT_RETRIES) {
          if (err instanceof ConflictError) throw new AppError(ErrorCode.CONFLICT, "The room changed while your request was handled. Please try again.");
          throw err;
        }
      }
    }
  }

  /** Append without a decision (system events such as presence transitions), idempotent by id. */
  async appendSystem(stream: StreamName, draft: Omit<DraftEvent, "at">): Promise<{ event: StoredEvent; duplicate: boolean }> {
    return this.log.append(stream, { ...draft, at: new Date(this.clock.now()).toISOString() });
  }

  private async appendAll(stream: StreamName, drafts: Omit<DraftEvent, "at">[], expectedSeq: number): Promise<StoredEvent[]> {
    const at = new Date(this.clock.now()).toISOString();
    const out: StoredEvent[] = [];
    let expected = expectedSeq;
    for (const d of drafts) {
      const { event } = await this.log.append(stream, { ...d, at }, { expectedSeq: expected });
      out.push(event);
      expected = event.seq;
    }
    return out;
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

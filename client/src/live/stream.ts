import { foldEvents, type StreamDef } from "../../../shared/domain/streams.js";
import { streamId, type StreamName, type StreamPosition, type ViewEvent } from "../../../shared/log.js";
import type { SyncResult } from "../../../shared/protocol/events.js";
import { request } from "./command.js";
import { getSocket } from "./socket.js";

/** How long pushes past a gap wait for it to fill (server batches of hidden positions: 150 ms) before a sync. */
const GAP_WAIT_MS = 600;

export interface StreamView<S> {
  state: S;
  epoch: string | null;
  /** True once the first catch-up (join or sync) has been applied. */
  ready: boolean;
  /** A refusal from the server while catching up, in words. */
  error: string | null;
}

/**
 * Follows one stream [LOG4]: holds `{epoch, seq}`, folds contiguous events with the shared
 * reducer [LOG5], and on a gap or an epoch change asks `stream:sync` from what it holds.
 * Plain class (not React) so the ordering rules are in one place and easy to reason about.
 */
export class StreamFollower<S extends { seq: number }> {
  private view: StreamView<S>;
  private readonly listeners = new Set<() => void>();
  /** A join or sync is in flight; events that cannot be applied now only mark `dirty`. */
  private busy = false;
  private dirty = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Pushes past a gap, by seq, waiting for what comes before them. */
  private readonly ahead = new Map<number, ViewEvent>();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly def: StreamDef<S>,
    readonly stream: StreamName,
  ) {
    this.view = { state: def.empty(streamId(stream)), epoch: null, ready: false, error: null };
  }

  readonly subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  readonly getSnapshot = (): StreamView<S> => this.view;

  /** What to send as `since`: null when nothing is held yet. */
  position(): StreamPosition | null {
    const { epoch, state } = this.view;
    return state.seq === 0 && epoch === null ? null : { epoch, seq: state.seq };
  }

  private set(patch: Partial<StreamView<S>>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }

  /** A pushed `stream:event`. */
  onEvent(e: ViewEvent): void {
    if (this.otherEpoch(e.epoch)) return;
    if (e.seq <= this.view.state.seq) return; // already have it (a sync overlapped the push)
    this.ahead.set(e.seq, e);
    this.drain();
  }

  /**
   * A pushed `stream:hidden`: positions this viewer may not see (server/gateway/fanout.ts). The
   * server sends each listed event whole, to those who may see it, before the list; so a listed
   * position with nothing held for it is someone else's, and is held as hidden.
   */
  onHidden(m: { epoch: string; seqs: readonly number[] }): void {
    if (this.otherEpoch(m.epoch)) return;
    for (const seq of m.seqs) {
      if (seq > this.view.state.seq && !this.ahead.has(seq)) this.ahead.set(seq, { seq, epoch: m.epoch, hidden: true });
    }
    this.drain();
  }

  /** True (and a sync asked) when a push is from another epoch: the stream's history was reset. */
  private otherEpoch(epoch: string): boolean {
    if (this.view.epoch === null || epoch === this.view.epoch) return false;
    this.requestSync();
    return true;
  }

  /**
   * Fold what is contiguous. Pushes arrive out of order in normal operation — a batch of hidden
   * positions comes up to HIDDEN_BATCH_MS after the events around it, and two nodes' broadcasts
   * interleave — so a gap is given GAP_WAIT_MS to fill before it counts as a loss and a sync is
   * asked (a node that died before its broadcast, a dropped message).
   */
  private drain(): void {
    const { state } = this.view;
    const run: ViewEvent[] = [];
    for (let next = state.seq + 1; ; next++) {
      const e = this.ahead.get(next);
      if (!e) break;
      run.push(e);
      this.ahead.delete(next);
    }
    const first = run[0];
    if (first) this.set({ state: foldEvents(this.def, state, run), epoch: first.epoch });
    if (this.ahead.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else {
      this.gapTimer ??= setTimeout(() => {
        this.gapTimer = undefined;
        if (this.ahead.size > 0) this.requestSync(); // a gap: something was missed
      }, GAP_WAIT_MS);
    }
  }

  /** Forget pushes a sync has covered; fold the rest when they now follow on. */
  private afterSync(): void {
    for (const seq of this.ahead.keys()) if (seq <= this.view.state.seq) this.ahead.delete(seq);
    this.drain();
  }

  /** A pushed `stream:head` (a retried command's answer): behind it, or on another epoch, means something was missed. */
  onHead(head: StreamPosition): void {
    const { epoch, state } = this.view;
    if ((epoch !== null && head.epoch !== epoch) || head.seq > state.seq) this.requestSync();
  }

  /** Apply one page of a sync; returns whether the server has more to give. */
  private apply(r: SyncResult): boolean {
    if (r.stream !== this.stream) return false;
    if (r.reset || this.view.epoch !== r.epoch) {
      // Another epoch, or compacted history: start over from what the server sends.
      const fresh = this.def.empty(streamId(this.stream));
      this.ahead.clear();
      this.set({ state: foldEvents(this.def, fresh, r.events), epoch: r.epoch, ready: true, error: null });
    } else {
      this.set({ state: foldEvents(this.def, this.view.state, r.events), ready: true, error: null });
    }
    this.afterSync();
    return r.more;
  }

  private requestSync(): void {
    if (this.busy) {
      this.dirty = true;
      return;
    }
    void this.catchUp(null);
  }

  /**
   * Catch up: `first` (e.g. a session:join that also returns a sync) or a plain stream:sync,
   * then more pages while `more`, then again if events went missing meanwhile.
   */
  async catchUp(first: ((since: StreamPosition | null) => Promise<SyncResult | null>) | null): Promise<void> {
    if (this.busy && first === null) {
      this.dirty = true;
      return;
    }
    this.busy = true;
    clearTimeout(this.retryTimer);
    try {
      let more = true;
      if (first) {
        const r = await first(this.position());
        if (r === null) return; // the caller handled a refusal
        more = this.apply(r);
      }
      // `dirty` may have been set by events that arrived while we waited; keep going until
      // neither the server nor the pushes say anything is missing.
      while (more || this.dirty) {
        this.dirty = false;
        more = await this.syncPage();
      }
    } catch {
      // Timed out or disconnected. A reconnect re-joins from what we hold; if the connection is
      // still up, try again shortly so a lost sync does not leave a hole until then.
      if (getSocket().connected) this.retryTimer = setTimeout(() => { this.requestSync(); }, 2000);
    } finally {
      this.busy = false;
    }
  }

  private async syncPage(): Promise<boolean> {
    const { epoch, state } = this.view;
    const ack = await request("stream:sync", { stream: this.stream, epoch, seq: state.seq });
    if (!ack.ok) {
      this.set({ error: ack.error.message });
      return false;
    }
    return this.apply(ack.data);
  }

  fail(message: string): void {
    this.set({ error: message });
  }

  dispose(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.gapTimer);
  }
}

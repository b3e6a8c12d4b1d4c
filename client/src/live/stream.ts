import { foldEvents, type StreamDef } from "../../../shared/domain/streams.js";
import { streamId, type StreamName, type StreamPosition, type ViewEvent } from "../../../shared/log.js";
import type { SyncResult } from "../../../shared/protocol/events.js";
import { request } from "./command.js";
import { StreamOrder } from "./order.js";
import { getSocket } from "./socket.js";

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
 * Plain class (not React); the ordering rules themselves are StreamOrder's (order.ts), shared
 * with the notes document.
 */
export class StreamFollower<S extends { seq: number }> {
  private view: StreamView<S>;
  private readonly listeners = new Set<() => void>();
  /** A join or sync is in flight; events that cannot be applied now only mark `dirty`. */
  private busy = false;
  private dirty = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly order: StreamOrder;

  constructor(
    private readonly def: StreamDef<S>,
    readonly stream: StreamName,
  ) {
    this.view = { state: def.empty(streamId(stream)), epoch: null, ready: false, error: null };
    this.order = new StreamOrder({
      held: () => ({ epoch: this.view.epoch, seq: this.view.state.seq }),
      fold: (run: readonly ViewEvent[], epoch: string) => {
        this.set({ state: foldEvents(this.def, this.view.state, run), epoch });
      },
      sync: () => {
        this.requestSync();
      },
    });
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
    this.order.onEvent(e);
  }

  /** A pushed `stream:hidden`: positions this viewer may not see (see StreamOrder.onHidden). */
  onHidden(m: { epoch: string; seqs: readonly number[] }): void {
    this.order.onHidden(m);
  }

  /** A pushed `stream:head` (a retried command's answer). */
  onHead(head: StreamPosition): void {
    this.order.onHead(head);
  }

  /** Apply one page of a sync; returns whether the server has more to give. */
  private apply(r: SyncResult): boolean {
    if (r.stream !== this.stream) return false;
    if (r.reset || this.view.epoch !== r.epoch) {
      // Another epoch, or compacted history: start over from what the server sends.
      const fresh = this.def.empty(streamId(this.stream));
      this.order.clear();
      this.set({ state: foldEvents(this.def, fresh, r.events), epoch: r.epoch, ready: true, error: null });
    } else {
      this.set({ state: foldEvents(this.def, this.view.state, r.events), ready: true, error: null });
    }
    this.order.afterSync();
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
      if (getSocket().connected)
        this.retryTimer = setTimeout(() => {
          this.requestSync();
        }, 2000);
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
    this.order.dispose();
  }
}

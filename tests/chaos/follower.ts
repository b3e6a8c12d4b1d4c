import { emptySession, type SessionState } from "../../shared/domain/session.js";
import { foldEvents, sessionStream } from "../../shared/domain/streams.js";
import { isHidden, streamName, type StreamName, type StreamPosition, type ViewEvent } from "../../shared/log.js";
import type { SyncResult } from "../../shared/protocol/events.js";
import type { ChaosClient } from "./client.js";
import { sleep, Tally } from "./util.js";

/** Most join/sync round trips one catch-up makes before it gives the turn back. */
const MAX_ROUNDS = 200;
/** As the real client: how long pushes past a gap wait for it to fill before a sync. */
const GAP_WAIT_MS = 600;

/**
 * One client's view of its session stream, kept the way the real client keeps it
 * (client/src/live/stream.ts): `{epoch, seq}`, contiguous events folded with the shared reducer
 * [LOG5], a `stream:sync` from what it holds on a gap or another epoch [LOG4], and a rejoin from
 * that position on every new connection. It also remembers which event id it holds at each
 * position (null: a hidden one), so a wrong view can be pinned to a seq.
 */
export class SessionFollower {
  readonly stream: StreamName;
  state: SessionState;
  epoch: string | null = null;
  readonly ids: (string | null)[] = [];
  readonly anomalies = new Tally();
  syncs = 0;
  private busy = false;
  private dirty = false;
  private wantJoin = true;
  /** The last catch-up ended with nothing known to be missing. */
  private settled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly ahead = new Map<number, ViewEvent>();
  private gapTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ChaosClient,
    readonly sessionId: string,
    private readonly onChange: () => void,
  ) {
    this.stream = streamName("session", sessionId);
    this.state = emptySession(sessionId);
  }

  position(): StreamPosition | null {
    return this.state.seq === 0 && this.epoch === null ? null : { epoch: this.epoch, seq: this.state.seq };
  }

  /** A pushed `stream:event`: held by seq, folded when contiguous (as client/src/live/stream.ts). */
  onEvent(e: ViewEvent): void {
    if (this.otherEpoch(e.epoch)) return;
    if (e.seq <= this.state.seq) return;
    this.ahead.set(e.seq, e);
    this.drain();
  }

  /** A pushed `stream:hidden`: a listed position with no event held for it is someone else's. */
  onHidden(epoch: string, seqs: readonly number[]): void {
    if (this.otherEpoch(epoch)) return;
    for (const seq of seqs)
      if (seq > this.state.seq && !this.ahead.has(seq)) this.ahead.set(seq, { seq, epoch, hidden: true });
    this.drain();
  }

  private otherEpoch(epoch: string): boolean {
    if (this.epoch === null || epoch === this.epoch) return false;
    this.anomalies.add("pushed-other-epoch");
    this.requestSync();
    return true;
  }

  /** Fold what is contiguous; a gap still open after GAP_WAIT_MS is a loss, and a sync is asked. */
  private drain(): void {
    const run: ViewEvent[] = [];
    for (let next = this.state.seq + 1; ; next++) {
      const e = this.ahead.get(next);
      if (!e) break;
      run.push(e);
      this.ahead.delete(next);
    }
    const first = run[0];
    if (first) {
      this.fold(run);
      this.epoch = first.epoch;
      this.onChange();
    }
    if (this.ahead.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else {
      this.gapTimer ??= setTimeout(() => {
        this.gapTimer = undefined;
        if (this.ahead.size === 0) return;
        this.anomalies.add("gap");
        this.requestSync();
      }, GAP_WAIT_MS);
    }
  }

  /** Join (or rejoin, on a new connection) from the position held. */
  join(): Promise<void> {
    this.wantJoin = true;
    return this.catchUp();
  }

  /**
   * The final catch-up: sync until the server says nothing is missing. Resolves whether it got
   * there before `until`.
   */
  async settle(until: number): Promise<boolean> {
    for (let i = 0; i < 1000 && Date.now() < until; i++) {
      if (!(await this.client.waitConnected(until))) return false;
      if (this.busy) {
        await sleep(100);
        continue;
      }
      this.dirty = true;
      await this.catchUp();
      if (this.settled && !this.wantJoin) return true;
      await sleep(250);
    }
    return false;
  }

  dispose(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.gapTimer);
  }

  private requestSync(): void {
    this.dirty = true;
    if (!this.busy) void this.catchUp();
  }

  private async catchUp(): Promise<void> {
    if (this.busy) {
      this.dirty = true;
      return;
    }
    this.busy = true;
    this.settled = false;
    clearTimeout(this.retryTimer);
    let failed = false;
    try {
      let more = false;
      for (let round = 0; round < MAX_ROUNDS && this.client.connected; round++) {
        if (this.wantJoin) {
          const r = await this.client.attempt("session:join", { sessionId: this.sessionId, since: this.position() });
          if (r.kind !== "ack" || !r.ack.ok) {
            failed = true;
            break;
          }
          this.wantJoin = false;
          this.client.joined();
          more = this.apply(r.ack.data.sync);
          continue;
        }
        if (!more && !this.dirty) {
          this.settled = true;
          break;
        }
        this.dirty = false;
        this.syncs++;
        const r = await this.client.attempt("stream:sync", {
          stream: this.stream,
          epoch: this.epoch,
          seq: this.state.seq,
        });
        if (r.kind !== "ack" || !r.ack.ok) {
          failed = true;
          break;
        }
        more = this.apply(r.ack.data);
      }
    } finally {
      this.busy = false;
    }
    // A lost sync on a live connection is tried again shortly; a new connection rejoins anyway.
    if (failed && this.client.connected) this.retryTimer = setTimeout(() => void this.catchUp(), 2000);
  }

  /** Apply one page of a join or sync; returns whether the server has more. */
  private apply(r: SyncResult): boolean {
    if (r.stream !== this.stream) {
      this.anomalies.add("sync-other-stream");
      return false;
    }
    if (r.reset || this.epoch !== r.epoch) {
      if (this.epoch !== null || this.state.seq > 0) this.anomalies.add("reset");
      this.state = emptySession(this.sessionId);
      this.ids.length = 0;
      this.ahead.clear();
    }
    this.epoch = r.epoch;
    this.fold(r.events);
    for (const seq of this.ahead.keys()) if (seq <= this.state.seq) this.ahead.delete(seq);
    this.onChange();
    this.drain();
    return r.more;
  }

  private fold(events: readonly ViewEvent[]): void {
    for (const e of events) {
      if (e.seq <= this.state.seq) continue;
      if (e.seq !== this.state.seq + 1) this.anomalies.add("hole-in-sync");
      this.state = foldEvents(sessionStream, this.state, [e]);
      this.ids[e.seq - 1] = isHidden(e) ? null : e.id;
    }
  }
}

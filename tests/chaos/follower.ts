import { emptySession, type SessionState } from "../../shared/domain/session.js";
import { foldEvents, sessionStream } from "../../shared/domain/streams.js";
import { isHidden, streamName, type StreamName, type StreamPosition, type ViewEvent } from "../../shared/log.js";
import type { SyncResult } from "../../shared/protocol/events.js";
import { StreamOrder } from "../../client/src/live/order.js";
import type { ChaosClient } from "./client.js";
import { sleep, Tally } from "./util.js";

/** Most join/sync round trips one catch-up makes before it gives the turn back. */
const MAX_ROUNDS = 200;

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
  /** The real client's ordering rules; each sync it asks for is tallied by why. */
  private readonly order = new StreamOrder({
    held: () => ({ epoch: this.epoch, seq: this.state.seq }),
    fold: (run, epoch) => {
      this.fold(run);
      this.epoch = epoch;
      this.onChange();
    },
    sync: (why) => {
      this.anomalies.add(why === "epoch" ? "pushed-other-epoch" : why);
      this.requestSync();
    },
  });

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

  /** A pushed `stream:event`: ordered by the client's own rules (client/src/live/order.ts). */
  onEvent(e: ViewEvent): void {
    this.order.onEvent(e);
  }

  /** A pushed `stream:hidden`: a listed position with no event held for it is someone else's. */
  onHidden(epoch: string, seqs: readonly number[]): void {
    this.order.onHidden({ epoch, seqs });
  }

  /** A pushed `stream:head`: a retried command's answer. */
  onHead(head: StreamPosition): void {
    this.order.onHead(head);
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
    this.order.dispose();
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
      this.order.clear();
    }
    this.epoch = r.epoch;
    this.fold(r.events);
    this.onChange();
    this.order.afterSync();
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

import type { StreamPosition, ViewEvent } from "../../../shared/log.js";

/** How long pushes past a gap wait for it to fill (server batches of hidden positions: 150 ms) before a sync. */
export const GAP_WAIT_MS = 600;

/** Why StreamOrder asks for a sync: a gap that did not fill, another epoch, a head past what is held. */
export type SyncReason = "gap" | "epoch" | "head";

/** What a follower of one stream does with what StreamOrder decides. */
export interface OrderedTarget {
  /** What is held now: the epoch (null before the first catch-up) and the last seq folded. */
  held(): { epoch: string | null; seq: number };
  /** Fold `run`: contiguous, starting right after the held seq, all of `epoch`. */
  fold(run: readonly ViewEvent[], epoch: string): void;
  /** Something is missing or the history was reset: catch up from the log [LOG4]. `why` is for counting (the chaos run's follower tallies it). */
  sync(why: SyncReason): void;
}

/**
 * The ordering rules of a followed stream [LOG4], whatever its events mean: fold only what is
 * contiguous with what is held, keep what comes early, give a gap GAP_WAIT_MS to fill before it
 * counts as a loss, and ask for a sync at once for another epoch or a head past what is held.
 * StreamFollower (a reduced state) and NotesSync (a Yjs document) differ only in how they fold
 * and how they catch up.
 */
export class StreamOrder {
  /** Pushes past a gap, by seq, waiting for what comes before them. */
  private readonly ahead = new Map<number, ViewEvent>();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly target: OrderedTarget) {}

  /** A pushed `stream:event`. */
  onEvent(e: ViewEvent): void {
    if (this.otherEpoch(e.epoch)) return;
    if (e.seq <= this.target.held().seq) return; // already have it (a sync overlapped the push)
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
    const { seq: held } = this.target.held();
    for (const seq of m.seqs) {
      if (seq > held && !this.ahead.has(seq)) this.ahead.set(seq, { seq, epoch: m.epoch, hidden: true });
    }
    this.drain();
  }

  /** A pushed `stream:head` (a retried command's answer): behind it, or on another epoch, means something was missed. */
  onHead(head: StreamPosition): void {
    const { epoch, seq } = this.target.held();
    if ((epoch !== null && head.epoch !== epoch) || head.seq > seq) this.target.sync("head");
  }

  /** After a page of a sync: forget pushes it covered; fold the rest when they now follow on. */
  afterSync(): void {
    const { seq: held } = this.target.held();
    for (const seq of this.ahead.keys()) if (seq <= held) this.ahead.delete(seq);
    this.drain();
  }

  /** The history starts over (another epoch, compacted): nothing held early belongs to it. */
  clear(): void {
    this.ahead.clear();
  }

  dispose(): void {
    clearTimeout(this.gapTimer);
    // Forgotten as well as cleared, so a follower used again (StrictMode remounts) still times its gaps.
    this.gapTimer = undefined;
  }

  /** True (and a sync asked) when a push is from another epoch: the stream's history was reset. */
  private otherEpoch(epoch: string): boolean {
    const held = this.target.held().epoch;
    if (held === null || epoch === held) return false;
    this.target.sync("epoch");
    return true;
  }

  /**
   * Fold what is contiguous. Pushes arrive out of order in normal operation — a batch of hidden
   * positions comes up to HIDDEN_BATCH_MS after the events around it, and two nodes' broadcasts
   * interleave — so a gap is given GAP_WAIT_MS to fill before it counts as a loss and a sync is
   * asked (a node that died before its broadcast, a dropped message).
   */
  private drain(): void {
    const run: ViewEvent[] = [];
    for (let next = this.target.held().seq + 1; ; next++) {
      const e = this.ahead.get(next);
      if (!e) break;
      run.push(e);
      this.ahead.delete(next);
    }
    const first = run[0];
    if (first) this.target.fold(run, first.epoch);
    if (this.ahead.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else {
      this.gapTimer ??= setTimeout(() => {
        this.gapTimer = undefined;
        if (this.ahead.size > 0) this.target.sync("gap"); // a gap: something was missed
      }, GAP_WAIT_MS);
    }
  }
}

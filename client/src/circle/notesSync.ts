import * as Y from "yjs";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from "y-protocols/awareness";
import { isHidden, streamName, type StreamName, type ViewEvent } from "../../../shared/log.js";
import { foldNotesEvent } from "../../../shared/domain/notes.js";
import type { NotesAwarenessPush } from "../../../shared/protocol/circle.js";
import type { StreamEventMessage, StreamHeadMessage, StreamHiddenMessage } from "../../../shared/protocol/events.js";
import { request, sendCommand } from "../live/command.js";
import { StreamOrder } from "../live/order.js";
import { getSocket } from "../live/socket.js";
import { fromBase64, toBase64 } from "./base64.js";

const REMOTE = "remote";
/** Awareness is chatty; send at most this often. */
const AWARENESS_EVERY_MS = 300;

export type SaveState = "saved" | "saving" | "refused";

/**
 * [CIR4] A circle's notes document in this tab: Yjs over the project's socket. Pushes are
 * ordered by the same rules as every followed stream (StreamOrder: contiguous folds, a gap
 * waits, another epoch resyncs); catch-up is the log's sync (snapshot + events [LOG4]), and
 * applying an update twice is harmless in Yjs, so a resync simply applies what comes. Local
 * edits are merged and sent as one `notes:update` at a time, each retried with its id until
 * acknowledged (acked only after the append [LOG3]).
 */
export class NotesSync {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  private readonly stream: StreamName;
  private seq = 0;
  private sealedAt: number | null = null;
  private epoch: string | null = null;
  private readonly order = new StreamOrder({
    held: () => ({ epoch: this.epoch, seq: this.seq }),
    fold: (run, epoch) => {
      this.fold(run);
      this.epoch = epoch;
    },
    sync: () => {
      void this.resync();
    },
  });
  /** Set by dispose: a sync still on its way must not write into a destroyed document. */
  private disposed = false;
  private queue: Uint8Array[] = [];
  private inFlight = false;
  private syncing = false;
  /**
   * Bumped by every resync(): a sync under way goes round again until it has served the latest
   * ask. A count rather than a flag, because a flag reset at the top of the loop reads as
   * always false at its bottom to the type checker, which cannot see the calls made meanwhile.
   */
  private resyncAsked = 0;
  private awarenessTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changedClients = new Set<number>();
  save: SaveState = "saved";
  refusal: string | null = null;
  onStatus: () => void = () => undefined;

  constructor(readonly circleId: string) {
    this.stream = streamName("notes", circleId);
    this.doc.on("update", this.onLocalUpdate);
    this.awareness.on("update", this.onAwareness);
    const s = getSocket();
    s.on("stream:event", this.onEvent);
    s.on("stream:hidden", this.onHidden);
    s.on("stream:head", this.onHead);
    s.on("notes:awareness", this.onRemoteAwareness);
    s.on("connect", this.onConnect);
    if (s.connected) this.onConnect();
  }

  private readonly onConnect = (): void => {
    void this.resync();
    this.flush();
  };

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE) return;
    this.queue.push(update);
    this.flush();
  };

  private flush(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const merged = Y.mergeUpdates(this.queue);
    this.queue = [];
    this.inFlight = true;
    this.setSave("saving");
    const sent = sendCommand("notes:update", (id) => ({ id, circleId: this.circleId, update: toBase64(merged) }));
    void sent.result.then((ack) => {
      this.inFlight = false;
      if (ack.ok) this.setSave(this.queue.length ? "saving" : "saved");
      else {
        this.refusal = ack.error.message;
        this.setSave("refused");
      }
      this.flush();
    });
  }

  private setSave(s: SaveState): void {
    this.save = s;
    this.onStatus();
  }

  private readonly onEvent = (m: StreamEventMessage): void => {
    if (m.stream === this.stream) this.order.onEvent(m.event);
  };

  private readonly onHidden = (m: StreamHiddenMessage): void => {
    if (m.stream === this.stream) this.order.onHidden(m);
  };

  private readonly onHead = (m: StreamHeadMessage): void => {
    if (m.stream === this.stream) this.order.onHead(m);
  };

  /** Events that follow on from what is held (pushes in order, or a page of a sync). */
  private fold(events: readonly ViewEvent[]): void {
    for (const e of events) {
      if (e.seq <= this.seq) continue; // a sync page can overlap what a push already brought
      // [CIR4] The same fold as the server's compaction: nothing after the seal counts.
      const f = foldNotesEvent(this.sealedAt, isHidden(e) ? { seq: e.seq } : e);
      if (f.update !== null) Y.applyUpdate(this.doc, fromBase64(f.update), REMOTE);
      this.sealedAt = f.sealedAt;
      this.seq = e.seq;
    }
  }

  /** [LOG4] Catch up: the snapshot when history was compacted, then every page of events. */
  private async resync(): Promise<void> {
    this.resyncAsked++;
    if (this.syncing) return;
    this.syncing = true;
    try {
      let served: number;
      do {
        served = this.resyncAsked;
        for (;;) {
          const ack = await request("stream:sync", { stream: this.stream, epoch: this.epoch, seq: this.seq });
          if (this.disposed) return;
          if (!ack.ok) {
            this.refusal = ack.error.message;
            this.onStatus();
            return;
          }
          const r = ack.data;
          if (r.reset) {
            this.seq = 0;
            this.sealedAt = null; // the seal is never compacted away, so it comes again
            this.order.clear();
          }
          this.epoch = r.epoch;
          if (r.snapshot) {
            Y.applyUpdate(this.doc, fromBase64(r.snapshot.data), REMOTE);
            this.seq = r.snapshot.seq;
          }
          this.fold(r.events);
          this.order.afterSync();
          if (!r.more) break;
        }
      } while (this.resyncAsked !== served);
    } catch {
      // Timed out or dropped: the next connect resyncs.
    } finally {
      this.syncing = false;
    }
  }

  /** Awareness (who is editing) goes out throttled and is never stored [CIR4]. */
  private readonly onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === REMOTE) return;
    for (const c of [...added, ...updated, ...removed]) this.changedClients.add(c);
    if (this.awarenessTimer) return;
    this.awarenessTimer = setTimeout(() => {
      this.awarenessTimer = undefined;
      const clients = [...this.changedClients];
      this.changedClients.clear();
      const update = toBase64(encodeAwarenessUpdate(this.awareness, clients));
      request("notes:awareness", { circleId: this.circleId, update }).catch(() => undefined);
    }, AWARENESS_EVERY_MS);
  };

  private readonly onRemoteAwareness = (m: NotesAwarenessPush): void => {
    if (m.circleId !== this.circleId) return;
    try {
      applyAwarenessUpdate(this.awareness, fromBase64(m.update), REMOTE);
    } catch {
      // A malformed awareness message changes nothing.
    }
  };

  dispose(): void {
    this.disposed = true;
    this.order.dispose();
    const s = getSocket();
    s.off("stream:event", this.onEvent);
    s.off("stream:hidden", this.onHidden);
    s.off("stream:head", this.onHead);
    s.off("notes:awareness", this.onRemoteAwareness);
    s.off("connect", this.onConnect);
    clearTimeout(this.awarenessTimer);
    removeAwarenessStates(this.awareness, [this.doc.clientID], "dispose");
    this.awareness.destroy();
    this.doc.destroy();
  }
}

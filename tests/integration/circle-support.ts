import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { foldNotesEvent, NOTES_TEXT } from "../../shared/domain/notes.js";
import { isHidden, streamName, type StoredEvent } from "../../shared/log.js";
import type { SyncResult } from "../../shared/protocol/events.js";
import type { TestClient } from "../support/client.js";

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
const bytes = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

/**
 * A test client's copy of a circle's notes: a Y.Doc fed from `stream:sync` (snapshot + events)
 * and pushed `stream:event`s, whose local edits are sent as `notes:update` and acked only after
 * the append [LOG3]. What a browser does, without the browser.
 */
export class NotesPeer {
  readonly doc = new Y.Doc();
  /** Read with `text.toJSON()`: the text itself (Y.Text's toString() is the same, but yjs's types leave it out). */
  readonly text = this.doc.getText(NOTES_TEXT);
  seq = 0;
  sealedAt: number | null = null;
  private sending: Promise<unknown> = Promise.resolve();
  readonly acked: number[] = [];

  constructor(
    readonly client: TestClient,
    readonly circleId: string,
  ) {
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "remote") return;
      const id = randomUUID();
      // Sent in order, one at a time, like the browser's queue.
      this.sending = this.sending.then(async () => {
        const ack = await client.ok<{ seq: number }>("notes:update", { id, circleId, update: b64(update) });
        this.acked.push(ack.seq);
      });
    });
    client.socket.on("stream:event", (m) => {
      if (m.stream !== streamName("notes", circleId) || isHidden(m.event)) return;
      this.applyEvent(m.event);
    });
  }

  private applyEvent(e: StoredEvent): void {
    // [CIR4] The browser's fold: nothing after the seal counts.
    const f = foldNotesEvent(this.sealedAt, e);
    if (f.update !== null) Y.applyUpdate(this.doc, bytes(f.update), "remote");
    this.sealedAt = f.sealedAt;
    this.seq = Math.max(this.seq, e.seq);
  }

  /** Catch up from the server (all pages), as on load or reconnect [LOG4]. */
  async sync(): Promise<SyncResult[]> {
    const pages: SyncResult[] = [];
    let seq = 0;
    for (;;) {
      const r = await this.client.ok<SyncResult>("stream:sync", {
        stream: streamName("notes", this.circleId),
        epoch: null,
        seq,
      });
      pages.push(r);
      if (r.snapshot) Y.applyUpdate(this.doc, bytes(r.snapshot.data), "remote");
      for (const e of r.events) if (!isHidden(e)) this.applyEvent(e);
      seq = r.events.at(-1)?.seq ?? r.snapshot?.seq ?? seq;
      if (!r.more) return pages;
    }
  }

  /** Every local edit sent and acknowledged. */
  async flushed(): Promise<void> {
    for (;;) {
      const p = this.sending;
      await p;
      if (p === this.sending) return;
    }
  }

  type(at: number, s: string): void {
    this.text.insert(Math.min(at, this.text.length), s);
  }

  destroy(): void {
    this.doc.destroy();
  }
}

import * as Y from "yjs";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import {
  assertBeforeSeal,
  decideNotesUpdate,
  MAX_NOTES_UPDATE_BYTES,
  NOTES_SEAL_ID,
} from "../../shared/domain/notes.js";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { LogStore } from "../stores/types.js";
import type { CommandKey, Executed, StreamService } from "./stream-service.js";

/**
 * [CIR4] Seal a circle's notes stream once its circle is locked or ended. Appended after the lock
 * event, so an update that passed the lock check and lands later sits after the seal, where every
 * reader ignores it. Idempotent by its fixed id: a retried lock (say after a crash between the two
 * appends) seals a stream that missed it, and never seals twice.
 */
export async function sealNotes(
  streams: StreamService,
  circleId: string,
  by: string,
): Promise<{ event: StoredEvent; duplicate: boolean }> {
  return streams.appendSystem(streamName("notes", circleId), {
    id: NOTES_SEAL_ID,
    type: "notes.sealed",
    actor: by,
    data: { by },
  });
}

/** [CIR4] Refuse an update that landed after the seal: it is in the log, but no reader counts it. */
async function refuseIfSealed(log: LogStore, circleId: string, seq: number): Promise<void> {
  const seal = (await log.lookup(streamName("notes", circleId), NOTES_SEAL_ID))?.events.find(
    (e) => e.id === NOTES_SEAL_ID,
  );
  assertBeforeSeal(seal?.seq ?? null, seq);
}

/** A recorded update's ack, and what to fan out: nothing for a retry answered from the log. */
export interface NotesRecorded {
  seq: number;
  appended: Executed | null;
}

/**
 * [CIR4][LOG2][LOG3] The write path of one notes update. A retry of an update that already landed
 * gets its first answer, even after a lock; a new one is refused once the circle is locked, checked
 * as a Yjs update, and durable before the ack. Either way it must come before the seal.
 */
export async function recordNotesUpdate(
  streams: StreamService,
  log: LogStore,
  circle: { id: string; locked: boolean },
  key: CommandKey,
  cmd: { id: string; update: string },
  actorId: string,
): Promise<NotesRecorded> {
  const stream = streamName("notes", circle.id);
  const first = (await streams.retryOf(stream, key))?.[0];
  if (first) {
    await refuseIfSealed(log, circle.id, first.seq);
    return { seq: first.seq, appended: null };
  }
  const drafts = decideNotesUpdate(circle, cmd, actorId);
  checkNotesUpdate(cmd.update);
  const { events, duplicate } = await streams.record(stream, key, drafts);
  const event = events[0];
  if (!event) throw new AppError(ErrorCode.UNAVAILABLE, "The update was not recorded. It is safe to try again.");
  await refuseIfSealed(log, circle.id, event.seq);
  return { seq: event.seq, appended: { events: [event], duplicate } };
}

/**
 * [CIR4] Check a client's Yjs update before it goes near the log: it must be base64 of at most
 * MAX_NOTES_UPDATE_BYTES and decode as a Yjs update into a scratch document. The stored document
 * is never touched by a refused update.
 */
export function checkNotesUpdate(base64: string): Uint8Array {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length === 0) throw new AppError(ErrorCode.INVALID_PAYLOAD, "The notes update is empty.");
  if (bytes.length > MAX_NOTES_UPDATE_BYTES) {
    throw new AppError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `The notes update is ${bytes.length} bytes; the most accepted is ${MAX_NOTES_UPDATE_BYTES}.`,
    );
  }
  const update = new Uint8Array(bytes);
  try {
    const decoded = Y.decodeUpdate(update);
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, update);
    scratch.destroy();
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) throw new Error("no content");
  } catch {
    throw new AppError(
      ErrorCode.INVALID_PAYLOAD,
      "The notes update could not be read as a document change; nothing was saved.",
    );
  }
  return update;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "base64"));
}

import * as Y from "yjs";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { MAX_NOTES_UPDATE_BYTES, NOTES_SEAL_ID } from "../../shared/domain/notes.js";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { LogStore } from "../stores/types.js";
import type { StreamService } from "./stream-service.js";

export const NOTES_LOCKED = "The circle notes are locked; nothing more can be changed.";

/**
 * [CIR4] Seal a circle's notes stream once its circle is locked or ended. Appended after the lock
 * event, so an update that passed the lock check and lands later sits after the seal, where every
 * reader ignores it. Idempotent by its fixed id: a retried lock (say after a crash between the two
 * appends) seals a stream that missed it, and never seals twice.
 */
export async function sealNotes(streams: StreamService, circleId: string, by: string): Promise<{ event: StoredEvent; duplicate: boolean }> {
  return streams.appendSystem(streamName("notes", circleId), { id: NOTES_SEAL_ID, type: "notes.sealed", actor: by, data: { by } });
}

/** [CIR4] Refuse an update that landed after the seal: it is in the log, but no reader counts it. */
export async function refuseIfSealed(log: LogStore, circleId: string, seq: number): Promise<void> {
  const seal = (await log.lookup(streamName("notes", circleId), NOTES_SEAL_ID))?.events.find((e) => e.id === NOTES_SEAL_ID);
  if (seal && seq > seal.seq) throw new AppError(ErrorCode.RULE_VIOLATION, NOTES_LOCKED);
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
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The notes update is ${bytes.length} bytes; the most accepted is ${MAX_NOTES_UPDATE_BYTES}.`);
  }
  const update = new Uint8Array(bytes);
  try {
    const decoded = Y.decodeUpdate(update);
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, update);
    scratch.destroy();
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) throw new Error("no content");
  } catch {
    throw new AppError(ErrorCode.INVALID_PAYLOAD, "The notes update could not be read as a document change; nothing was saved.");
  }
  return update;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "base64"));
}

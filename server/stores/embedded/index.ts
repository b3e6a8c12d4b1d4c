import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Stores } from "../types.js";
import { EmbeddedKvStore, KV_JOURNAL } from "./kv-store.js";
import { lockDataDir } from "./lock.js";
import { EmbeddedLogStore, LOG_JOURNAL } from "./log-store.js";
import { EmbeddedPresenceStore } from "./presence-store.js";
import { EmbeddedDueStore } from "./due-store.js";

export { JournalCorruptError, JournalFailedError } from "./journal.js";
export { KV_JOURNAL, LOG_JOURNAL };

export interface EmbeddedStoresOptions {
  /** Directory for the journals (created when missing). One process at a time may open it. */
  dataDir: string;
  /** Clock for KV expiry and node liveness; Date.now by default. */
  now?: () => number;
}

/**
 * The single-process stores: log and KV journaled under `dataDir` (each write resolves once the
 * fdatasync of its group of writes succeeded [LOG3]), presence in memory.
 */
export async function createEmbeddedStores({ dataDir, now = Date.now }: EmbeddedStoresOptions): Promise<Stores> {
  await mkdir(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  const opened: { close(): Promise<void> }[] = [];
  try {
    const log = await EmbeddedLogStore.open(join(dataDir, LOG_JOURNAL));
    opened.push(log);
    const kv = await EmbeddedKvStore.open(join(dataDir, KV_JOURNAL), now);
    const presence = new EmbeddedPresenceStore(now);
    const due = new EmbeddedDueStore();
    let closed = false;
    return {
      kind: "embedded",
      log,
      kv,
      presence,
      due,
      async ping() {
        return !closed;
      },
      async close() {
        if (closed) return;
        closed = true;
        try {
          await Promise.all([log.close(), kv.close(), presence.close(), due.close()]);
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    await Promise.all(opened.map((s) => s.close()));
    unlock();
    throw err;
  }
}

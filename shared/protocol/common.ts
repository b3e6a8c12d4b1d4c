import type { StreamName, ViewEvent } from "../log.js";
import type { Role } from "../domain/roles.js";

/**
 * Reply shapes every feature's contract is built of (events.ts and each `<feature>.ts`). Their own
 * module, so a feature's contract file never imports events.ts, which spreads it in.
 */

export interface PublicUser {
  id: string;
  name: string;
  role: Role;
}

/** [LOG4] What a sync returns: the missed events in order, or everything from the start (`reset`). */
export interface SyncResult {
  stream: StreamName;
  epoch: string | null;
  reset: boolean;
  events: ViewEvent[];
  head: number;
  more: boolean;
  /**
   * [LOG4] Present only when the events the client lacks were compacted: the stream's state at
   * `snapshot.seq` (opaque, e.g. a merged Yjs update); `events` then follow it. `reset` is true.
   */
  snapshot?: { seq: number; data: string };
}

import { request } from "./command.js";
import type { HoldspaceSocket } from "./socket.js";

/*
 * Which live rooms this tab is in, counted per session. A screen that unmounts does not leave at
 * once: the leave waits for the end of the current task and is dropped if a screen for the same
 * session mounted meanwhile. That is what StrictMode's mount-unmount-mount looks like, and a
 * leave that reached the server there would be logged as "left the room" and "arrived" [PR5].
 */
const held = new Map<string, number>();
const leaving = new Map<string, ReturnType<typeof setTimeout>>();

/** A screen shows this session's room: its join is the caller's (it carries the catch-up). */
export function holdRoom(sessionId: string): void {
  held.set(sessionId, (held.get(sessionId) ?? 0) + 1);
  clearTimeout(leaving.get(sessionId));
  leaving.delete(sessionId);
}

/** That screen is gone: leave once no screen holds the room any more. */
export function releaseRoom(sessionId: string, socket: HoldspaceSocket): void {
  const left = (held.get(sessionId) ?? 1) - 1;
  if (left > 0) {
    held.set(sessionId, left);
    return;
  }
  held.delete(sessionId);
  clearTimeout(leaving.get(sessionId));
  leaving.set(
    sessionId,
    setTimeout(() => {
      leaving.delete(sessionId);
      // A failure here is harmless (the server's grace ends it); a closed socket has left already.
      if (!held.has(sessionId) && socket.connected) request("session:leave", { sessionId }).catch(() => undefined);
    }, 0),
  );
}

import type { StreamName } from "../../shared/log.js";

/**
 * Socket.IO room names. A stream has a room for everyone subscribed, one for staff, and one per
 * person, so an event can go whole to those who may see it and as a bare position to the rest.
 */
export const rooms = {
  stream: (s: StreamName) => `st:${s}`,
  staff: (s: StreamName) => `st:${s}:staff`,
  personal: (s: StreamName, userId: string) => `st:${s}:u:${userId}`,
  /** Presence updates of a live session's room. */
  presence: (sessionId: string) => `pr:${sessionId}`,
};

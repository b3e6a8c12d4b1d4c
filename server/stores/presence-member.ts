import { z } from "zod";
import { ClientPresence, type ConnectionEntry } from "../../shared/protocol/presence.js";

/**
 * One connection entry is named `${userId}|${nodeId}|${connId}` (the member of a room's entry
 * set). userId and nodeId may not hold `|`; connId, being last, may. Both stores enforce this so
 * code written against the embedded store also runs on Redis.
 */
export function presenceMember(userId: string, nodeId: string, connId: string): string {
  if (userId === "" || userId.includes("|")) throw new Error("a presence userId must be non-empty and hold no '|'");
  checkNodeId(nodeId);
  if (connId === "") throw new Error("a presence connId must be non-empty");
  return `${userId}|${nodeId}|${connId}`;
}

export function checkNodeId(nodeId: string): void {
  if (nodeId === "" || nodeId.includes("|")) throw new Error("a presence nodeId must be non-empty and hold no '|'");
}

const EntryState = z.union([ClientPresence, z.literal("disconnected")]);

/** Rebuild an entry from its member, score and stored state; null when the member is malformed. */
export function parsePresenceMember(member: string, expiresAt: number, state: string): ConnectionEntry | null {
  const a = member.indexOf("|");
  const b = a < 0 ? -1 : member.indexOf("|", a + 1);
  if (a <= 0 || b <= a + 1 || b === member.length - 1 || !Number.isFinite(expiresAt)) return null;
  const parsed = EntryState.safeParse(state);
  return {
    userId: member.slice(0, a),
    nodeId: member.slice(a + 1, b),
    connId: member.slice(b + 1),
    // A state lost to a race is reported as a dropped connection rather than dropping the entry.
    state: parsed.success ? parsed.data : "disconnected",
    expiresAt,
  };
}

import { z } from "zod";

/** [PR2] A person's presence in a room. */
export const PresenceState = z.enum(["online", "away", "on_break", "offline"]);
export type PresenceState = z.infer<typeof PresenceState>;

/** What a client may say about itself; `on_break` and `offline` are decided by the server. */
export const ClientPresence = z.enum(["online", "away"]);
export type ClientPresence = z.infer<typeof ClientPresence>;

/** One connection's entry: presence is kept per connection and reported per person [PR1]. */
export interface ConnectionEntry {
  userId: string;
  nodeId: string;
  connId: string;
  state: ClientPresence | "disconnected";
  /** ms since epoch after which the entry no longer counts (a dropped connection's grace); Infinity while connected, when it counts as long as its node is alive. */
  expiresAt: number;
}

/** [PR1][PR2] Fold a person's connections into one state; no live entry means offline. */
export function personState(entries: readonly ConnectionEntry[], now: number, onBreak: boolean): PresenceState {
  const live = entries.filter((e) => e.expiresAt > now);
  if (live.length === 0) return "offline";
  if (onBreak) return "on_break";
  // A dropped connection in its grace period still counts as present [PR2].
  if (live.some((e) => e.state === "online" || e.state === "disconnected")) return "online";
  return "away";
}

export function peopleStates(
  entries: readonly ConnectionEntry[],
  now: number,
  onBreak: ReadonlySet<string> = new Set(),
): Map<string, PresenceState> {
  const byUser = new Map<string, ConnectionEntry[]>();
  for (const e of entries) byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
  const out = new Map<string, PresenceState>();
  for (const [userId, list] of byUser) out.set(userId, personState(list, now, onBreak.has(userId)));
  return out;
}

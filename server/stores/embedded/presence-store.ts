import type { ClientPresence, ConnectionEntry } from "../../../shared/protocol/presence.js";
import { checkNodeId, presenceMember } from "../presence-member.js";
import type { PresenceStore } from "../types.js";

/**
 * [PR1]–[PR3] Presence in one process's memory: presence is not history, so nothing is journaled.
 * Same rules as the Redis store: an entry goes when it expires or when its node's heartbeat lapsed
 * (a node that never sent one counts as not alive); the heartbeat extends the node's own entries
 * except those in their grace period (`disconnected`).
 */
export class EmbeddedPresenceStore implements PresenceStore {
  /** room → connection key → entry */
  private readonly roomsMap = new Map<string, Map<string, ConnectionEntry>>();
  /** nodeId → alive until (ms) */
  private readonly nodes = new Map<string, number>();
  private readonly breaks = new Map<string, Set<string>>();
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  async upsert(room: string, entry: ConnectionEntry): Promise<void> {
    this.assertOpen();
    const entries = this.roomsMap.get(room) ?? new Map<string, ConnectionEntry>();
    entries.set(presenceMember(entry.userId, entry.nodeId, entry.connId), { ...entry });
    this.roomsMap.set(room, entries);
  }

  async setState(room: string, nodeId: string, connId: string, userId: string, state: ClientPresence | "disconnected", expiresAt: number): Promise<void> {
    this.assertOpen();
    const entries = this.roomsMap.get(room);
    const key = presenceMember(userId, nodeId, connId);
    const entry = entries?.get(key);
    if (!entries || !entry) return;
    entries.set(key, { ...entry, state, expiresAt });
  }

  async remove(room: string, nodeId: string, connId: string, userId: string): Promise<boolean> {
    this.assertOpen();
    const entries = this.roomsMap.get(room);
    if (!entries?.delete(presenceMember(userId, nodeId, connId))) return false;
    if (entries.size === 0) this.roomsMap.delete(room);
    return true;
  }

  async list(room: string): Promise<ConnectionEntry[]> {
    this.assertOpen();
    return [...(this.roomsMap.get(room)?.values() ?? [])].map((e) => ({ ...e }));
  }

  async rooms(): Promise<string[]> {
    this.assertOpen();
    return [...this.roomsMap.keys()];
  }

  async sweep(room: string, now: number): Promise<ConnectionEntry[]> {
    this.assertOpen();
    const entries = this.roomsMap.get(room);
    if (!entries) return [];
    // Node liveness is judged by the store's clock, like a Redis key's PX expiry.
    const clock = this.now();
    const removed: ConnectionEntry[] = [];
    for (const [key, e] of entries) {
      const nodeAlive = (this.nodes.get(e.nodeId) ?? -Infinity) > clock;
      if (e.expiresAt <= now || !nodeAlive) {
        entries.delete(key);
        removed.push({ ...e });
      }
    }
    if (entries.size === 0) this.roomsMap.delete(room);
    return removed;
  }

  async heartbeat(nodeId: string, ttlMs: number, entriesUntil: number): Promise<void> {
    this.assertOpen();
    checkNodeId(nodeId);
    this.nodes.set(nodeId, this.now() + Math.max(1, Math.ceil(ttlMs)));
    for (const entries of this.roomsMap.values()) {
      for (const [key, e] of entries) {
        if (e.nodeId === nodeId && e.state !== "disconnected" && e.expiresAt < entriesUntil) {
          entries.set(key, { ...e, expiresAt: entriesUntil });
        }
      }
    }
  }

  async setOnBreak(room: string, userId: string, onBreak: boolean): Promise<void> {
    this.assertOpen();
    const set = this.breaks.get(room) ?? new Set<string>();
    if (onBreak) set.add(userId);
    else set.delete(userId);
    if (set.size === 0) this.breaks.delete(room);
    else this.breaks.set(room, set);
  }

  async onBreak(room: string): Promise<Set<string>> {
    this.assertOpen();
    return new Set(this.breaks.get(room) ?? []);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("presence store is closed");
  }
}

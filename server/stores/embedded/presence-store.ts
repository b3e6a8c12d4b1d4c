import type { ClientPresence, ConnectionEntry } from "../../../shared/protocol/presence.js";
import { checkNodeId, presenceMember } from "../presence-member.js";
import type { PresenceStore, SweptEntry } from "../types.js";

/** Where one entry lives: its room and its member name there. */
interface Held {
  room: string;
  member: string;
}

/** A name for (room, member) that no other pair shares, whatever the room holds. */
const refOf = (room: string, member: string): string => JSON.stringify([room, member]);

/** As the Redis store: a time it could not store is refused, not kept as "never expires". */
function checkExpiry(expiresAt: number): void {
  if (Number.isNaN(expiresAt) || expiresAt === Number.NEGATIVE_INFINITY)
    throw new RangeError("presence times must be numbers of ms");
}

/**
 * [PR1]–[PR3] Presence in one process's memory: presence is not history, so nothing is journaled.
 * Same rules as the Redis store: an entry counts while its node is alive (a node that never sent
 * a heartbeat is not) and until its expiresAt. Indexed by node and by deadline so a sweep with
 * nothing due looks at the nodes and the grace entries only, never at every room.
 */
export class EmbeddedPresenceStore implements PresenceStore {
  /** room → member → entry */
  private readonly roomsMap = new Map<string, Map<string, ConnectionEntry>>();
  /** nodeId → alive until (ms, the store's clock); -Infinity until its first heartbeat. */
  private readonly nodes = new Map<string, number>();
  /** nodeId → ref → its entries, for when it dies. */
  private readonly byNode = new Map<string, Map<string, Held>>();
  /** ref → the entries with a finite expiresAt (a dropped connection's grace). */
  private readonly deadlines = new Map<string, Held>();
  private readonly breaks = new Map<string, Set<string>>();
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  async upsert(room: string, entry: ConnectionEntry): Promise<void> {
    this.assertOpen();
    const member = presenceMember(entry.userId, entry.nodeId, entry.connId);
    checkExpiry(entry.expiresAt);
    const entries = this.roomsMap.get(room) ?? new Map<string, ConnectionEntry>();
    entries.set(member, { ...entry });
    this.roomsMap.set(room, entries);
    if (!this.nodes.has(entry.nodeId)) this.nodes.set(entry.nodeId, Number.NEGATIVE_INFINITY);
    const held = this.byNode.get(entry.nodeId) ?? new Map<string, Held>();
    held.set(refOf(room, member), { room, member });
    this.byNode.set(entry.nodeId, held);
    this.trackDeadline(room, member, entry.expiresAt);
  }

  async setState(
    room: string,
    nodeId: string,
    connId: string,
    userId: string,
    state: ClientPresence | "disconnected",
    expiresAt: number,
  ): Promise<void> {
    this.assertOpen();
    const member = presenceMember(userId, nodeId, connId);
    checkExpiry(expiresAt);
    const entries = this.roomsMap.get(room);
    const entry = entries?.get(member);
    if (!entries || !entry) return;
    entries.set(member, { ...entry, state, expiresAt });
    this.trackDeadline(room, member, expiresAt);
  }

  async remove(room: string, nodeId: string, connId: string, userId: string): Promise<boolean> {
    this.assertOpen();
    return this.drop(room, presenceMember(userId, nodeId, connId)) !== null;
  }

  async list(room: string): Promise<ConnectionEntry[]> {
    this.assertOpen();
    return [...(this.roomsMap.get(room)?.values() ?? [])].map((e) => ({ ...e }));
  }

  async sweep(now: number): Promise<SweptEntry[]> {
    this.assertOpen();
    const removed: SweptEntry[] = [];
    const take = ({ room, member }: Held) => {
      const entry = this.drop(room, member);
      if (entry) removed.push({ room, entry });
    };
    for (const held of [...this.deadlines.values()]) {
      const entry = this.roomsMap.get(held.room)?.get(held.member);
      if (entry && entry.expiresAt <= now) take(held);
    }
    // Node liveness is judged by the store's clock, like the Redis store judges it by Redis's.
    const clock = this.now();
    for (const [nodeId, aliveUntil] of [...this.nodes]) {
      if (aliveUntil > clock) continue;
      for (const held of [...(this.byNode.get(nodeId)?.values() ?? [])]) take(held);
      this.nodes.delete(nodeId);
      this.byNode.delete(nodeId);
    }
    return removed;
  }

  async heartbeat(nodeId: string, ttlMs: number): Promise<void> {
    this.assertOpen();
    checkNodeId(nodeId);
    if (!Number.isFinite(ttlMs)) throw new RangeError("a heartbeat's ttl must be a finite number of ms");
    this.nodes.set(nodeId, this.now() + Math.max(1, Math.ceil(ttlMs)));
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

  /** Remove one entry from every index; the entry when it was there. */
  private drop(room: string, member: string): ConnectionEntry | null {
    const entries = this.roomsMap.get(room);
    const entry = entries?.get(member);
    if (!entries || !entry) return null;
    entries.delete(member);
    if (entries.size === 0) this.roomsMap.delete(room);
    const ref = refOf(room, member);
    this.deadlines.delete(ref);
    this.byNode.get(entry.nodeId)?.delete(ref);
    return { ...entry };
  }

  private trackDeadline(room: string, member: string, expiresAt: number): void {
    const ref = refOf(room, member);
    if (Number.isFinite(expiresAt)) this.deadlines.set(ref, { room, member });
    else this.deadlines.delete(ref);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("presence store is closed");
  }
}

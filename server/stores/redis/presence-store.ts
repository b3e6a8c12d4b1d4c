import { z } from "zod";
import type { ClientPresence, ConnectionEntry } from "../../../shared/protocol/presence.js";
import { checkNodeId, parsePresenceMember, presenceMember } from "../presence-member.js";
import type { PresenceStore } from "../types.js";
import type { RedisClient } from "./client.js";
import type { RedisKeys } from "./keys.js";
import { EXTEND, LIST, REMOVE, SET_STATE, SWEEP, UPSERT } from "./presence-scripts.js";

const Strings = z.array(z.string());
const Count = z.number().int();

/** Entries from a flat {member, score, state, ...} script reply; malformed members are skipped. */
function entriesOf(reply: unknown): ConnectionEntry[] {
  const flat = Strings.parse(reply);
  const out: ConnectionEntry[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    const [member, score, state] = [flat[i], flat[i + 1], flat[i + 2]];
    if (member === undefined || score === undefined || state === undefined) continue;
    const entry = parsePresenceMember(member, Number(score), state);
    if (entry) out.push(entry);
  }
  return out;
}

/** [PR1]–[PR3] Presence shared by every node through Redis; see presence-scripts.ts for the layout. */
export class RedisPresenceStore implements PresenceStore {
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly release: () => Promise<void>,
  ) {}

  async upsert(room: string, entry: ConnectionEntry): Promise<void> {
    this.assertOpen();
    const member = presenceMember(entry.userId, entry.nodeId, entry.connId);
    const k = this.keys;
    await UPSERT.run(
      this.client,
      [k.roomEntries(room), k.roomStates(room), k.presenceRooms(), k.nodeRooms(entry.nodeId), k.nodeRoomEntries(entry.nodeId, room)],
      [member, score(entry.expiresAt), entry.state, room],
    );
  }

  async setState(room: string, nodeId: string, connId: string, userId: string, state: ClientPresence | "disconnected", expiresAt: number): Promise<void> {
    this.assertOpen();
    const member = presenceMember(userId, nodeId, connId);
    await SET_STATE.run(this.client, [this.keys.roomEntries(room), this.keys.roomStates(room)], [member, state, score(expiresAt)]);
  }

  async remove(room: string, nodeId: string, connId: string, userId: string): Promise<boolean> {
    this.assertOpen();
    const member = presenceMember(userId, nodeId, connId);
    const k = this.keys;
    const removed = await REMOVE.run(
      this.client,
      [k.roomEntries(room), k.roomStates(room), k.presenceRooms(), k.nodeRoomEntries(nodeId, room)],
      [member, room],
    );
    return Count.parse(removed) === 1;
  }

  async list(room: string): Promise<ConnectionEntry[]> {
    this.assertOpen();
    return entriesOf(await LIST.run(this.client, [this.keys.roomEntries(room), this.keys.roomStates(room)], []));
  }

  async rooms(): Promise<string[]> {
    this.assertOpen();
    return await this.client.sMembers(this.keys.presenceRooms());
  }

  async sweep(room: string, now: number): Promise<ConnectionEntry[]> {
    this.assertOpen();
    const k = this.keys;
    // Which nodes to check for liveness: those with entries in the room right now. A node whose
    // first entry lands after this read is checked on the next sweep.
    const members = await this.client.zRange(k.roomEntries(room), 0, -1);
    const nodes = [...new Set(members.map((m) => parsePresenceMember(m, 0, "")?.nodeId).filter((n) => n !== undefined))];
    const keys = [k.roomEntries(room), k.roomStates(room), k.presenceRooms()];
    for (const n of nodes) keys.push(k.nodeAlive(n), k.nodeRoomEntries(n, room));
    return entriesOf(await SWEEP.run(this.client, keys, [score(now), room, ...nodes]));
  }

  async heartbeat(nodeId: string, ttlMs: number, entriesUntil: number): Promise<void> {
    this.assertOpen();
    checkNodeId(nodeId);
    const k = this.keys;
    await this.client.set(k.nodeAlive(nodeId), "1", { expiration: { type: "PX", value: Math.max(1, Math.ceil(ttlMs)) } });
    for (const room of await this.client.sMembers(k.nodeRooms(nodeId))) {
      await EXTEND.run(
        this.client,
        [k.roomEntries(room), k.roomStates(room), k.nodeRoomEntries(nodeId, room), k.nodeRooms(nodeId)],
        [score(entriesUntil), room],
      );
    }
  }

  async setOnBreak(room: string, userId: string, onBreak: boolean): Promise<void> {
    this.assertOpen();
    if (onBreak) await this.client.sAdd(this.keys.roomBreaks(room), userId);
    else await this.client.sRem(this.keys.roomBreaks(room), userId);
  }

  async onBreak(room: string): Promise<Set<string>> {
    this.assertOpen();
    return new Set(await this.client.sMembers(this.keys.roomBreaks(room)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("presence store is closed");
  }
}

/** A ZSET score for a ms timestamp, refusing what Redis would not store as a number. */
function score(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError("presence times must be finite numbers of ms");
  return String(Math.round(ms));
}

import { z } from "zod";
import type { ClientPresence, ConnectionEntry } from "../../../shared/protocol/presence.js";
import { checkNodeId, parsePresenceMember, presenceMember } from "../presence-member.js";
import { WHILE_NODE_ALIVE, type PresenceStore, type SweptEntry } from "../types.js";
import type { RedisClient } from "./client.js";
import type { RedisKeys } from "./keys.js";
import { HEARTBEAT, LIST, REMOVE, SET_STATE, SWEEP, UPSERT } from "./presence-scripts.js";

const Strings = z.array(z.string());
const Count = z.number().int();

/** An entry from its member and stored `${state}|${expiresAt}`; null when malformed. */
function entryOf(member: string, data: string): ConnectionEntry | null {
  const bar = data.indexOf("|");
  if (bar < 0) return null;
  const until = data.slice(bar + 1);
  const expiresAt = until === "" ? WHILE_NODE_ALIVE : Number(until);
  // parsePresenceMember takes only finite times; an entry without a deadline gets it back after.
  const entry = parsePresenceMember(member, until === "" ? 0 : expiresAt, data.slice(0, bar));
  return entry && { ...entry, expiresAt };
}

/**
 * [PR1]–[PR3] Presence shared by every node through Redis; see presence-scripts.ts for the
 * layout. Every operation is one script on a fixed set of keys.
 */
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
      [k.presenceEntries(), k.presenceData(), k.presenceDeadlines(), k.presenceNodes(), k.presenceNodeEntries()],
      [room, member, entry.nodeId, entry.state, deadline(entry.expiresAt)],
    );
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
    await SET_STATE.run(
      this.client,
      [this.keys.presenceData(), this.keys.presenceDeadlines()],
      [room, member, state, deadline(expiresAt)],
    );
  }

  async remove(room: string, nodeId: string, connId: string, userId: string): Promise<boolean> {
    this.assertOpen();
    const member = presenceMember(userId, nodeId, connId);
    const k = this.keys;
    const removed = await REMOVE.run(
      this.client,
      [k.presenceEntries(), k.presenceData(), k.presenceDeadlines(), k.presenceNodeEntries()],
      [room, member, nodeId],
    );
    return Count.parse(removed) === 1;
  }

  async list(room: string): Promise<ConnectionEntry[]> {
    this.assertOpen();
    const flat = Strings.parse(
      await LIST.run(this.client, [this.keys.presenceEntries(), this.keys.presenceData()], [room]),
    );
    const out: ConnectionEntry[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const entry = entryOf(flat[i] ?? "", flat[i + 1] ?? "");
      if (entry) out.push(entry);
    }
    return out;
  }

  async sweep(now: number): Promise<SweptEntry[]> {
    this.assertOpen();
    const k = this.keys;
    const reply = await SWEEP.run(
      this.client,
      [k.presenceEntries(), k.presenceData(), k.presenceDeadlines(), k.presenceNodes(), k.presenceNodeEntries()],
      [score(now)],
    );
    const flat = Strings.parse(reply);
    const out: SweptEntry[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const entry = entryOf(flat[i + 1] ?? "", flat[i + 2] ?? "");
      if (entry) out.push({ room: flat[i] ?? "", entry });
    }
    return out;
  }

  async heartbeat(nodeId: string, ttlMs: number): Promise<void> {
    this.assertOpen();
    checkNodeId(nodeId);
    await HEARTBEAT.run(this.client, [this.keys.presenceNodes()], [nodeId, score(Math.max(1, Math.ceil(ttlMs)))]);
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

/** An entry's stored deadline: '' for one that lasts while its node is alive. */
function deadline(expiresAt: number): string {
  return expiresAt === WHILE_NODE_ALIVE ? "" : score(expiresAt);
}

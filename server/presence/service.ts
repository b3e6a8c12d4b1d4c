import { decideRoomTransition } from "../../shared/domain/session.js";
import { streamName } from "../../shared/log.js";
import { peopleStates, personState, type ClientPresence, type PresenceState } from "../../shared/protocol/presence.js";
import type { PersonPresence } from "../../shared/protocol/events.js";
import type { Role } from "../../shared/domain/roles.js";
import type { Clock } from "../clock.js";
import type { StreamService } from "../domain/stream-service.js";
import { publishAll, type IoServer } from "../gateway/fanout.js";
import { rooms } from "../gateway/rooms.js";
import type { Users } from "../auth/users.js";
import type { PresenceStore } from "../stores/types.js";

/** [PR2] Timings. Entries live ENTRY_TTL past the last heartbeat, so a dead node's people lapse by then. */
export const PRESENCE_TIMINGS = {
  graceMs: 10_000,
  heartbeatMs: 5_000,
  nodeTtlMs: 15_000,
  entryTtlMs: 20_000,
  sweepMs: 1_000,
};

export interface PresenceDeps {
  store: PresenceStore;
  streams: StreamService;
  users: Users;
  io: IoServer;
  clock: Clock;
  nodeId: string;
}

/**
 * Presence per person across tabs and nodes [PR1][PR3]. The store holds connection entries; this
 * service folds them per person, broadcasts changes to the room, and logs the safety-relevant
 * transitions (arrived, left) as session events [PR5].
 */
export class PresenceService {
  constructor(private readonly d: PresenceDeps) {}

  async connect(sessionId: string, userId: string, connId: string): Promise<void> {
    const now = this.d.clock.now();
    await this.d.store.upsert(sessionId, { userId, nodeId: this.d.nodeId, connId, state: "online", expiresAt: now + PRESENCE_TIMINGS.entryTtlMs });
    await this.changed(sessionId, userId, connId);
  }

  async setState(sessionId: string, userId: string, connId: string, state: ClientPresence): Promise<PresenceState> {
    const now = this.d.clock.now();
    await this.d.store.setState(sessionId, this.d.nodeId, connId, userId, state, now + PRESENCE_TIMINGS.entryTtlMs);
    return this.changed(sessionId, userId, connId);
  }

  /** A dropped connection keeps counting for the grace period [PR2]; the sweep ends it. */
  async disconnect(sessionId: string, userId: string, connId: string): Promise<void> {
    const until = this.d.clock.now() + PRESENCE_TIMINGS.graceMs;
    await this.d.store.setState(sessionId, this.d.nodeId, connId, userId, "disconnected", until);
  }

  /** Leaving on purpose (closing the room in the app) takes effect at once. */
  async leave(sessionId: string, userId: string, connId: string): Promise<void> {
    if (await this.d.store.remove(sessionId, this.d.nodeId, connId, userId)) await this.changed(sessionId, userId, connId);
  }

  async snapshot(sessionId: string): Promise<PersonPresence[]> {
    const [entries, breaks] = await Promise.all([this.d.store.list(sessionId), this.d.store.onBreak(sessionId)]);
    return [...peopleStates(entries, this.d.clock.now(), breaks)].map(([userId, state]) => ({ userId, state }));
  }

  async heartbeat(): Promise<void> {
    const now = this.d.clock.now();
    await this.d.store.heartbeat(this.d.nodeId, PRESENCE_TIMINGS.nodeTtlMs, now + PRESENCE_TIMINGS.entryTtlMs);
  }

  /**
   * Remove lapsed entries (grace over, or their node died) in every room. Several nodes sweep;
   * the store hands each removed entry to exactly one of them, which reports the change.
   */
  async sweep(): Promise<void> {
    const now = this.d.clock.now();
    for (const room of await this.d.store.rooms()) {
      const removed = await this.d.store.sweep(room, now);
      for (const e of removed) await this.changed(room, e.userId, e.connId);
    }
  }

  private async changed(sessionId: string, userId: string, connId: string): Promise<PresenceState> {
    const [entries, breaks] = await Promise.all([this.d.store.list(sessionId), this.d.store.onBreak(sessionId)]);
    const mine = entries.filter((e) => e.userId === userId);
    const state = personState(mine, this.d.clock.now(), breaks.has(userId));
    this.d.io.to(rooms.presence(sessionId)).emit("presence:update", { sessionId, userId, state });
    await this.logTransition(sessionId, userId, connId, state !== "offline");
    return state;
  }

  private async logTransition(sessionId: string, userId: string, connId: string, present: boolean): Promise<void> {
    const user = await this.d.users.get(userId);
    if (!user) return;
    const role: Role = user.role;
    const id = `${present ? "arrived" : "left"}:${userId}:${connId}`;
    const { events } = await this.d.streams.execute("session", sessionId, id, (s) => decideRoomTransition(s, { id, userId, role, present }));
    publishAll(this.d.io, streamName("session", sessionId), events);
  }
}

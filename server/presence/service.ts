import { decideRoomTransition, roomTransitionId } from "../../shared/domain/session.js";
import { streamName } from "../../shared/log.js";
import { peopleStates, personState, type ClientPresence, type PresenceState } from "../../shared/protocol/presence.js";
import type { PersonPresence } from "../../shared/protocol/events.js";
import type { Role } from "../../shared/domain/roles.js";
import type { Clock } from "../clock.js";
import { systemKey, type StreamService } from "../domain/stream-service.js";
import { circleOfPresenceRoom, logCirclePresence } from "../domain/circles.js";
import { fanOut, type IoServer } from "../gateway/fanout.js";
import { rooms } from "../gateway/rooms.js";
import type { Users } from "../auth/users.js";
import { WHILE_NODE_ALIVE, type DueStore, type PresenceStore } from "../stores/types.js";

/**
 * [PR2] Timings. A connected entry lives as long as its node's heartbeat (nodeTtlMs), not on a
 * clock of its own; only a dropped connection has a deadline (graceMs). A dead node's people are
 * removed by the first sweep after its liveness lapses: within nodeTtlMs + sweepMs (16 s) of its
 * last heartbeat, inside the 20 s the old per-entry expiry allowed and PR2's 30 s.
 */
export const PRESENCE_TIMINGS = {
  graceMs: 10_000,
  heartbeatMs: 5_000,
  nodeTtlMs: 15_000,
  sweepMs: 1_000,
};

/** A presence change that was stored and told, but whose arrival or departure the log refused. */
export class PresenceLogError extends Error {
  constructor(override readonly cause: unknown) {
    super(`a presence transition was not logged: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "PresenceLogError";
  }
}

/** After a logged arrival or departure, the session's reconcile runs this much later (see `changed`). */
export const RECONCILE_AFTER_MS = 2_000;

export interface PresenceDeps {
  store: PresenceStore;
  /** Where `changed` asks for the session's reconcile (jobs/live-checks.ts runs it for due sessions). */
  due: Pick<DueStore, "schedule">;
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
    await this.d.store.upsert(sessionId, {
      userId,
      nodeId: this.d.nodeId,
      connId,
      state: "online",
      expiresAt: WHILE_NODE_ALIVE,
    });
    await this.changed(sessionId, userId);
  }

  async setState(sessionId: string, userId: string, connId: string, state: ClientPresence): Promise<PresenceState> {
    await this.d.store.setState(sessionId, this.d.nodeId, connId, userId, state, WHILE_NODE_ALIVE);
    return this.changed(sessionId, userId);
  }

  /** A dropped connection keeps counting for the grace period [PR2]; the sweep ends it. */
  async disconnect(sessionId: string, userId: string, connId: string): Promise<void> {
    const until = this.d.clock.now() + PRESENCE_TIMINGS.graceMs;
    await this.d.store.setState(sessionId, this.d.nodeId, connId, userId, "disconnected", until);
  }

  /** Leaving on purpose (closing the room in the app) takes effect at once. */
  async leave(sessionId: string, userId: string, connId: string): Promise<void> {
    if (await this.d.store.remove(sessionId, this.d.nodeId, connId, userId)) await this.changed(sessionId, userId);
  }

  /**
   * [PR2][LIVE4] Show a facilitator's break (as the session log has it) at once on every node,
   * and tell the room. No transition is logged here: the break itself is in the session log.
   */
  async showBreak(sessionId: string, userId: string, onBreak: boolean): Promise<PresenceState> {
    await this.d.store.setOnBreak(sessionId, userId, onBreak);
    const state = (await this.snapshot(sessionId)).find((x) => x.userId === userId)?.state ?? "offline";
    this.d.io.to(rooms.presence(sessionId)).emit("presence:update", { sessionId, userId, state });
    return state;
  }

  async snapshot(sessionId: string): Promise<PersonPresence[]> {
    const [entries, breaks] = await Promise.all([this.d.store.list(sessionId), this.d.store.onBreak(sessionId)]);
    return [...peopleStates(entries, this.d.clock.now(), breaks)].map(([userId, state]) => ({ userId, state }));
  }

  /** Keeps every entry of this node (one store call, however many). */
  async heartbeat(): Promise<void> {
    await this.d.store.heartbeat(this.d.nodeId, PRESENCE_TIMINGS.nodeTtlMs);
  }

  /**
   * Remove lapsed entries (grace over, or their node died) in every room, in one store call.
   * Several nodes sweep; the store hands each removed entry to exactly one of them, which reports
   * the change (once per person and room, however many of their tabs went). One person's failure
   * (a store hiccup while logging) must not swallow the others' departures: every change is
   * reported, then the first failure is rethrown for the job to log.
   */
  async sweep(): Promise<void> {
    const removed = await this.d.store.sweep(this.d.clock.now());
    const people = new Map<string, { room: string; userId: string }>();
    for (const { room, entry } of removed)
      people.set(JSON.stringify([room, entry.userId]), { room, userId: entry.userId });
    const failures: unknown[] = [];
    for (const { room, userId } of people.values())
      await this.changed(room, userId).catch((err: unknown) => failures.push(err));
    if (failures.length > 0) throw failures[0];
  }

  /**
   * [PR5][LIVE3] Make the log's "who is in the room" agree with presence. Transitions are logged
   * as they happen, but a departure whose logging failed, or two nodes racing (one logs "left"
   * on a stale list while the person reconnects on the other), would leave the log wrong for
   * good — and the ratio counts facilitators from the log. Run by every node's periodic check;
   * decisions go through the log with expectedSeq, so nodes reconciling at once log each fix once.
   * Returns how many people it corrected.
   */
  async reconcile(sessionId: string): Promise<number> {
    // The log first, then presence: presence read after the log is never older than it.
    const state = await this.d.streams.state("session", sessionId);
    if (state.status !== "open") return 0;
    const present = new Set((await this.snapshot(sessionId)).filter((p) => p.state !== "offline").map((p) => p.userId));
    let fixed = 0;
    for (const userId of new Set([...state.inRoom, ...present])) {
      if (state.inRoom.includes(userId) === present.has(userId)) continue;
      if (await this.logTransition(sessionId, userId, present.has(userId))) fixed++;
    }
    return fixed;
  }

  /**
   * Tell the room, then log the transition [PR5]. After a logged transition the session's checks
   * are made due shortly, so two nodes racing on one person (one logs "left" on a stale list) are
   * set right in seconds, not at the next sweep; when logging fails they are made due at once,
   * and their reconcile logs what is missing. The failure is still thrown, for the caller to log —
   * and for a join to shrug off: presence is stored and the room told (issue 9: joins refused
   * with CONFLICT were never retried by the app).
   */
  private async changed(sessionId: string, userId: string): Promise<PresenceState> {
    const [entries, breaks] = await Promise.all([this.d.store.list(sessionId), this.d.store.onBreak(sessionId)]);
    const mine = entries.filter((e) => e.userId === userId);
    const now = this.d.clock.now();
    const state = personState(mine, now, breaks.has(userId));
    this.d.io.to(rooms.presence(sessionId)).emit("presence:update", { sessionId, userId, state });
    // A circle's reconcile runs before each decision on its piece (domain/circles.ts), not on the due index.
    const circle = circleOfPresenceRoom(sessionId) !== null;
    const recheck = (at: number) =>
      circle ? Promise.resolve() : this.d.due.schedule(sessionId, at).catch(() => undefined); // the sweep is the backstop
    let logged: boolean;
    try {
      logged = await this.logTransition(sessionId, userId, state !== "offline");
    } catch (err) {
      await recheck(now);
      throw new PresenceLogError(err);
    }
    if (logged) await recheck(now + RECONCILE_AFTER_MS);
    return state;
  }

  /** [PR5] Log an arrival or departure if the log does not already say so; true when one was appended. */
  private async logTransition(sessionId: string, userId: string, present: boolean): Promise<boolean> {
    // [CIR2] A circle room's transitions go to the circle's stream, where the talking piece reads them.
    const circleId = circleOfPresenceRoom(sessionId);
    if (circleId !== null) return logCirclePresence(this.d.streams, this.d.io, circleId, userId, present);
    const user = await this.d.users.get(userId);
    if (!user || user.role === "admin") return false;
    const role: Role = user.role;
    // Named after the state it is decided on (roomTransitionId), not the connection: leaving and
    // coming back on the same socket is a second real transition and is logged again.
    const id = roomTransitionId(await this.d.streams.state("session", sessionId), userId, present);
    const { events, duplicate } = await this.d.streams.execute("session", sessionId, systemKey(id), (s) =>
      decideRoomTransition(s, { userId, role, present }),
    );
    fanOut(this.d.io, streamName("session", sessionId), { events, duplicate });
    return events.length > 0 && !duplicate;
  }
}

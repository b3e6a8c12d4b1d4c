import { io, type Socket } from "socket.io-client";
import type { Role } from "../../shared/domain/roles.js";
import type { Ack } from "../../shared/protocol/errors.js";
import type {
  ClientToServerEvents,
  CommandPayload,
  CommandReplies,
  ServerToClientEvents,
} from "../../shared/protocol/events.js";
// The real client's emitters and ack timeout, so a chaos client sends a command just as a browser does.
import { ACK_TIMEOUT_MS, emitters } from "../../client/src/live/emitters.js";
import { backoffMs } from "../../client/src/live/retry.js";
import { signIn } from "../support/client.js";
import type { Cluster, LiveNode } from "./cluster.js";
import { SessionFollower } from "./follower.js";
import { sleep, Tally } from "./util.js";

export type ChaosSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The commands the chaos clients send. */
export type ChaosCommand = "session:open" | "session:join" | "stream:sync" | "checkin:send" | "alert:ack";

/** One try on the current connection: an ack, or why there was none. */
export type Attempt<T> = { kind: "ack"; ack: Ack<T> } | { kind: "timeout" } | { kind: "dropped" } | { kind: "offline" };

export interface Person {
  key: string;
  email: string;
  role: Role;
  userId: string;
  cohort: number;
}

/** Counters every client adds to, for the report. */
export interface ClientStats {
  /** Outcomes of every command attempt: ok, an error code, timeout, dropped. */
  attempts: Tally;
  connectErrors: Tally;
  reconnects: number;
  signIns: number;
}

export function newClientStats(): ClientStats {
  return { attempts: new Tally(), connectErrors: new Tally(), reconnects: 0, signIns: 0 };
}

const CONNECT_TIMEOUT_MS = 6000;

/**
 * One person's phone or laptop: signed in over HTTP, one socket to one node at a time, and when
 * that node dies (or refuses) a new socket to another live node, as a browser behind a load
 * balancer would get. Rejoins its session from the position it holds [LOG4].
 */
export class ChaosClient {
  socket: ChaosSocket | null = null;
  nodeId: string | null = null;
  follower: SessionFollower | null = null;
  /** When this client lost a connection and when it had one again (ms since epoch). */
  readonly drops: { at: number; nodeId: string }[] = [];
  readonly joins: { at: number; nodeId: string }[] = [];
  private cookie: string | null = null;
  private connects = 0;
  private readonly waiters = new Set<() => void>();
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    readonly person: Person,
    private readonly cluster: Cluster,
    private readonly stats: ClientStats,
    private readonly deadline: number,
    private readonly password: string,
  ) {}

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Sign in on `url` (any node: the session lives in the shared store). */
  async signIn(url: string): Promise<void> {
    this.cookie = await signIn(url, this.person.email, this.password);
    this.stats.signIns++;
  }

  /** Start keeping a connection; resolves once the first one is up (or the deadline passed). */
  async start(first: string | null): Promise<void> {
    this.running = this.maintain(first);
    await this.waitConnected(Math.min(this.deadline, Date.now() + 60_000));
  }

  follow(sessionId: string, onChange: () => void = () => undefined): SessionFollower {
    const f = new SessionFollower(this, sessionId, onChange);
    this.follower = f;
    if (this.connected) void f.join();
    return f;
  }

  /** Resolves true once connected, false at `until`. */
  waitConnected(until: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(onUp);
        resolve(this.connected && !this.stopped);
      };
      const onUp = (): void => done();
      const timer = setTimeout(done, Math.max(0, until - Date.now()));
      this.waiters.add(onUp);
    });
  }

  /**
   * One attempt of a command on the current connection. Like the real client, it fails at once
   * when the connection drops: an ack can only come back on the connection that carried it.
   */
  async attempt<K extends ChaosCommand>(
    name: K,
    payload: CommandPayload<K>,
    ms = ACK_TIMEOUT_MS,
  ): Promise<Attempt<CommandReplies[K]>> {
    const s = this.socket;
    if (!s?.connected) return { kind: "offline" };
    const r = await new Promise<Attempt<CommandReplies[K]>>((resolve) => {
      const onDrop = (): void => resolve({ kind: "dropped" });
      s.once("disconnect", onDrop);
      emitters[name](s, payload, ms)
        .then(
          (ack) => resolve({ kind: "ack", ack }),
          () => resolve({ kind: "timeout" }),
        )
        .finally(() => s.off("disconnect", onDrop));
    });
    this.stats.attempts.add(r.kind === "ack" ? (r.ack.ok ? "ok" : r.ack.error.code) : r.kind);
    return r;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.socket?.close();
    for (const w of this.waiters) w();
    await this.running;
  }

  private async maintain(first: string | null): Promise<void> {
    let avoid: string | null = null;
    let target = first;
    for (let tries = 0; !this.stopped && Date.now() < this.deadline && tries < 10_000; tries++) {
      const wanted = target;
      target = null;
      const node: LiveNode | null =
        (wanted ? this.cluster.live().find((n) => n.url === wanted) : undefined) ?? this.cluster.pick(avoid);
      if (!node || !this.cookie) {
        await sleep(500);
        continue;
      }
      const outcome = await this.connectTo(node.url, node.id);
      if (outcome === "unauthenticated") {
        // The server-side session is gone (it should not be: it lives in Redis with AOF): sign in again.
        await this.signIn(node.url).catch(() => undefined);
      }
      if (outcome !== "connected") {
        avoid = node.id;
        await sleep(backoffMs(Math.min(tries, 4)));
        continue;
      }
      tries = 0;
      await this.untilDisconnected();
      avoid = node.id;
      // A browser's reconnect is not instant; spreading them also spares the surviving nodes a thundering herd.
      await sleep(100 + Math.random() * 700);
    }
  }

  private connectTo(url: string, nodeId: string): Promise<"connected" | "failed" | "unauthenticated"> {
    const cookie = this.cookie ?? "";
    const s: ChaosSocket = io(url, {
      transports: ["websocket"],
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
    });
    return new Promise((resolve) => {
      const timer = setTimeout(() => fail("connect-timeout"), CONNECT_TIMEOUT_MS + 1000);
      const fail = (why: string): void => {
        clearTimeout(timer);
        this.stats.connectErrors.add(why);
        s.removeAllListeners();
        s.close();
        resolve(why === "UNAUTHENTICATED" ? "unauthenticated" : "failed");
      };
      s.once("connect_error", (err) => fail(err.message.slice(0, 40)));
      s.once("connect", () => {
        clearTimeout(timer);
        s.off("connect_error");
        if (this.stopped) {
          s.close();
          resolve("failed");
          return;
        }
        this.socket = s;
        this.nodeId = nodeId;
        if (this.connects++ > 0) this.stats.reconnects++;
        s.on("stream:event", (m) => {
          if (this.follower && m.stream === this.follower.stream) this.follower.onEvent(m.event);
        });
        s.on("stream:hidden", (m) => {
          if (this.follower && m.stream === this.follower.stream) this.follower.onHidden(m.epoch, m.seqs);
        });
        s.on("stream:head", (m) => {
          if (this.follower && m.stream === this.follower.stream) this.follower.onHead(m);
        });
        for (const w of [...this.waiters]) w();
        if (this.follower) void this.follower.join();
        resolve("connected");
      });
    });
  }

  private untilDisconnected(): Promise<void> {
    const s = this.socket;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        if (this.socket === s) {
          this.drops.push({ at: Date.now(), nodeId: this.nodeId ?? "?" });
          this.socket = null;
          this.nodeId = null;
        }
        s.removeAllListeners();
        s.close();
        resolve();
      };
      if (!s.connected) return done();
      s.once("disconnect", done);
    });
  }

  /** Record that the session was (re)joined on the current node. */
  joined(): void {
    this.joins.push({ at: Date.now(), nodeId: this.nodeId ?? "?" });
  }
}

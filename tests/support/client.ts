import { io, type Socket } from "socket.io-client";
import type { DefaultEventsMap } from "@socket.io/component-emitter";
import type { Ack } from "../../shared/protocol/errors.js";
import type { ServerToClientEvents, StreamEventMessage, PresenceUpdate } from "../../shared/protocol/events.js";

/**
 * [AC1] The `Origin` a browser sends from a page of the app itself (on every POST and on the socket
 * handshake): the server refuses any other.
 */
export function originHeader(baseUrl: string): { origin: string } {
  return { origin: new URL(baseUrl).origin };
}

/** Sign in over HTTP and return the session cookie, as a browser would hold it. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...originHeader(baseUrl) },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie");
  if (!cookie) throw new Error("no session cookie");
  return cookie.split(";")[0] ?? "";
}

type ClientSocket = Socket<ServerToClientEvents, DefaultEventsMap>;

/**
 * A test client: a real socket.io-client that records everything the server sends it, so tests
 * can wait for a fact ("an event with seq 4 arrived") instead of sleeping.
 */
export class TestClient {
  readonly socket: ClientSocket;
  readonly received: { name: string; payload: unknown }[] = [];
  readonly events: StreamEventMessage[] = [];
  readonly presence: PresenceUpdate[] = [];
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  /** `origin`: the page the socket is opened from; the app's own by default, as in a browser. */
  constructor(baseUrl: string, cookie: string | null, opts: { reconnection?: boolean; origin?: string } = {}) {
    this.socket = io(baseUrl, {
      transports: ["websocket"],
      extraHeaders: { origin: opts.origin ?? originHeader(baseUrl).origin, ...(cookie ? { cookie } : {}) },
      reconnection: opts.reconnection ?? false,
      forceNew: true,
    });
    this.socket.on("stream:event", (m) => this.events.push(m));
    // A batch of hidden positions (server/gateway/fanout.ts), recorded as the client holds it:
    // a listed position it got no event for is a hidden one.
    this.socket.on("stream:hidden", (m) => {
      for (const seq of m.seqs) {
        if (!this.events.some((x) => x.stream === m.stream && x.event.epoch === m.epoch && x.event.seq === seq))
          this.events.push({ stream: m.stream, event: { seq, epoch: m.epoch, hidden: true } });
      }
    });
    this.socket.on("presence:update", (p) => this.presence.push(p));
    this.socket.onAny((name: string, payload: unknown) => {
      this.received.push({ name, payload });
      // onAny runs before the typed listeners above; check once they have recorded too.
      queueMicrotask(() => this.check());
    });
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once("connect", () => resolve());
      this.socket.once("connect_error", (err) => reject(err));
    });
  }

  // emitWithAck spelled with the callback form: under timeout() its return type is `any`, while
  // the callback's reply takes the type given (as in client/src/live/command.ts).
  send<T>(name: string, payload: unknown): Promise<Ack<T>> {
    return new Promise((resolve, reject) => {
      this.socket
        .timeout(10_000)
        .emit(name, payload, (err: Error | null, reply: Ack<T>) => (err ? reject(err) : resolve(reply)));
    });
  }

  /** Send and insist on success; returns the ack's data. */
  async ok<T>(name: string, payload: unknown): Promise<T> {
    const r = await this.send<T>(name, payload);
    if (!r.ok) throw new Error(`${name} refused: ${r.error.code} ${r.error.message}`);
    return r.data;
  }

  /** The latest presence this client was told for a person. */
  presenceOf(userId: string): string | undefined {
    return this.presence.filter((p) => p.userId === userId).at(-1)?.state;
  }

  /** Resolves when `test` holds, re-checked on every message; rejects after `ms`. */
  until(test: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      const waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  private check(): void {
    for (const w of [...this.waiters]) {
      if (w.test()) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve();
      }
    }
  }

  close(): void {
    this.socket.close();
  }
}

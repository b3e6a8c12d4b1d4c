import { io, type Socket } from "socket.io-client";
import { useSyncExternalStore } from "react";
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type PublicUser,
  type ServerToClientEvents,
} from "../../../shared/protocol/events.js";
import { fetchMe } from "../api.js";

export type HoldspaceSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectionState {
  connected: boolean;
  /** Who the server says we are on this connection (from `hello`). */
  user: PublicUser | null;
  /** serverTime − local time, so ages and countdowns follow the server's clock. */
  clockOffsetMs: number;
}

let socket: HoldspaceSocket | null = null;
let state: ConnectionState = { connected: false, user: null, clockOffsetMs: 0 };
const listeners = new Set<() => void>();
let onSignedOut: () => void = () => undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function setState(patch: Partial<ConnectionState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

/** Called when the server refuses the socket and /api/me confirms the cookie is gone. */
export function setSignedOutHandler(fn: () => void): void {
  onSignedOut = fn;
}

function create(): HoldspaceSocket {
  // One socket per tab, same origin, the session cookie authenticates the handshake.
  // WebSocket first because several nodes behind a load balancer need no sticky sessions for it;
  // long-polling stays as a fallback for networks that block WebSockets.
  const s: HoldspaceSocket = io({
    autoConnect: false,
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  s.on("connect", () => {
    setState({ connected: true });
  });
  s.on("disconnect", (reason) => {
    setState({ connected: false });
    // Socket.IO reconnects by itself except after a server-side disconnect (a node draining,
    // or a revoked session). Try again; if we were signed out the handshake will say so.
    if (reason === "io server disconnect") {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => s.connect(), 1000);
    }
  });
  s.on("hello", (h) => {
    if (h.protocol !== PROTOCOL_VERSION) reloadForNewProtocol();
    setState({ user: h.user, clockOffsetMs: Date.parse(h.serverTime) - Date.now() });
  });
  s.on("connect_error", () => {
    // While `active`, Socket.IO keeps retrying by itself. Inactive means the server refused the
    // handshake (middleware): find out whether we are signed out or it was a passing failure.
    if (s.active) return;
    void fetchMe().then((r) => {
      if (!r.ok && r.error.status === 401) {
        onSignedOut();
        return;
      }
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => s.connect(), 3000);
    });
  });
  return s;
}

/** A server speaking another protocol version means a deploy happened; reload once to match it. */
function reloadForNewProtocol(): void {
  const key = "holdspace:protocol-reload";
  if (sessionStorage.getItem(key)) return;
  sessionStorage.setItem(key, "1");
  window.location.reload();
}

export function getSocket(): HoldspaceSocket {
  socket ??= create();
  return socket;
}

export function startSocket(): void {
  const s = getSocket();
  if (!s.active) s.connect();
}

export function stopSocket(): void {
  clearTimeout(retryTimer);
  socket?.disconnect();
  socket?.removeAllListeners();
  socket = null;
  setState({ connected: false, user: null });
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useConnection(): ConnectionState {
  return useSyncExternalStore(subscribe, () => state);
}

/** Now, on the server's clock. */
export function serverNow(): number {
  return Date.now() + state.clockOffsetMs;
}

import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "../../shared/protocol/events.js";
import type { UserRecord } from "../auth/users.js";

/** What this process knows about one of its own sockets (gone with the socket; never shared truth). */
export interface SocketData {
  user: UserRecord;
  /** Live sessions this socket has joined, for presence on disconnect. */
  sessions: Set<string>;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no server-to-server events
export type InterServerEvents = {};
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

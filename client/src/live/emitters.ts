import type { Ack } from "../../../shared/protocol/errors.js";
import type { CommandName, CommandPayload, CommandReplies } from "../../../shared/protocol/events.js";
// Only the socket's type: this module stays free of the page's socket, so the chaos clients
// (tests/chaos/client.ts) send their commands through the same table.
import type { HoldspaceSocket } from "./socket.js";

/** How long one attempt waits for its ack before it counts as lost. */
export const ACK_TIMEOUT_MS = 8000;

type Emit<K extends CommandName> = (
  s: HoldspaceSocket,
  payload: CommandPayload<K>,
  ms: number,
) => Promise<Ack<CommandReplies[K]>>;

function settle<T>(resolve: (v: T) => void, reject: (e: Error) => void) {
  return (err: Error | null, reply: T): void => {
    if (err) reject(err);
    else resolve(reply);
  };
}

/*
 * This is `socket.timeout(ms).emitWithAck(...)` spelled with the callback form: in
 * socket.io-client 4.8 the emitWithAck return type under timeout() degrades to `any`,
 * while the callback form keeps the shared `Ack<T>` types. One entry per command keeps the
 * generic `K` sound without casts.
 */
export const emitters: { [K in CommandName]: Emit<K> } = {
  "session:open": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("session:open", p, settle(res, rej))),
  "session:join": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("session:join", p, settle(res, rej))),
  "session:leave": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("session:leave", p, settle(res, rej))),
  "checkin:send": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("checkin:send", p, settle(res, rej))),
  "stream:sync": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("stream:sync", p, settle(res, rej))),
  "presence:set": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("presence:set", p, settle(res, rej))),
  "support:request": (s, p, ms) =>
    new Promise((res, rej) => s.timeout(ms).emit("support:request", p, settle(res, rej))),
  "alert:ack": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("alert:ack", p, settle(res, rej))),
  "outcome:submit": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("outcome:submit", p, settle(res, rej))),
  "outcome:ack": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("outcome:ack", p, settle(res, rej))),
  "dose:record": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("dose:record", p, settle(res, rej))),
  "vitals:record": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("vitals:record", p, settle(res, rej))),
  "adverse:record": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("adverse:record", p, settle(res, rej))),
  "release:record": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("release:record", p, settle(res, rej))),
  "break:set": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("break:set", p, settle(res, rej))),
  "participant:admit": (s, p, ms) =>
    new Promise((res, rej) => s.timeout(ms).emit("participant:admit", p, settle(res, rej))),
  "live:context": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("live:context", p, settle(res, rej))),
  "session:close": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("session:close", p, settle(res, rej))),
  "circle:start": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("circle:start", p, settle(res, rej))),
  "circle:join": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("circle:join", p, settle(res, rej))),
  "circle:leave": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("circle:leave", p, settle(res, rej))),
  "circle:agree": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("circle:agree", p, settle(res, rej))),
  "circle:piece": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("circle:piece", p, settle(res, rej))),
  "circle:lock": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("circle:lock", p, settle(res, rej))),
  "circle:end": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("circle:end", p, settle(res, rej))),
  "notes:update": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("notes:update", p, settle(res, rej))),
  "notes:awareness": (s, p, ms) =>
    new Promise((res, rej) => s.timeout(ms).emit("notes:awareness", p, settle(res, rej))),
  "journal:write": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("journal:write", p, settle(res, rej))),
  "journal:share": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("journal:share", p, settle(res, rej))),
  "journal:unshare": (s, p, ms) =>
    new Promise((res, rej) => s.timeout(ms).emit("journal:unshare", p, settle(res, rej))),
  "fnote:save": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("fnote:save", p, settle(res, rej))),
  "time:ping": (s, p, ms) => new Promise((res, rej) => s.timeout(ms).emit("time:ping", p, settle(res, rej))),
};

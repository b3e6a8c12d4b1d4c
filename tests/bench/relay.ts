import { createServer } from "node:http";
import { Server } from "socket.io";

/**
 * The baseline the bench compares Holdspace with: a plain Socket.IO relay, what someone would
 * build instead. No auth, no validation, no durability, one process, in memory: a participant
 * emits a check-in with an ack, the relay acks it and broadcasts it to the room. It speaks the
 * same event names and reply shapes as Holdspace so the load generator drives both the same way.
 * First stdout line: `{"ready":true,"port":N}`.
 */

function field(payload: unknown, name: string): string {
  if (typeof payload === "object" && payload !== null && name in payload) {
    const v: unknown = Reflect.get(payload, name);
    if (typeof v === "string") return v;
  }
  return "";
}

const http = createServer();
const io = new Server(http, { serveClient: false });
const seqs = new Map<string, number>();

type Reply = (r: unknown) => void;
const noAck: Reply = () => undefined;
/** A Socket.IO acknowledgement: the client's callback, called with the one reply. */
const isReply = (a: unknown): a is Reply => typeof a === "function";
const ackOf = (a: unknown): Reply => (isReply(a) ? (r: unknown) => a(r) : noAck);

io.on("connection", (socket) => {
  socket.on("session:join", (payload: unknown, ack: unknown) => {
    const sessionId = field(payload, "sessionId");
    void socket.join(sessionId);
    ackOf(ack)({
      ok: true,
      data: {
        sessionId,
        sync: {
          stream: `session:${sessionId}`,
          epoch: "relay",
          reset: false,
          events: [],
          head: seqs.get(sessionId) ?? 0,
          more: false,
        },
      },
    });
  });
  socket.on("session:open", (payload: unknown, ack: unknown) => {
    ackOf(ack)({ ok: true, data: { sessionId: field(payload, "id"), seq: 1 } });
  });
  socket.on("checkin:send", (payload: unknown, ack: unknown) => {
    const sessionId = field(payload, "sessionId");
    const seq = (seqs.get(sessionId) ?? 0) + 1;
    seqs.set(sessionId, seq);
    ackOf(ack)({ ok: true, data: { seq } });
    io.to(sessionId).emit("stream:event", {
      stream: `session:${sessionId}`,
      event: {
        seq,
        epoch: "relay",
        id: field(payload, "id"),
        type: "checkin.recorded",
        actor: socket.id,
        at: new Date().toISOString(),
        data: payload,
      },
    });
  });
});

http.listen(0, "127.0.0.1", () => {
  const addr = http.address();
  const port = addr !== null && typeof addr === "object" ? addr.port : 0;
  process.stdout.write(JSON.stringify({ ready: true, port }) + "\n");
});

const stop = () => {
  void io.close();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

import { pool, openSocket, signIn } from "./gen-net.js";
import { burst, fill, join, joins, openSessions, step, type Crowd } from "./gen-phases.js";
import { Tracks, type Member } from "./gen-tracks.js";
import { Envelope, dist, type Person, type Request } from "./protocol.js";

/**
 * The bench's load generator, in its own process: real socket.io-client connections, one per
 * person, signed in over HTTP. Every time is taken with this process's clock: a check-in's send
 * time is kept in memory by its command id, and its latency is computed when that id arrives as
 * a `stream:event` on each facilitator's socket. Driven by tests/bench/run.ts over IPC; the
 * phases are in gen-phases.ts, the bookkeeping in gen-tracks.ts, the wire in gen-net.ts.
 */

let mode: "relay" | "holdspace" = "holdspace";
let urls: string[] = [];
let password = "";
const crowd: Crowd = {
  rooms: [],
  members: [],
  roomFacs: [],
  roomParts: [],
  tracks: new Tracks(),
  nonce: Math.random().toString(36).slice(2, 8),
  commands: 0,
};

function urlOf(p: Person, list = urls): string {
  return list[p.slot % list.length] ?? list[0] ?? "";
}

function closeAll(): void {
  for (const m of crowd.members) {
    m.socket?.close();
    m.socket = null;
  }
}

async function setup(req: Extract<Request, { type: "setup" }>) {
  mode = req.mode;
  urls = req.urls;
  password = req.password;
  crowd.rooms = req.rooms;
  crowd.members = req.people.map((person): Member => ({ person, cookie: null, socket: null, facIndex: -1 }));
  crowd.roomFacs = crowd.rooms.map(() => []);
  crowd.roomParts = crowd.rooms.map(() => []);
  for (const m of crowd.members) {
    if (m.person.role === "facilitator") {
      const list = crowd.roomFacs[m.person.room];
      if (list) {
        m.facIndex = list.length;
        list.push(m);
      }
    } else crowd.roomParts[m.person.room]?.push(m);
  }
  const signInMs: number[] = [];
  if (mode === "holdspace") {
    await pool(crowd.members, 8, async (m) => {
      const t0 = performance.now();
      m.cookie = await signIn(urlOf(m.person), m.person.email, password);
      signInMs.push(performance.now() - t0);
    });
  }
  return { signedIn: signInMs.length, signInMs: dist(signInMs) };
}

async function connect(req: Extract<Request, { type: "connect" }>) {
  if (req.urls) urls = req.urls;
  const chosen = crowd.members.filter(
    (m) => req.groups.includes(crowd.rooms[m.person.room]?.group ?? "main") && m.socket === null,
  );
  const joinErrors: Record<string, number> = {};
  const joinMs: number[] = [];
  let joinFailed = 0;
  await pool(chosen, 16, async (m) => {
    const socket = await openSocket(urlOf(m.person), m.cookie);
    m.socket = socket;
    if (m.facIndex >= 0) crowd.tracks.listen(m, socket);
    const t0 = performance.now();
    const r = await join(socket, crowd.rooms[m.person.room]?.sessionId ?? "", joinErrors);
    if (r.ok) joinMs.push(performance.now() - t0);
    else joinFailed++;
  });
  return { sockets: chosen.length, joinMs: dist(joinMs), joinErrors, joinFailed };
}

async function handle(req: Request): Promise<unknown> {
  switch (req.type) {
    case "setup":
      return setup(req);
    case "connect":
      return connect(req);
    case "step":
      return step(crowd, req.label, req.rate, req.durationMs);
    case "burst":
      return burst(crowd, req.rounds);
    case "open":
      return openSessions(crowd, req.count);
    case "fill":
      return fill(crowd, req.events);
    case "finish":
      return crowd.tracks.finish();
    case "close":
      closeAll();
      return {};
    case "joins":
      return joins(crowd, req.urls, req.count);
  }
}

let queue = Promise.resolve();
process.on("message", (raw: unknown) => {
  const env = Envelope.safeParse(raw);
  if (!env.success) return;
  queue = queue.then(async () => {
    try {
      process.send?.({ n: env.data.n, ok: true, result: await handle(env.data.request) });
    } catch (err) {
      process.send?.({ n: env.data.n, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
});
// The bench went away: nothing more to measure.
process.on("disconnect", () => {
  closeAll();
  process.exit(0);
});
process.send?.({ n: 0, ok: true, result: { ready: true } });

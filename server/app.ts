import { createServer, type Server as HttpServer } from "node:http";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import express from "express";
import { Server } from "socket.io";
import type { Adapter } from "socket.io-adapter";
import { PROTOCOL_VERSION } from "../shared/protocol/events.js";
import { AppError, ErrorCode } from "../shared/protocol/errors.js";
import { Users, publicUser } from "./auth/users.js";
import { systemClock, type Clock } from "./clock.js";
import { Directory, viewerOf } from "./domain/directory.js";
import { LiveListing } from "./domain/live-listing.js";
import { isStaff } from "../shared/domain/roles.js";
import { inboxRoom, replayNotices } from "./gateway/handlers/live-shared.js";
import { LIVE_CHECK_MS, SWEEP_MS, runLiveChecks, wakeChecks } from "./jobs/live-checks.js";
import { guardJob } from "./jobs/guard.js";
import { StreamService } from "./domain/stream-service.js";
import { handlers } from "./gateway/handlers/index.js";
import { mountHandlers } from "./gateway/handler.js";
import { createCommandLimits, type CommandLimits, type Who } from "./gateway/limits.js";
import { createSignInLimits, type SignInLimits } from "./auth/rate-limit.js";
import type { TrustProxySetting } from "./config.js";
import type { AppServer } from "./gateway/types.js";
import { apiRoutes } from "./http/api-routes.js";
import { authRoutes, sessionIdFromCookie, sessionRoom, setSessionCookie } from "./http/auth-routes.js";
import { adminRoutes, enrolRoutes } from "./http/admin-routes.js";
import { outcomeRoutes } from "./http/outcome-routes.js";
import { calendarFeedRoute, calendarRoutes } from "./http/calendar.js";
import { exportRoutes } from "./http/export-routes.js";
import { errorHandler, notFound, pathEncodingGuard } from "./http/errors.js";
import { noStore, securityHeaders, websocketOrigins } from "./http/security-headers.js";
import { FORBIDDEN_ORIGIN, localOrigins, originRefusal, refuseForeignOrigins } from "./http/origin.js";
import { errorKind, silentLogger, type Logger } from "./logger.js";
import { PRESENCE_TIMINGS, PresenceService } from "./presence/service.js";
import type { Services } from "./services.js";
import { AlertPush, type PushSettings } from "./push/alert-push.js";
import { DEFAULT_ENDPOINT_RULE } from "./push/endpoint-rule.js";
import { pushRoutes } from "./http/push-routes.js";
import type { Stores } from "./stores/types.js";

type AdapterFactory = (nsp: ConstructorParameters<typeof Adapter>[0]) => Adapter;

export interface AppDeps {
  stores: Stores;
  nodeId?: string;
  clock?: Clock;
  logger?: Logger;
  /** Socket.IO adapter for fan-out across nodes (Redis); in-memory when absent (one node). */
  adapter?: AdapterFactory;
  /** Built client to serve; omitted in API-only tests. */
  staticDir?: string | null;
  /** Run heartbeat and sweep on timers. Tests with a moved clock call `tick()` instead. */
  timers?: boolean;
  secureCookies?: boolean;
  /**
   * Command limits and the socket cap (issue 8). Default: in this process's memory, right for one
   * node; with more than one node pass `createCommandLimits({ kind: "redis", … })`.
   */
  limits?: CommandLimits;
  /** Web Push to staff devices (issue 11): off when absent or without VAPID keys. */
  push?: PushSettings;
  /**
   * Sign-in and link limits (issue 13). Default: in this process's memory, right for one node;
   * with more than one node pass `createSignInLimits({ kind: "redis", … })`.
   */
  signInLimits?: SignInLimits;
  /** Express `trust proxy` (TRUST_PROXY): false ignores X-Forwarded-For. */
  trustProxy?: TrustProxySetting;
  /**
   * [AC1] The origins whose pages may open a socket or change anything (`PUBLIC_URL`'s origin and
   * `ALLOWED_ORIGINS`, server/config.ts). Empty or absent: this server's own listening address,
   * `http://localhost:<port>` and `http://127.0.0.1:<port>`, known once it listens (dev, tests).
   */
  origins?: readonly string[];
}

export interface App {
  http: HttpServer;
  io: AppServer;
  services: Services;
  /** Web Push of alerts to staff devices (tests wait on `push.settled()`). */
  push: AlertPush;
  listen(port: number, host?: string): Promise<number>;
  /** One round of the periodic jobs (heartbeat + presence sweep). */
  tick(): Promise<void>;
  close(): Promise<void>;
}

/** The one wiring point: everything meets here, and tests build the same app with their own deps. */
export function createApp(deps: AppDeps): App {
  const nodeId = deps.nodeId ?? `node-${randomUUID().slice(0, 8)}`;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const app = express();
  const http = createServer(app);
  // Filled in at listen() when nothing is configured: the port is only known then (port 0).
  let allowedOrigins: ReadonlySet<string> = new Set(deps.origins ?? []);
  const io: AppServer = new Server(http, {
    maxHttpBufferSize: 256 * 1024,
    serveClient: false,
    // [AC1] A page on another origin (a sibling subdomain included) never gets a socket, whatever
    // cookie its browser sends along. Refused before any Socket.IO session exists: HTTP 403 (polling)
    // or a closed upgrade (websocket), the stable code first in the message.
    allowRequest: (req, callback) => {
      const refused = originRefusal(req.headers, allowedOrigins) !== null;
      callback(refused ? `${ErrorCode.FORBIDDEN}: ${FORBIDDEN_ORIGIN}` : null, !refused);
    },
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });
  const users = new Users(deps.stores.kv);
  // [LIVE6] An alert (or anything that moves the ratio) makes its session's checks due at once.
  // Web Push of the same alerts, started here and never awaited: whichever path appended them
  // (a command, or the due-job escalation of any node after a crash), off the command's path.
  const streams = new StreamService(deps.stores.log, clock, async (kind, id, events) => {
    await wakeChecks({ stores: deps.stores, clock }, kind, id, events);
    push.afterAppend(kind, id, events);
  });
  const directory = new Directory(streams, users);
  const presence = new PresenceService({
    store: deps.stores.presence,
    due: deps.stores.due,
    streams,
    users,
    io,
    clock,
    nodeId,
  });
  const listing = new LiveListing(streams, deps.stores.due, clock);
  const services: Services = {
    nodeId,
    clock,
    log: deps.stores.log,
    stores: deps.stores,
    users,
    streams,
    directory,
    presence,
    listing,
    io,
    logger,
  };
  const push = new AlertPush(services, deps.push ?? { vapid: null, rule: DEFAULT_ENDPOINT_RULE });
  const limits = deps.limits ?? createCommandLimits({ kind: "memory" }, { logger });
  if (deps.stores.kind === "redis" && limits.kind === "memory")
    logger.warn("command limits are counted per node: pass a Redis-backed limiter when running more than one node");
  const signInLimits = deps.signInLimits ?? createSignInLimits({ kind: "memory" });
  if (deps.stores.kind === "redis" && signInLimits.kind === "memory")
    logger.warn("sign-in limits are counted per node: pass a Redis-backed limiter when running more than one node");
  const heldSockets = (): Who[] =>
    [...io.of("/").sockets.values()].map((s) => ({ userId: s.data.user.id, socketId: s.id }));

  app.disable("x-powered-by");
  // [AC1] The client address of the per-address sign-in limits (server/http/auth-routes.ts clientIp).
  app.set("trust proxy", deps.trustProxy ?? false);
  // CSP, no framing, nosniff, no Referer (server/http/security-headers.ts); the socket may connect
  // back to any allowed origin.
  app.use(securityHeaders(() => websocketOrigins(allowedOrigins)));
  app.use(["/api", "/calendar"], noStore);
  // [AC5] A path that does not decode is refused before any route reads it (400, not an error).
  app.use(pathEncodingGuard);
  // [AC1] Before the body is even read: a foreign page's POST/PUT/PATCH/DELETE changes nothing.
  app.use(
    "/api",
    refuseForeignOrigins(() => allowedOrigins),
  );
  app.use(express.json({ limit: "16kb" }));
  app.get("/healthz", async (_req, res) => {
    const up = await deps.stores.ping().catch(() => false);
    res.status(up ? 200 : 503).json({
      ok: up,
      store: deps.stores.kind,
      nodeId,
      redis: deps.stores.kind === "redis" ? (up ? "up" : "down") : "not used",
    });
  });
  app.use("/api/auth", authRoutes(services, { secureCookies: deps.secureCookies ?? false, limits: signInLimits }));
  // Enrolment links work before sign-in, so they come ahead of the signed-in routes.
  app.use(
    "/api/auth",
    enrolRoutes(
      services,
      async (res, userId) => setSessionCookie(res, await users.startSession(userId), deps.secureCookies ?? false),
      signInLimits,
    ),
  );
  app.use("/api/push", pushRoutes(services, push));
  app.use("/api", apiRoutes(services));
  app.use("/api", adminRoutes(services));
  app.use("/api", outcomeRoutes(services));
  app.use("/api", calendarRoutes(services));
  app.use("/api", exportRoutes(services));
  app.use("/api", notFound);
  app.use("/calendar", calendarFeedRoute(services));
  const staticDir = deps.staticDir;
  if (staticDir && existsSync(staticDir)) {
    app.use(express.static(staticDir, { index: false }));
    // Client-side routes: every other GET gets the app shell.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => res.sendFile(join(staticDir, "index.html")));
  }
  app.use(notFound);
  app.use(errorHandler(logger));

  // [AC1] The socket's identity comes from the server-side session named by the cookie.
  io.use((socket, next) => {
    users.fromSession(sessionIdFromCookie(socket.request.headers.cookie)).then(
      (user) => {
        if (!user) return next(new Error(ErrorCode.UNAUTHENTICATED));
        socket.data.user = user;
        socket.data.sessions = new Set();
        next();
      },
      () => next(new Error(ErrorCode.UNAVAILABLE)),
    );
  });
  // Issue 8: at most `socketsPerPerson` sockets per person, counted across nodes; the readable
  // sentence travels in `data` (Socket.IO's connect_error), the stable code in `message`.
  io.use((socket, next) => {
    limits.openSocket({ userId: socket.data.user.id, socketId: socket.id }).then(
      () => next(),
      (err: unknown) =>
        next(
          err instanceof AppError
            ? Object.assign(new Error(err.code), { data: err.toShape() })
            : new Error(ErrorCode.UNAVAILABLE),
        ),
    );
  });
  const table = handlers(services);
  io.on("connection", (socket) => {
    socket.emit("hello", {
      protocol: PROTOCOL_VERSION,
      nodeId,
      serverTime: new Date(clock.now()).toISOString(),
      user: publicUser(socket.data.user),
    });
    mountHandlers(socket, table, logger, limits);
    const sid = sessionIdFromCookie(socket.request.headers.cookie);
    // join() is typed as maybe a promise for adapters that join remotely; both adapters here (in
    // memory, @socket.io/redis-adapter) join synchronously, so there is no rejection to handle.
    if (sid) void socket.join(sessionRoom(sid));
    // [LIVE3][LIVE6] Staff hear escalations and ratio alerts wherever they are in the app.
    if (isStaff(viewerOf(socket.data.user))) {
      void socket.join(inboxRoom(socket.data.user.id));
      // …including those escalated while this person was disconnected (a node restart).
      replayNotices(services, socket).catch((err: unknown) =>
        logger.warn("alert notice replay failed", { error: errorKind(err) }),
      );
    }
    socket.on("disconnect", () => {
      // Never rejects: a store failure fails open, logged inside (gateway/limits.ts `guarded`).
      void limits.closeSocket({ userId: socket.data.user.id, socketId: socket.id });
      for (const sessionId of socket.data.sessions) {
        presence
          .disconnect(sessionId, socket.data.user.id, socket.id)
          .catch((err: unknown) => logger.warn("presence disconnect failed", { error: errorKind(err) }));
      }
    });
  });

  const tick = async () => {
    await presence.heartbeat();
    await presence.sweep();
    await runLiveChecks(services, { sweep: true });
  };
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, job: () => Promise<void>, name: string) => {
    // Guarded: a slow store never stacks overlapping runs, and a failure is logged, not thrown.
    const guarded = guardJob(job, (err: unknown) => logger.warn(`${name} failed`, { error: errorKind(err) }));
    const t = setInterval(() => {
      guarded.beat();
    }, ms);
    t.unref();
    timers.push(t);
  };

  return {
    http,
    io,
    services,
    push,
    async listen(port, host = "0.0.0.0") {
      await new Promise<void>((resolve, reject) => {
        http.once("error", reject);
        http.listen(port, host, () => resolve());
      });
      const addr = http.address();
      if (addr === null || typeof addr === "string") throw new Error("server has no TCP address");
      if (allowedOrigins.size === 0) allowedOrigins = new Set(localOrigins(addr.port));
      await presence.heartbeat();
      if (deps.timers !== false) {
        every(PRESENCE_TIMINGS.heartbeatMs, () => presence.heartbeat(), "heartbeat");
        every(PRESENCE_TIMINGS.sweepMs, () => presence.sweep(), "presence sweep");
        every(LIVE_CHECK_MS, () => runLiveChecks(services, { detach: true }), "live checks");
        every(SWEEP_MS, () => runLiveChecks(services, { sweep: true }), "live sweep");
        // At start too: every listed session is due once, so nothing waits on an index entry
        // another node's crash or a Redis restart lost.
        guardJob(
          () => runLiveChecks(services, { sweep: true }),
          (err: unknown) => logger.warn("live sweep failed", { error: errorKind(err) }),
        ).beat();
        every(limits.settings.socketRefreshMs, () => limits.refreshSockets(heldSockets()), "socket count refresh");
      }
      return addr.port;
    },
    tick,
    async close() {
      for (const t of timers) clearInterval(t);
      io.disconnectSockets(true);
      await io.close();
      // Pushes already started finish (each has a 5 s deadline) before the stores close under them.
      await push.settled();
    },
  };
}

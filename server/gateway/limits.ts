import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { CheckinSend } from "../../shared/protocol/commands.js";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import type { CommandName } from "../../shared/protocol/events.js";
import { silentLogger, type Logger } from "../logger.js";
import type { RedisClient } from "../stores/redis/client.js";
import { memorySocketCount, redisSocketCount, type Who } from "./socket-count.js";

/**
 * Limits per socket and per person on socket commands (issue 8, finding 5; docs/decisions.md
 * "Write path (issue 8)"). A socket lives on one node, so its counts are in this process's memory;
 * a person's count spans their sockets on every node, so it is in Redis when the stores are.
 */

/** `points` a `durationS` window, plus `burst` more once per `burstDurationS` (BurstyRateLimiter). */
export interface Rate {
  points: number;
  durationS: number;
  burst: number;
  burstDurationS: number;
}

export interface LimitSettings {
  /** Everything not named below: writes and reads a person makes by hand. */
  commands: { socket: Rate; person: Rate };
  /** Machine-paced traffic: Yjs updates and awareness while typing, clock pings, sync pages. */
  chatty: { socket: Rate; person: Rate };
  /** Never refused. Past this rate a socket's safety commands run one at a time instead. */
  safety: { socket: Rate };
  /** Safety commands one socket may have waiting in its one-at-a-time lane before it is dropped. */
  safetyQueueMax: number;
  /**
   * Refusals in a row after which a socket is disconnected. A real client backs off after a
   * RATE_LIMITED (0.5 s, doubling), so it never gets near this; a flood costs the server its
   * per-message work (~50 µs, measured) for as long as the connection stays open.
   */
  disconnectAfterRefusals: number;
  /** New sockets per person (reloads, reconnects), across nodes. */
  connects: Rate;
  /** Concurrent sockets of one person, across all nodes. */
  socketsPerPerson: number;
  /** A socket's entry in the count expires unless its node refreshes it (a dead node frees its people). */
  socketTtlMs: number;
  socketRefreshMs: number;
  /** A limiter call slower than this lets the command through (fail open). */
  storeTimeoutMs: number;
}

/**
 * A phone sends a handful of commands a minute; a reconnecting tab ~5 at once; typing in the notes
 * ~10 updates and ~3 awareness messages a second (one update in flight at a time); five clock
 * pings at connect; sync pages one after another. The numbers below are 4–10× that.
 */
export const LIMITS: LimitSettings = {
  commands: {
    socket: { points: 20, durationS: 1, burst: 20, burstDurationS: 10 },
    person: { points: 40, durationS: 1, burst: 40, burstDurationS: 10 },
  },
  chatty: {
    socket: { points: 50, durationS: 1, burst: 50, burstDurationS: 10 },
    person: { points: 100, durationS: 1, burst: 100, burstDurationS: 10 },
  },
  safety: { socket: { points: 10, durationS: 1, burst: 10, burstDurationS: 10 } },
  safetyQueueMax: 256,
  disconnectAfterRefusals: 200,
  connects: { points: 10, durationS: 10, burst: 10, burstDurationS: 60 },
  socketsPerPerson: 10,
  socketTtlMs: 30_000,
  socketRefreshMs: 10_000,
  storeTimeoutMs: 250,
};

export type Budget = "commands" | "chatty" | "safety";

const CHATTY: ReadonlySet<CommandName> = new Set<CommandName>([
  "notes:update",
  "notes:awareness",
  "time:ping",
  "stream:sync",
]);
/** [LIVE6][OUT2] Asking for help and answering it are never refused — a questionnaire may be asking. */
const SAFETY: ReadonlySet<CommandName> = new Set<CommandName>([
  "support:request",
  "alert:ack",
  "outcome:submit",
  "outcome:ack",
]);

/** Which budget a command spends. A valid `need_support` check-in is a request for help [LIVE6]. */
export function budgetOf(command: CommandName, payload: unknown): Budget {
  if (SAFETY.has(command)) return "safety";
  // The cheap look first: a flood of ordinary check-ins is not parsed twice.
  if (
    command === "checkin:send" &&
    typeof payload === "object" &&
    payload !== null &&
    "status" in payload &&
    payload.status === "need_support"
  ) {
    if (CheckinSend.safeParse(payload).success) return "safety";
  }
  return CHATTY.has(command) ? "chatty" : "commands";
}

export type { Who };

/** "run" now, or "serialize": a safety command over its rate, run after this socket's previous ones. */
export type Admission = "run" | "serialize";

export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    // The ack shape has no retry field; `fields` carries it so a client can read it without parsing prose.
    super(ErrorCode.RATE_LIMITED, message, { retryAfterMs: String(retryAfterMs) });
  }
}

export interface CommandLimits {
  readonly kind: "memory" | "redis";
  readonly settings: LimitSettings;
  /** Throws RateLimitedError for a command over its budget; safety commands are never refused. */
  admit(who: Who, command: CommandName, payload: unknown): Promise<Admission>;
  /** Count a new socket of this person; throws RateLimitedError at the cap. */
  openSocket(who: Who): Promise<void>;
  closeSocket(who: Who): Promise<void>;
  /** Keep the entries of the sockets this node still holds from expiring. */
  refreshSockets(held: readonly Who[]): Promise<void>;
}

export type LimitsStore = { kind: "memory" } | { kind: "redis"; client: RedisClient; prefix: string };

export interface LimitsOptions {
  settings?: Partial<LimitSettings>;
  logger?: Logger;
  /** Clock of the socket entries' expiry; tests move it to play a node that died. */
  now?: () => number;
}

interface Limiter {
  consume(key: string): Promise<RateLimiterRes>;
}

/** Resolves null when within the limit, the limiter's answer when over; store errors reject. */
async function over(limiter: Limiter, key: string): Promise<RateLimiterRes | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (err) {
    if (err instanceof RateLimiterRes) return err;
    throw err;
  }
}

function storeErrorCode(err: unknown): { id: string } {
  if (err instanceof Error) return { id: "code" in err && typeof err.code === "string" ? err.code : err.name };
  return { id: typeof err };
}

const seconds = (ms: number) => (Math.max(100, ms) / 1000).toFixed(1);

export function createCommandLimits(store: LimitsStore, opts: LimitsOptions = {}): CommandLimits {
  const settings: LimitSettings = { ...LIMITS, ...opts.settings };
  const log = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;

  const memory = (name: string, r: Rate): Limiter =>
    new BurstyRateLimiter(
      new RateLimiterMemory({ keyPrefix: name, points: r.points, duration: r.durationS }),
      new RateLimiterMemory({ keyPrefix: `${name}-burst`, points: r.burst, duration: r.burstDurationS }),
    );
  const shared = (name: string, r: Rate): Limiter => {
    if (store.kind === "memory") return memory(name, r);
    const redis = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: store.client,
        useRedisPackage: true, // node-redis v4+ (here v6): eval(script, { keys, arguments })
        rejectIfRedisNotReady: true, // while reconnecting, fail open now instead of queueing
        keyPrefix: `${store.prefix}rl:${keyPrefix}`,
        points,
        duration,
        // Once over, this node refuses locally until the window ends: a flood costs no Redis calls.
        inMemoryBlockOnConsumed: points + 1,
      });
    return new BurstyRateLimiter(redis(name, r.points, r.durationS), redis(`${name}-burst`, r.burst, r.burstDurationS));
  };

  const perSocket = {
    commands: memory("socket-commands", settings.commands.socket),
    chatty: memory("socket-chatty", settings.chatty.socket),
  };
  /**
   * A socket over its budget is refused from this map until its window ends, with one error made
   * when it went over: measured, a flood of 20,000 cost ~30 µs a refusal through the limiter and
   * the error's stack; from the map it costs a lookup. The limiter still decides every admission.
   */
  const socketBlocks = new Map<string, { until: number; error: RateLimitedError }>();
  const perPerson = {
    commands: shared("person-commands", settings.commands.person),
    chatty: shared("person-chatty", settings.chatty.person),
  };
  const safetySocket = memory("socket-safety", settings.safety.socket);
  const connects = shared("person-connects", settings.connects);

  // A Redis hiccup must never block anyone: the command goes through and one warning per 10 s says so.
  let failures = 0;
  let lastWarn = 0;
  const failOpen = (what: string, err: unknown) => {
    failures++;
    if (Date.now() - lastWarn < 10_000) return;
    log.warn(`${what} failed; letting it through (fail open)`, { error: storeErrorCode(err), failures });
    lastWarn = Date.now();
    failures = 0;
  };
  const guarded = async <T>(what: string, fallback: T, run: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("LIMITER_TIMEOUT")), settings.storeTimeoutMs);
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (err) {
      failOpen(what, err);
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  };

  const per = (n: number, s: number) => `${n} ${s === 1 ? "a second" : `in ${s} s`}`;
  const rateText = (r: Rate) => `at most ${per(r.points, r.durationS)} (${r.points + r.burst} in a burst)`;
  const sockets =
    store.kind === "redis"
      ? redisSocketCount(store.client, store.prefix, settings, now)
      : memorySocketCount(settings, now);

  return {
    kind: store.kind,
    settings,
    async admit(who, command, payload) {
      const budget = budgetOf(command, payload);
      if (budget === "safety") return (await over(safetySocket, who.socketId)) ? "serialize" : "run";
      const blockKey = `${budget}|${who.socketId}`;
      const block = socketBlocks.get(blockKey);
      if (block && block.until > Date.now()) throw block.error;
      const socketOver = await over(perSocket[budget], who.socketId);
      if (socketOver) {
        const error = new RateLimitedError(
          `Too many requests on this connection: ${rateText(settings[budget].socket)}. Please wait ${seconds(socketOver.msBeforeNext)} s and try again.`,
          socketOver.msBeforeNext,
        );
        socketBlocks.set(blockKey, { until: Date.now() + socketOver.msBeforeNext, error });
        throw error;
      }
      socketBlocks.delete(blockKey);
      const personOver = await guarded("per-person command limit", null, () => over(perPerson[budget], who.userId));
      if (personOver) {
        throw new RateLimitedError(
          `Too many requests from your account (all your tabs and devices together): ${rateText(settings[budget].person)}. Please wait ${seconds(personOver.msBeforeNext)} s and try again.`,
          personOver.msBeforeNext,
        );
      }
      return "run";
    },
    async openSocket(who) {
      const tooFast = await guarded("connect limit", null, () => over(connects, who.userId));
      if (tooFast) {
        throw new RateLimitedError(
          `Too many new connections from your account: at most ${per(settings.connects.points, settings.connects.durationS)}. This page reconnects by itself in ${seconds(tooFast.msBeforeNext)} s.`,
          tooFast.msBeforeNext,
        );
      }
      const count = await guarded("socket count", 0, () => sockets.acquire(who));
      if (count > 0) {
        throw new RateLimitedError(
          `You have ${count} Holdspace windows or devices connected; at most ${settings.socketsPerPerson} at once. Close one and this one connects by itself.`,
          settings.socketRefreshMs,
        );
      }
    },
    async closeSocket(who) {
      for (const budget of ["commands", "chatty"]) socketBlocks.delete(`${budget}|${who.socketId}`);
      await guarded("socket count release", undefined, () => sockets.release(who));
    },
    async refreshSockets(held) {
      await guarded("socket count refresh", undefined, () => sockets.refresh(held));
    },
  };
}

import type { z, ZodError } from "zod";
import { AppError, ErrorCode, type Ack, type AppErrorShape } from "../../shared/protocol/errors.js";
import { Commands, MAX_COMMAND_BYTES, type CommandName, type CommandReplies } from "../../shared/protocol/events.js";
import { errorKind, type Logger } from "../logger.js";
import { RateLimitedError, type CommandLimits } from "./limits.js";
import type { AppSocket } from "./types.js";

/** A command bound to its schema: it parses before anything else runs. */
export interface CommandRunner<R> {
  run(payload: unknown, socket: AppSocket): Promise<R>;
}

export type HandlerTable = { [K in CommandName]: CommandRunner<CommandReplies[K]> };
/** The handlers one feature module contributes; `handlers/index.ts` joins them into a HandlerTable. */
export type FeatureHandlers<K extends CommandName> = Pick<HandlerTable, K>;

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(Commands, name);
}

/** Field problems as `{ "path.to.field": "message" }` for forms. */
export function zodFields(err: ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of err.issues) {
    const key = issue.path.map(String).join(".") || "(payload)";
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * The JSON text of a payload, or `undefined` for one JSON cannot carry (an absent payload, a
 * function): lib.d.ts types `JSON.stringify` as always returning a string, which it does not.
 */
function jsonText(payload: unknown): string | undefined {
  return JSON.stringify(payload);
}

/** A Socket.IO acknowledgement: the client's callback, called with the one reply. */
function isAckCallback(value: unknown): value is (reply: Ack<unknown>) => void {
  return typeof value === "function";
}

/** [AC5] Parse with the shared schema or refuse with a stable code; nothing is written on refusal. */
export function parseWith<S extends z.ZodType>(schema: S, payload: unknown, maxBytes = MAX_COMMAND_BYTES): z.output<S> {
  let size: number;
  try {
    size = Buffer.byteLength(jsonText(payload) ?? "");
  } catch {
    throw new AppError(ErrorCode.INVALID_PAYLOAD, "The request could not be read.");
  }
  if (size > maxBytes)
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The request is ${size} bytes; the most accepted is ${maxBytes}.`);
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const fields = zodFields(parsed.error);
    const first = Object.entries(fields)[0];
    throw new AppError(
      ErrorCode.INVALID_PAYLOAD,
      first ? `Invalid request: ${first[0]}: ${first[1]}` : "Invalid request.",
      fields,
    );
  }
  return parsed.data;
}

/** Bind a handler to its schema: handlers only ever see parsed input. */
export function command<S extends z.ZodType, R>(
  schema: S,
  fn: (payload: z.output<S>, socket: AppSocket) => Promise<R>,
): CommandRunner<R> {
  // async so a refusal in parsing becomes a rejected promise, never a throw inside the socket listener.
  return { run: async (payload, socket) => fn(parseWith(schema, payload), socket) };
}

export function toErrorShape(err: unknown, log: Logger, name: string): AppErrorShape {
  if (err instanceof AppError) return err.toShape();
  log.error("command failed", { command: { id: name }, error: errorKind(err) });
  return {
    code: ErrorCode.UNAVAILABLE,
    message: "The server could not complete this just now. It is safe to try again.",
  };
}

/**
 * Safety commands past their rate run one after another on this socket: never refused [LIVE6],
 * never many at once (a flood of "I need support" must not become finding 5 again). A phone sends
 * one at a time, so a socket with `max` waiting is not a phone: it is disconnected and its queue
 * dropped (a real client resends with the same ids after reconnecting [LOG2]).
 */
function serialLane(max: number, overflow: () => void) {
  let tail: Promise<void> = Promise.resolve();
  let waiting = 0;
  let dropped = false;
  return <T>(job: () => Promise<T>): Promise<T> => {
    if (waiting >= max && !dropped) {
      dropped = true;
      overflow();
    }
    waiting++;
    const result = tail.then(() =>
      dropped ? Promise.reject(new AppError(ErrorCode.UNAVAILABLE, "The connection was closed.")) : job(),
    );
    tail = result
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        waiting--;
      });
    return result;
  };
}

/**
 * The longest a person waits for an answer (issue 9). The stores run without a per-call timeout
 * (stores/redis/client.ts), so this one timer per command is what turns a Redis outage or
 * overload into a clear "try again" — before the app's own ack timeout (8 s) — while the command
 * itself carries on and lands at most once: the retry, with the same id, gets its answer [LOG2].
 */
export const COMMAND_DEADLINE_MS = 7000;

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            ErrorCode.UNAVAILABLE,
            "The server is taking too long with this just now. It is safe to try again: nothing is done twice.",
          ),
        ),
      ms,
    );
  });
  work.catch(() => undefined); // answered by the race below, or too late to answer anyone
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * The gateway's one shape for every command: limits → parse → handler (authorize, decide, append,
 * broadcast) → ack. Every event name not in the table is refused [AC5]; a command over its
 * socket's or person's budget is refused with RATE_LIMITED before anything runs (issue 8).
 */
export function mountHandlers(socket: AppSocket, handlers: HandlerTable, log: Logger, limits: CommandLimits): void {
  const lane = serialLane(limits.settings.safetyQueueMax, () => {
    log.warn("socket disconnected: too many safety commands waiting", {
      socket: { id: socket.id },
      user: { id: socket.data.user.id },
    });
    socket.disconnect(true);
  });
  // A client that keeps sending after RATE_LIMITED is not backing off: past the limit it is
  // disconnected, so a flood stops costing this node per-message work (issue 8, finding 5).
  let refusedInRow = 0;
  const refused = (err: unknown) => {
    if (!(err instanceof RateLimitedError)) return;
    refusedInRow++;
    if (refusedInRow !== limits.settings.disconnectAfterRefusals) return;
    log.warn("socket disconnected: kept sending while rate limited", {
      socket: { id: socket.id },
      user: { id: socket.data.user.id },
      refused: refusedInRow,
    });
    socket.disconnect(true);
  };
  socket.onAny((name: unknown, ...args: unknown[]) => {
    const ack = args.at(-1);
    const hasAck = isAckCallback(ack);
    const reply = (r: Ack<unknown>) => {
      if (hasAck) ack(r);
      else if (!r.ok) socket.emit("error:protocol", r.error);
    };
    if (typeof name !== "string" || !isCommandName(name)) {
      reply({
        ok: false,
        error: {
          code: ErrorCode.UNKNOWN_EVENT,
          message: `The server does not know the event "${String(name).slice(0, 60)}".`,
        },
      });
      return;
    }
    const payload = hasAck && args.length === 1 ? undefined : args[0];
    const runner: CommandRunner<unknown> = handlers[name];
    limits
      .admit({ userId: socket.data.user.id, socketId: socket.id }, name, payload)
      .then(
        (admission) => {
          refusedInRow = 0;
          const run = () => withDeadline(runner.run(payload, socket), COMMAND_DEADLINE_MS);
          return admission === "serialize" ? lane(run) : run();
        },
        (err: unknown) => {
          refused(err);
          throw err;
        },
      )
      .then(
        (data) => reply({ ok: true, data }),
        (err: unknown) => reply({ ok: false, error: toErrorShape(err, log, name) }),
      );
  });
}

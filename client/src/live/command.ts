import type { Ack } from "../../../shared/protocol/errors.js";
import type { CommandName, CommandPayload, CommandReplies } from "../../../shared/protocol/events.js";
import { backoffMs, isRetryable } from "./retry.js";
import { ACK_TIMEOUT_MS, emitters } from "./emitters.js";
import { getSocket } from "./socket.js";

/**
 * One attempt on the current connection. Rejects on timeout, and at once if the connection
 * drops: an ack can only come back on the connection that carried the command.
 */
export function request<K extends CommandName>(
  name: K,
  payload: CommandPayload<K>,
  ms = ACK_TIMEOUT_MS,
): Promise<Ack<CommandReplies[K]>> {
  const s = getSocket();
  if (!s.connected) return Promise.reject(new Error("Not connected."));
  return new Promise((resolve, reject) => {
    const onDrop = (): void => {
      reject(new Error("Connection dropped before the reply."));
    };
    s.once("disconnect", onDrop);
    emitters[name](s, payload, ms)
      .then(resolve, reject)
      .finally(() => s.off("disconnect", onDrop));
  });
}

function waitConnected(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = getSocket();
    if (s.connected) {
      resolve();
      return;
    }
    const onConnect = (): void => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    };
    const onAbort = (): void => {
      s.off("connect", onConnect);
      reject(new Error("Cancelled."));
    };
    s.once("connect", onConnect);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Error("Cancelled."));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Commands whose payload carries a client-made id. */
export type IdCommand = "session:open" | "checkin:send" | LiveIdCommand | CircleIdCommand | OutcomeIdCommand;
/** The questionnaire commands (issue 12, shared/protocol/outcomes.ts). */
type OutcomeIdCommand = "outcome:submit" | "outcome:ack";
/** Circle commands that carry an id (issue 5). */
type CircleIdCommand =
  | "circle:start"
  | "circle:agree"
  | "circle:piece"
  | "circle:lock"
  | "circle:end"
  | "notes:update"
  | "journal:write"
  | "journal:share"
  | "journal:unshare"
  | "fnote:save";
/** The dosing-day commands (shared/protocol/live.ts); each carries its own id. */
type LiveIdCommand =
  | "support:request"
  | "alert:ack"
  | "dose:record"
  | "vitals:record"
  | "adverse:record"
  | "release:record"
  | "break:set"
  | "participant:admit"
  | "session:close";

export interface SentCommand<T> {
  /** The id every attempt carries. */
  id: string;
  /** Settles with the server's ack: the data, or a refusal that retrying would not change. */
  result: Promise<Ack<T>>;
}

/**
 * [LOG2] Make the command's id once, then send it until an ack arrives: across timeouts,
 * dropped connections and reconnects, with growing pauses. A pending "I need support" must
 * reach the server even if the network flaps for minutes [LIVE6].
 */
export function sendCommand<K extends IdCommand>(
  name: K,
  build: (id: string) => CommandPayload<K>,
  opts: { signal?: AbortSignal; id?: string } = {},
): SentCommand<CommandReplies[K]> {
  // A caller may bring an id it kept (e.g. a support request saved across a reload) [LIVE6].
  const id = opts.id ?? crypto.randomUUID();
  const payload = build(id);
  const run = async (): Promise<Ack<CommandReplies[K]>> => {
    for (let attempt = 0; ; attempt++) {
      if (opts.signal?.aborted) throw new Error("Cancelled.");
      await waitConnected(opts.signal);
      try {
        const ack = await request(name, payload);
        // Refusals that say "try again later", not "no"; the same id makes a retry safe [LOG2].
        if (ack.ok || !isRetryable(ack.error.code)) return ack;
      } catch {
        // Timed out or the connection dropped: the command may or may not have landed.
        // Sending the same id again is safe either way.
      }
      await sleep(backoffMs(attempt), opts.signal);
    }
  };
  return { id, result: run() };
}

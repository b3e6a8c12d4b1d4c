import { io, type Socket } from "socket.io-client";
import { z } from "zod";

/**
 * The load generator's wire: sign-in over HTTP, socket.io-client connections and commands with
 * an ack deadline, each answer reduced to ok or one error code. Nothing here keeps state.
 */

const ACK_TIMEOUT_MS = 5_000;
export const MAX_ATTEMPTS = 3;
const CONNECT_TIMEOUT_MS = 10_000;
/** What a phone would retry with the same id (protocol.md); everything else is final. */
export const RETRYABLE = new Set(["CONFLICT", "UNAVAILABLE", "RATE_LIMITED", "TIMEOUT", "DISCONNECTED"]);

const AckReply = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export type Outcome = { ok: true; data: unknown } | { ok: false; code: string };

export const count = (rec: Record<string, number>, key: string) => (rec[key] = (rec[key] ?? 0) + 1);

export async function emitAck(
  socket: Socket | null,
  name: string,
  payload: unknown,
  ms = ACK_TIMEOUT_MS,
): Promise<Outcome> {
  if (!socket || !socket.connected) return { ok: false, code: "DISCONNECTED" };
  let raw: unknown;
  try {
    raw = await socket.timeout(ms).emitWithAck(name, payload);
  } catch {
    // `disconnected`, not `connected`: the check above narrowed `connected` to true, and the type
    // checker cannot see the socket drop while the ack was awaited.
    return { ok: false, code: socket.disconnected ? "DISCONNECTED" : "TIMEOUT" };
  }
  const r = AckReply.safeParse(raw);
  if (!r.success) return { ok: false, code: "BAD_REPLY" };
  return r.data.ok ? { ok: true, data: r.data.data } : { ok: false, code: r.data.error.code };
}

/** `fn` over `items`, at most `limit` at a time. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let guard = 0; guard <= items.length && next < items.length; guard++) {
      const i = next++;
      const item = items[i];
      if (item !== undefined) await fn(item, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function signIn(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`sign-in refused with HTTP ${res.status}`);
  const cookie = res.headers.get("set-cookie");
  if (!cookie) throw new Error("sign-in gave no session cookie");
  return cookie.split(";")[0] ?? "";
}

export function openSocket(url: string, cookie: string | null): Promise<Socket> {
  const socket = io(url, {
    transports: ["websocket"],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("connect timed out"));
    }, CONNECT_TIMEOUT_MS + 1000);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("connect_error", (err: Error) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(`connect refused: ${err.message.slice(0, 40)}`));
    });
  });
}

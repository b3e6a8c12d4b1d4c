import { request } from "node:http";

/**
 * HTTP from a chosen loopback address (127.0.0.x: Linux routes all of 127/8 to this host), so a
 * test can be two people on two networks without a proxy, and with an X-Forwarded-For when asked.
 */
export interface From {
  /** Local address the request leaves from; default 127.0.0.1. */
  from?: string;
  /** An X-Forwarded-For header, as a proxy (or a client pretending) sends it. */
  xff?: string;
}

export interface Reply {
  status: number;
  json: Record<string, unknown>;
  /** The Retry-After header in seconds, or null. */
  retryAfter: number | null;
}

export function call(base: string, method: string, path: string, body: unknown, at: From = {}): Promise<Reply> {
  const url = new URL(path, base);
  const data = body === undefined ? "" : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress: at.from ?? "127.0.0.1",
        // A fresh connection each time: keep-alive would reuse another address's socket.
        agent: false,
        headers: {
          ...(data ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(data)) } : {}),
          ...(at.xff ? { "x-forwarded-for": at.xff } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const parsed: unknown = text ? JSON.parse(text) : {};
          const header = res.headers["retry-after"];
          resolve({
            status: res.statusCode ?? 0,
            json: parsed && typeof parsed === "object" ? Object.fromEntries(Object.entries(parsed)) : {},
            retryAfter: header === undefined ? null : Number(header),
          });
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

export const login = (base: string, email: string, password: string, at: From = {}) =>
  call(base, "POST", "/api/auth/login", { email, password }, at);

/** How many replies had each status: `{401: 10, 429: 30}`. */
export function statuses(replies: readonly Reply[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of replies) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

export const times = <T>(n: number, f: (i: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, (_, i) => f(i)));

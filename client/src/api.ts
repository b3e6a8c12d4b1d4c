import { z } from "zod";
import { Role } from "../../shared/domain/roles.js";

/** HTTP replies are parsed, not trusted: a server mid-deploy may answer with something else. */
export const User = z.object({ id: z.string(), name: z.string(), role: Role });
export type User = z.infer<typeof User>;

const SessionSummary = z.object({ id: z.string(), title: z.string(), openedAt: z.string() });
export type SessionSummary = z.infer<typeof SessionSummary>;

const CircleSummary = z.object({ id: z.string(), title: z.string(), startedAt: z.string() });
const CohortSummary = z.object({ id: z.string(), name: z.string(), sessions: z.array(SessionSummary), circles: z.array(CircleSummary).default([]) });
export type CohortSummary = z.infer<typeof CohortSummary>;

export const Me = z.object({ user: User, cohorts: z.array(CohortSummary) });
export type Me = z.infer<typeof Me>;

const UserReply = z.object({ user: User });

const ErrorReply = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

export interface ApiError {
  status: number;
  code: string;
  message: string;
  fields: Record<string, string>;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

function failure(status: number, code: string, message: string, fields: Record<string, string> = {}): ApiResult<never> {
  return { ok: false, error: { status, code, message, fields } };
}

async function request<T>(method: "GET" | "POST", path: string, schema: z.ZodType<T>, body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    return failure(0, "NETWORK", "Holdspace could not be reached. Check the connection and try again.");
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ErrorReply.safeParse(json);
    if (parsed.success) return failure(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.fields);
    return failure(res.status, `HTTP_${String(res.status)}`, "Something went wrong on the server. Please try again.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return failure(res.status, "BAD_REPLY", "The server sent a reply this page does not understand. Try reloading.");
  return { ok: true, data: parsed.data };
}

export function fetchMe(): Promise<ApiResult<Me>> {
  return request("GET", "/api/me", Me);
}

export async function login(email: string, password: string): Promise<ApiResult<User>> {
  const r = await request("POST", "/api/auth/login", UserReply, { email, password });
  return r.ok ? { ok: true, data: r.data.user } : r;
}

export async function acceptInvite(token: string): Promise<ApiResult<User>> {
  const r = await request("POST", "/api/auth/invite", UserReply, { token });
  return r.ok ? { ok: true, data: r.data.user } : r;
}

export async function logout(): Promise<void> {
  // The reply carries nothing we need; signing out locally happens either way.
  await request("POST", "/api/auth/logout", z.unknown()).catch(() => undefined);
}

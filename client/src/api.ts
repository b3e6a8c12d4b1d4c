import { z } from "zod";
import { Role } from "../../shared/domain/roles.js";
import { http, type HttpError, type HttpResult } from "./admin/http.js";

/** HTTP replies are parsed, not trusted: a server mid-deploy may answer with something else. */
export const User = z.object({ id: z.string(), name: z.string(), role: Role });
export type User = z.infer<typeof User>;

const SessionSummary = z.object({
  id: z.string(),
  title: z.string(),
  openedAt: z.string(),
  /** When it ended, or null while it is live [LIVE6]. */
  closedAt: z.string().nullable().default(null),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

const CircleSummary = z.object({ id: z.string(), title: z.string(), startedAt: z.string() });
const CohortSummary = z.object({
  id: z.string(),
  name: z.string(),
  sessions: z.array(SessionSummary),
  circles: z.array(CircleSummary).default([]),
});
export type CohortSummary = z.infer<typeof CohortSummary>;

export const Me = z.object({ user: User, cohorts: z.array(CohortSummary) });
export type Me = z.infer<typeof Me>;

const UserReply = z.object({ user: User });

/** The one fetch helper of the client (errors by stable code, replies parsed) serves these too. */
export type ApiError = HttpError;
export type ApiResult<T> = HttpResult<T>;

export function fetchMe(): Promise<ApiResult<Me>> {
  return http("GET", "/api/me", Me);
}

export async function login(email: string, password: string): Promise<ApiResult<User>> {
  const r = await http("POST", "/api/auth/login", UserReply, { email, password });
  return r.ok ? { ok: true, data: r.data.user } : r;
}

export async function acceptInvite(token: string): Promise<ApiResult<User>> {
  const r = await http("POST", "/api/auth/invite", UserReply, { token });
  return r.ok ? { ok: true, data: r.data.user } : r;
}

export async function logout(): Promise<void> {
  // The reply carries nothing we need; signing out locally happens either way.
  await http("POST", "/api/auth/logout", z.unknown()).catch(() => undefined);
}

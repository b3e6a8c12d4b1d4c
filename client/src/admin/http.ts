import { z } from "zod";

/**
 * HTTP for every screen (sign-in in ../api.ts included). Replies are parsed, never trusted: a
 * server mid-deploy may answer with something else.
 */
export interface HttpError {
  status: number;
  code: string;
  message: string;
  fields: Record<string, string>;
}
export type HttpResult<T> = { ok: true; data: T } | { ok: false; error: HttpError };

const ErrorReply = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }),
});

export async function http<T>(
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  schema: z.ZodType<T>,
  body?: unknown,
): Promise<HttpResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    return {
      ok: false,
      error: {
        status: 0,
        code: "NETWORK",
        message: "Holdspace could not be reached. Check the connection and try again.",
        fields: {},
      },
    };
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = ErrorReply.safeParse(json);
    if (e.success)
      return {
        ok: false,
        error: {
          status: res.status,
          code: e.data.error.code,
          message: e.data.error.message,
          fields: e.data.error.fields ?? {},
        },
      };
    return {
      ok: false,
      error: {
        status: res.status,
        code: `HTTP_${res.status}`,
        message: "Something went wrong on the server. Please try again.",
        fields: {},
      },
    };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return {
      ok: false,
      error: {
        status: res.status,
        code: "BAD_REPLY",
        message: "The server sent a reply this page does not understand. Try reloading.",
        fields: {},
      },
    };
  return { ok: true, data: parsed.data };
}

/** One id per submitted form, so a double click or a retry lands once [LOG2]. */
export function commandId(): string {
  return crypto.randomUUID();
}

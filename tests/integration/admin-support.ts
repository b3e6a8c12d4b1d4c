import { randomUUID } from "node:crypto";
import { screeningAnswers } from "../../server/demo/screening.js";
import { originHeader, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";

/** A signed-in HTTP caller for one seeded person (or a cookie from an enrolment). */
export class Http {
  /** `origin`: the page the request comes from; the app's own by default, as a browser sends. */
  constructor(
    readonly base: string,
    readonly cookie: string | null,
    readonly origin: string = originHeader(base).origin,
  ) {}

  static async as(base: string, tag: string, key: string): Promise<Http> {
    const person = mainCohort(tag).people.find((p) => p.key === key) ?? { email: `${key}.${tag}@example.test` };
    return new Http(base, await signIn(base, person.email, TEST_PASSWORD));
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        origin: this.origin,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        json = Object.fromEntries(Object.entries(parsed));
    } catch {
      // not JSON (an .ics body)
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  get(path: string) {
    return this.call("GET", path);
  }

  post(path: string, body: Record<string, unknown>) {
    return this.call("POST", path, { id: randomUUID(), ...body });
  }
}

export function errorOf(r: { json: Record<string, unknown> }): { code: string; message: string } {
  const e = r.json.error;
  if (e && typeof e === "object" && "code" in e && "message" in e)
    return { code: String(e.code), message: String(e.message) };
  return { code: "", message: "" };
}

/** Accept an enrolment link as a new participant; returns their cookie. */
export async function enrol(
  base: string,
  token: string,
  name: string,
  email: string,
): Promise<{ status: number; cookie: string | null; json: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/auth/enrol`, {
    method: "POST",
    headers: { "content-type": "application/json", ...originHeader(base) },
    body: JSON.stringify({ token, name, email, password: "a long enough password" }),
  });
  const json: unknown = await res.json();
  const cookie = res.headers.get("set-cookie")?.split(";")[0] ?? null;
  return {
    status: res.status,
    cookie,
    json: json && typeof json === "object" ? Object.fromEntries(Object.entries(json)) : {},
  };
}

export const CLEAN_SCREENING = screeningAnswers();

/**
 * A phone number unique to a test run and a slot, for secrets that must be a phone number
 * (TransportRecord.contact): "+1 555 <slot> <digits from the tag>".
 */
export function phoneMark(tag: string, slot: number): string {
  const digits = [...tag]
    .map((c) => c.charCodeAt(0) % 10)
    .join("")
    .slice(0, 6)
    .padEnd(6, "0");
  return `+1 555 ${String(slot).padStart(3, "0")} ${digits}`;
}

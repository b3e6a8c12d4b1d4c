import { randomUUID } from "node:crypto";
import type { Ack } from "../../shared/protocol/errors.js";
import type { ProgramSpec } from "../../server/demo/seed.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { Http } from "./admin-support.js";

/** An HTTP caller that keeps the full text of every reply it got, for the privacy sweep [AC3]. */
export class RecordingHttp extends Http {
  readonly replies: string[] = [];

  override async call(method: string, path: string, body?: unknown) {
    const r = await super.call(method, path, body);
    this.replies.push(`${method} ${path} ${r.status} ${r.text}`);
    return r;
  }
}

/**
 * One person's whole view of the server: every push their socket got, every ack their socket got
 * and every HTTP reply. `seen()` is what the sweep searches for other people's secrets.
 */
export class Witness {
  readonly acks: string[] = [];

  constructor(
    readonly key: string,
    readonly socket: TestClient,
    readonly http: RecordingHttp,
    readonly id: string,
  ) {}

  async send<T>(name: string, payload: unknown): Promise<Ack<T>> {
    const reply = await this.socket.send<T>(name, payload);
    this.acks.push(`${name} ${JSON.stringify(reply)}`);
    return reply;
  }

  async ok<T>(name: string, payload: Record<string, unknown>): Promise<T> {
    const r = await this.send<T>(name, payload);
    if (!r.ok) throw new Error(`${this.key}: ${name} refused: ${r.error.code} ${r.error.message}`);
    return r.data;
  }

  /** Send and return the refusal code ("ok" when it was accepted). */
  async code(name: string, payload: Record<string, unknown>): Promise<string> {
    const r = await this.send(name, payload);
    return r.ok ? "ok" : r.error.code;
  }

  post(path: string, body: Record<string, unknown>) {
    return this.http.call("POST", path, { id: randomUUID(), ...body });
  }

  seen(): string {
    return [JSON.stringify(this.socket.received), ...this.acks, ...this.http.replies].join("\n");
  }
}

/** A second program with its own admin: nothing of the first program is theirs [AC2]. */
export function foreignProgram(tag: string): ProgramSpec {
  const admin = { key: "xadmin", role: "admin" as const, name: `xadmin ${tag}`, email: `xadmin.${tag}@example.test` };
  const fac = { key: "xfac", role: "facilitator" as const, name: `xfac ${tag}`, email: `xfac.${tag}@example.test` };
  const { liveSession: _none, ...rest } = mainCohort(tag);
  return {
    ...rest,
    programId: `xprog-${tag}`,
    programName: "Foreign program",
    cohortId: `xco-${tag}`,
    cohortName: "Foreign cohort",
    people: [admin, fac],
  };
}

/** Sign in a seeded person of `spec` on socket and HTTP. */
export async function witness(
  base: string,
  spec: ProgramSpec,
  key: string,
  idOf: (email: string) => Promise<string>,
): Promise<Witness> {
  const person = spec.people.find((p) => p.key === key);
  if (!person) throw new Error(`no person ${key}`);
  const cookie = await signIn(base, person.email, TEST_PASSWORD);
  const socket = new TestClient(base, cookie);
  await socket.connected();
  return new Witness(key, socket, new RecordingHttp(base, cookie), await idOf(person.email));
}

/** Which of `secrets` occur in `text` (empty when none do). */
export function leaked(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s));
}

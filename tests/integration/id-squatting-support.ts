import { expect } from "vitest";
import * as Y from "yjs";
import type { Alert } from "../../shared/domain/alerts.js";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { Ack } from "../../shared/protocol/errors.js";
import type { TestClient } from "../support/client.js";
import { mainCohort } from "../support/fixtures.js";
import type { ClockedNode } from "../support/pool.js";
import { errorOf, type Http } from "./admin-support.js";

/**
 * Issue 8, finding 3 ("Ids nobody can squat"): a client that sends, first, a command whose id is
 * one the server would derive for a safety event changes nothing about that event. For every
 * derived-id form a client can reach, the `$` spelling (the server's own, `serverId`) is refused
 * as input, and the old spelling without `$` lands only as the sender's own harmless event; then
 * the real event still happens, under its `$…` id. Derived stream ids (`s_`, `c_`, `co_`, `pg_`,
 * `inv_`, `finv_`) are protected by the batch owner: someone else's command id is DUPLICATE_ID.
 */

/** A server-made id as `serverId` spells it: `$` + parts joined by `:` (shared/log.ts). */
export const sid = (...parts: (string | number)[]): string => `$${parts.join(":")}`;
export const codeOf = (r: Ack<unknown>): string => (r.ok ? "ok" : r.error.code);
export const fullEvents = (c: TestClient, type: string): StoredEvent[] =>
  c.events.map((m) => m.event).filter((e): e is StoredEvent => "type" in e && e.type === type);
export { notices } from "../support/notices.js";
const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");
export const update = (text: string): string => {
  const d = new Y.Doc();
  d.getText("notes").insert(0, text);
  const u = b64(Y.encodeStateAsUpdate(d));
  d.destroy();
  return u;
};

/** What every id-squatting file asks of its node: its seeded cohort and session, the logs, and the squat itself. */
export function squatting(t: ClockedNode) {
  const pool = t.pool;
  const tag = () => t.node.tag;
  const sessionId = () => `live-${tag()}`;
  const cohortId = () => `cohort-${tag()}`;
  const stream = () => streamName("session", sessionId());
  const logOf = async (s = stream()): Promise<StoredEvent[]> => (await t.node.stores.log.read(s, 0, 1000)).events;
  const head = async (s = stream()): Promise<number> => (await t.node.stores.log.head(s)).seq;
  const session = () => t.node.app.services.streams.state("session", sessionId());
  const idOf = async (key: string, cohort = mainCohort): Promise<string> => {
    const u = await t.node.app.services.users.byEmail(cohort(tag()).people.find((p) => p.key === key)?.email ?? "");
    if (!u) throw new Error(`no user ${key}`);
    return u.id;
  };
  const join = async (key: string, cohort = mainCohort, sessionOf = sessionId): Promise<TestClient> => {
    const c = await pool.connect(key, cohort);
    await c.ok("session:join", { sessionId: sessionOf(), since: null });
    return c;
  };
  const tick = () => t.node.app.tick();
  const ofType = async (type: string, s = stream()): Promise<StoredEvent[]> =>
    (await logOf(s)).filter((e) => e.type === type);
  const supportAlertOf = async (participantId: string): Promise<Alert> => {
    const a = Object.values((await session()).live.alerts).find(
      (x) => x.kind === "support" && x.participantId === participantId,
    );
    if (!a) throw new Error(`no support alert for ${participantId}`);
    return a;
  };

  /**
   * Send `name` once per id, first: an id with `$` in it is refused as input (INVALID_PAYLOAD) and
   * writes nothing; any other id lands as the sender's own event. Returns the ids that landed.
   */
  async function squat(
    c: TestClient,
    name: string,
    ids: readonly string[],
    payload: (id: string) => Record<string, unknown>,
    streamOf = stream,
  ): Promise<string[]> {
    const landed: string[] = [];
    for (const id of ids) {
      const before = await head(streamOf());
      const r = await c.send(name, payload(id));
      if (id.includes("$")) {
        expect(`${name} ${id}: ${codeOf(r)}`).toBe(`${name} ${id}: INVALID_PAYLOAD`);
        expect(await head(streamOf())).toBe(before);
      } else {
        expect(`${name} ${id}: ${codeOf(r)}`).toBe(`${name} ${id}: ok`);
        landed.push(id);
      }
    }
    return landed;
  }

  /** The same over HTTP: `$` ids are a 400 INVALID_PAYLOAD; the others succeed with `okStatus`. */
  async function squatHttp(
    who: Http,
    path: string,
    ids: readonly string[],
    body: Record<string, unknown>,
    okStatus: number,
  ): Promise<string[]> {
    const landed: string[] = [];
    for (const id of ids) {
      const r = await who.call("POST", path, { ...body, id });
      const want = id.includes("$") ? "400 INVALID_PAYLOAD" : `${okStatus} `;
      expect(`${path} ${id}: ${r.status} ${errorOf(r).code}`).toBe(`${path} ${id}: ${want}`);
      if (!id.includes("$")) landed.push(id);
    }
    return landed;
  }

  /** Each landed squat is only its sender's own check-in: no alert, no escalation, nothing of the server's. */
  async function ownCheckins(ids: readonly string[], actor: string): Promise<void> {
    const events = await logOf();
    for (const id of ids) {
      const e = events.filter((x) => x.id === id);
      expect(
        e.map((x) => `${x.type} by ${x.actor} alert=${JSON.stringify(x.data.alert ?? null)}`),
        id,
      ).toEqual([`checkin.recorded by ${actor} alert=null`]);
    }
  }

  /** Every server-decided alert event in the log carries a `$` id. */
  async function serverIdsOnly(): Promise<void> {
    const jobs = (await logOf()).filter((e) =>
      [
        "alert.escalated",
        "alert.reminded",
        "alert.acknowledged",
        "alert.resolved",
        "checkin.prompted",
        "participant.arrived",
        "participant.left",
        "facilitator.arrived",
        "facilitator.left",
      ].includes(e.type),
    );
    expect(jobs.filter((e) => !e.id.startsWith("$")).map((e) => `${e.type} ${e.id}`)).toEqual([]);
  }

  return {
    pool,
    tag,
    sessionId,
    cohortId,
    stream,
    logOf,
    head,
    session,
    idOf,
    join,
    tick,
    ofType,
    supportAlertOf,
    squat,
    squatHttp,
    ownCheckins,
    serverIdsOnly,
  };
}

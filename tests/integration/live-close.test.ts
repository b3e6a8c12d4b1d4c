import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { pendingAlerts } from "../../shared/domain/alerts.js";
import { LIVE_INDEX_ID } from "../../shared/domain/live-index.js";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { Ack } from "../../shared/protocol/errors.js";
import type { TestClient } from "../support/client.js";
import { mainCohort } from "../support/fixtures.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { ClientPool, useClockedNode } from "../support/pool.js";

const codeOf = (r: Ack<unknown>): string => (r.ok ? "ok" : r.error.code);
const messageOf = (r: Ack<unknown>): string => (r.ok ? "" : r.error.message);
const fullEvents = (c: TestClient): StoredEvent[] =>
  c.events.map((m) => m.event).filter((e): e is StoredEvent => "type" in e);

describe.each<StoreKind>(["embedded", "redis"])("ending a live session on %s", (kind) => {
  const t = useClockedNode(kind);
  const pool = t.pool;

  const sessionId = () => `live-${t.node.tag}`;
  const head = async () => (await t.node.stores.log.head(streamName("session", sessionId()))).seq;
  const listed = async () => (await t.node.app.services.streams.state("index", LIVE_INDEX_ID)).sessions;
  const idOf = async (key: string): Promise<string> => {
    const u = await t.node.app.services.users.byEmail(
      mainCohort(t.node.tag).people.find((p) => p.key === key)?.email ?? "",
    );
    if (!u) throw new Error(`no user ${key}`);
    return u.id;
  };
  const close = (c: TestClient) =>
    c.send<{ seq: number; closedBy: string }>("session:close", { id: randomUUID(), sessionId: sessionId() });

  it("[LIVE10] [LIVE6] [LOG1] refused while someone is admitted and not released or an alert waits; allowed after release and ack; then support is refused and the index drops it", async () => {
    const fac = await pool.connect("fac1");
    const p1 = await pool.connect("p1");
    for (const c of [fac, p1]) await c.ok("session:join", { sessionId: sessionId(), since: null });
    const p1Id = await idOf("p1");
    const p1Name = mainCohort(t.node.tag).people.find((p) => p.key === "p1")?.name ?? "";
    expect(await listed()).toContain(sessionId());
    await fac.ok("participant:admit", { id: randomUUID(), sessionId: sessionId(), participantId: p1Id });

    // [LIVE10] Admitted, not released: refused, nothing written, the participant named.
    let before = await head();
    let r = await close(fac);
    expect(codeOf(r)).toBe("RULE_VIOLATION");
    expect(messageOf(r)).toContain(`1 participant is still admitted and not released (${p1Name})`);
    expect(await head()).toBe(before);
    // Participants never end a session.
    expect(codeOf(await close(p1))).toBe("FORBIDDEN");

    // Asked before the release (a released participant's press says whom to call instead).
    const help = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() });
    await fac.ok("release:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p1Id,
      planConfirmed: true,
    });

    // [LIVE6] A pending alert: refused, and it names it.
    before = await head();
    r = await close(fac);
    expect(codeOf(r)).toBe("RULE_VIOLATION");
    expect(messageOf(r)).toContain(`1 alert is waiting for a response (support request from ${p1Name})`);
    expect(messageOf(r)).not.toContain("not released");
    expect(await head()).toBe(before);

    await fac.ok("alert:ack", { id: randomUUID(), sessionId: sessionId(), alertId: help.alertId });
    const closeId = randomUUID();
    const done = await fac.ok<{ seq: number; closedBy: string }>("session:close", {
      id: closeId,
      sessionId: sessionId(),
    });
    expect(done.closedBy).toBe(await idOf("fac1"));
    // [LOG2] A retry gets the first answer.
    expect((await fac.ok<{ seq: number }>("session:close", { id: closeId, sessionId: sessionId() })).seq).toBe(
      done.seq,
    );
    // Everyone's screen learns it live: the participant's socket gets the event itself.
    await p1.until(
      () => fullEvents(p1).some((e) => e.type === "session.closed"),
      5000,
      "session.closed on the participant's socket",
    );

    // After the close: support and check-ins are refused with words that say to call out.
    before = await head();
    const late = await p1.send("support:request", { id: randomUUID(), sessionId: sessionId() });
    expect(codeOf(late)).toBe("RULE_VIOLATION");
    expect(messageOf(late)).toMatch(/session has ended.*call out or wave to a facilitator/);
    expect(
      codeOf(await p1.send("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "need_support" })),
    ).toBe("RULE_VIOLATION");
    expect(await head()).toBe(before);

    // [LOG1] The index no longer lists it (a session.unlisted event), joining again does not re-list it,
    // and the periodic checks append nothing to it however much time passes.
    expect(await listed()).not.toContain(sessionId());
    const index = (await t.node.stores.log.read(streamName("index", LIVE_INDEX_ID), 0, 1000)).events;
    expect(index.filter((e) => e.type === "session.unlisted").map((e) => e.data.sessionId)).toEqual([sessionId()]);
    await fac.ok("session:join", { sessionId: sessionId(), since: null });
    t.clock.advance(2 * 60 * 60_000);
    await t.node.app.tick();
    expect(await listed()).not.toContain(sessionId());
    expect(await head()).toBe(before);
  });
});

describe("a support request racing the close", () => {
  let A: Running & { tag: string };
  let B: Running & { tag: string };
  const pool = new ClientPool(() => A);
  beforeEach(async () => {
    const prefix = freshPrefix("close");
    A = await startApp("redis", { prefix });
    B = await startApp("redis", { prefix, seed: false });
  });
  afterEach(async () => {
    pool.closeAll();
    await A.stop();
    await B.stop();
  });

  const stateOf = (id: string) => A.app.services.streams.state("session", id);
  const listed = async () => (await A.app.services.streams.state("index", LIVE_INDEX_ID)).sessions;

  it("[LIVE6] a support request that lands between the close's read and its append makes the close be decided again — and refused", async () => {
    const sessionId = `live-${A.tag}`;
    const fac = await pool.connect("fac1", mainCohort, B.url);
    const p1 = await pool.connect("p1", mainCohort, A.url);
    for (const c of [fac, p1]) await c.ok("session:join", { sessionId, since: null });
    // Node B's store: the first time it is asked to append the close, the participant's request
    // (on node A) lands first, so the close's expectedSeq is stale.
    const log = B.stores.log;
    const original = log.append.bind(log);
    // In a holder, not a `let`: the type checker does not see the append below set a variable,
    // and would take it to be still null after the close.
    const race: { sent: Promise<Ack<{ alertId: string }>> | null } = { sent: null };
    log.append = async (stream, batch, guard) => {
      if (batch.events.some((e) => e.type === "session.closed") && race.sent === null) {
        race.sent = p1.send<{ alertId: string }>("support:request", { id: randomUUID(), sessionId });
        await race.sent;
      }
      return original(stream, batch, guard);
    };
    const r = await fac.send("session:close", { id: randomUUID(), sessionId });
    expect(race.sent).not.toBeNull();
    expect(codeOf(await (race.sent ?? Promise.reject(new Error("no race"))))).toBe("ok");
    expect(codeOf(r)).toBe("RULE_VIOLATION");
    expect(messageOf(r)).toContain("1 alert is waiting for a response");
    const state = await stateOf(sessionId);
    expect(state.status).toBe("open");
    expect(pendingAlerts(state.live.alerts)).toHaveLength(1);
    expect(await listed()).toContain(sessionId);
  });

  it("[LIVE6] [LOG1] on two nodes at once: exactly one outcome, and never a closed session with a pending alert", async () => {
    const fac = await pool.connect("fac1", mainCohort, B.url);
    const p1 = await pool.connect("p1", mainCohort, A.url);
    const joined = await fac.ok<{ cohortId: string }>("session:join", { sessionId: `live-${A.tag}`, since: null });
    const outcomes: string[] = [];
    for (let round = 0; round < 6; round++) {
      const { sessionId } = await fac.ok<{ sessionId: string }>("session:open", {
        id: randomUUID(),
        cohortId: joined.cohortId,
        title: `Race ${round}`,
      });
      const [help, close] = await Promise.all([
        p1.send("support:request", { id: randomUUID(), sessionId }),
        fac.send("session:close", { id: randomUUID(), sessionId }),
      ]);
      const state = await stateOf(sessionId);
      const pending = pendingAlerts(state.live.alerts);
      // Exactly one of them is recorded; the other is refused with a rule, not lost to a conflict.
      expect([codeOf(help), codeOf(close)].sort()).toEqual(["RULE_VIOLATION", "ok"]);
      if (codeOf(close) === "ok") {
        expect(state.status).toBe("closed");
        expect(pending).toHaveLength(0);
        expect(messageOf(help)).toMatch(/session has ended/);
        expect(await listed()).not.toContain(sessionId);
        outcomes.push("closed");
      } else {
        expect(state.status).toBe("open");
        expect(pending).toHaveLength(1);
        expect(messageOf(close)).toContain("1 alert is waiting for a response");
        expect(await listed()).toContain(sessionId);
        outcomes.push("support");
      }
    }
    expect(outcomes).toHaveLength(6);
  });
});

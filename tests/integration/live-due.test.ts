import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { streamKind, type StreamName } from "../../shared/log.js";
import { runLiveChecks } from "../../server/jobs/live-checks.js";
import { otherCohort } from "../support/fixtures.js";
import { useClockedNode } from "../support/pool.js";

/**
 * Issue 8, finding 6: the periodic checks find what is due from the due index instead of
 * walking every session, so a round costs what is due — and a due escalation is never queued
 * behind sessions with nothing to do.
 */
describe("live checks from the due index", () => {
  const t = useClockedNode("redis");

  /** Session streams read (state catch-ups) while `f` runs. */
  async function sessionReads(f: () => Promise<void>): Promise<string[]> {
    const log = t.node.stores.log;
    const read = log.read.bind(log);
    const readMany = log.readMany.bind(log);
    const seen: string[] = [];
    log.read = async (s: StreamName, after, limit) => {
      if (streamKind(s) === "session") seen.push(s);
      return read(s, after, limit);
    };
    log.readMany = async (reqs) => {
      for (const r of reqs) if (streamKind(r.stream) === "session") seen.push(r.stream);
      return readMany(reqs);
    };
    try {
      await f();
    } finally {
      log.read = read;
      log.readMany = readMany;
    }
    return seen;
  }

  it("[LIVE6] a round with nothing due reads no session; an alert makes only its session due, and it escalates on time", async () => {
    const main = `live-${t.node.tag}`;
    const other = `other-live-${t.node.tag}`;
    const p1 = await t.pool.connect("p1");
    const op1 = await t.pool.connect("op1", otherCohort);
    await p1.ok("session:join", { sessionId: main, since: null });
    await op1.ok("session:join", { sessionId: other, since: null });
    await t.node.app.tick(); // the sweep: both sessions checked once, each given its next time
    const services = t.node.app.services;
    expect(await sessionReads(() => runLiveChecks(services))).toEqual([]);

    const alert = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: main });
    const due = await t.node.stores.due.due(t.clock.now(), 10);
    expect(due.map((d) => d.id)).toEqual([main]);
    const reads = await sessionReads(() => runLiveChecks(services));
    expect(new Set(reads)).toEqual(new Set([`session:${main}`]));
    // Nothing is due again until the alert's first tier.
    t.clock.advance(14_999);
    expect(await sessionReads(() => runLiveChecks(services))).toEqual([]);
    t.clock.advance(1);
    await runLiveChecks(services);
    const state = await services.streams.state("session", main);
    expect(state.live.alerts[alert.alertId]?.tier).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { TestClient } from "../support/client.js";
import { useClockedNode } from "../support/pool.js";
import { fullEvents, notices, sid, squatting } from "./id-squatting-support.js";

/**
 * Issue 8, finding 3 ("Ids nobody can squat"): a job round meets an id already taken (by another
 * node, or by a squatter) and still lands the rest of its work in the same round. The rule every
 * id-squatting file checks is in id-squatting-support.ts.
 */

describe("ids nobody can squat: a job round past a duplicate (one node, Redis, moved clock)", () => {
  const t = useClockedNode("redis");
  const { pool, sessionId, stream, session, join, tick, ofType } = squatting(t);

  /** The admin watching, and p1 and p2 in the room, each with a pending "I need support". */
  async function twoPresses(): Promise<{ admin: TestClient; p1: TestClient; p2: TestClient; a1: string; a2: string }> {
    const admin = await pool.connect("admin");
    const p1 = await join("p1");
    const p2 = await join("p2");
    const a1 = (await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() }))
      .alertId;
    const a2 = (await p2.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId: sessionId() }))
      .alertId;
    return { admin, p1, p2, a1, a2 };
  }

  it("[LIVE6] [LOG2] a job never stops at one duplicate: the first alert's tier-1 escalation already appended (by another node, after this node read the log), the second alert still escalates in the same round", async () => {
    const { admin, a1, a2 } = await twoPresses();
    t.clock.advance(15_000);
    // This node's view of the log, just before another node appends the first escalation.
    const stale = await session();
    await t.node.app.services.streams.appendSystem(stream(), {
      id: sid("escalate", a1, 1),
      type: "alert.escalated",
      actor: "system",
      data: { alertId: a1, tier: 1 },
    });
    // Streams are caught up through readMany (one round trip for several streams).
    const log = t.node.stores.log;
    const readMany = log.readMany.bind(log);
    let staleReads = 0;
    log.readMany = async (reqs) => {
      const pages = await readMany(reqs);
      return pages.map((page, i) => {
        const r = reqs[i];
        if (r && r.stream === stream() && r.afterSeq === stale.seq && staleReads === 0) {
          staleReads++;
          return { epoch: page.epoch, events: [], head: stale.seq };
        }
        return page;
      });
    };
    await tick();
    log.readMany = readMany;
    expect(staleReads).toBe(1);
    expect((await ofType("alert.escalated")).map((e) => e.id)).toEqual([
      sid("escalate", a1, 1),
      sid("escalate", a2, 1),
    ]);
    await admin.until(
      () => notices(admin).some((n) => n.alertId === a2 && n.tier === 1),
      5000,
      "the second alert's tier-1 notice",
    );
  });

  it("[LIVE6] [LOG2] a job never stops at one duplicate that never goes away: with the first alert's escalation id already taken, the second alert and the prompt still land in the same round", async () => {
    const { admin, p1, p2, a1, a2 } = await twoPresses();
    // An event of a type this server does not know (a newer server's) holds the id: every round decides it, every round it is a duplicate.
    await t.node.app.services.streams.appendSystem(stream(), {
      id: sid("escalate", a1, 1),
      type: "test.id-taken",
      actor: "system",
      data: {},
    });
    t.clock.advance(30 * 60_000);
    await tick();
    const escalated = await ofType("alert.escalated");
    expect(escalated.filter((e) => e.data.alertId === a2).map((e) => e.id)).toEqual([
      sid("escalate", a2, 1),
      sid("escalate", a2, 2),
    ]);
    expect((await ofType("checkin.prompted")).map((e) => e.id)).toEqual([sid("prompt", 1)]);
    await admin.until(
      () => notices(admin).some((n) => n.alertId === a2 && n.tier === 2),
      5000,
      "the second alert's escalation",
    );
    for (const c of [p1, p2]) await c.until(() => fullEvents(c, "checkin.prompted").length === 1, 5000, "the prompt");
  });
});

import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName } from "../../shared/log.js";
import type { OutcomeReplies } from "../../shared/protocol/outcomes.js";
import { pushedNotices } from "../support/notices.js";
import { useTwoNodes } from "../support/two-nodes.js";

/** Real server processes on real Redis: the node that took a questionnaire's safety alert dies with kill -9. */
describe("a questionnaire's safety alert survives the crash of the node that took it", () => {
  const two = useTwoNodes("oc");

  it("[OUT2] [LIVE6] after kill -9 of node A right after the submission, node B escalates it at 15 s and a facilitator's answer there stops it", async () => {
    const cohortId = `cohort-${two.tag}`;
    const fac = await two.connect("fac1", 1);
    const p1 = await two.connect("p1", 0);
    const id = randomUUID();
    const reply = await p1.ok<OutcomeReplies["outcome:submit"]>("outcome:submit", {
      id,
      cohortId,
      visitId: "baseline",
      instrument: "phq9",
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 2],
    });
    expect(reply.safety).toBe(true);
    await two.node(0).kill9();
    const killedAt = performance.now();
    const alertId = `$selfharm:${id}`;
    // Node B never took the submission, yet its own check escalates it (15 s, real time).
    await fac.until(
      () => pushedNotices(fac).some((n) => n.alertId === alertId && n.tier === 1 && n.state === "waiting"),
      25_000,
      "tier 1 escalation from node B",
    );
    console.info(
      `[OUT2] escalated by the surviving node ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the crash`,
    );
    const ack = await fac.ok<{ alertId: string }>("outcome:ack", { id: randomUUID(), cohortId, alertId });
    expect(ack.alertId).toBe(alertId);
    const log = (await two.stores.log.read(streamName("outcome", cohortId), 0, 1000)).events;
    expect(log.filter((e) => e.type === "alert.raised").map((e) => e.id)).toEqual([alertId]);
    expect(log.filter((e) => e.type === "alert.escalated").map((e) => e.data.tier)).toEqual([1]);
    expect(log.filter((e) => e.type === "alert.acknowledged")).toHaveLength(1);
  }, 60_000);
});

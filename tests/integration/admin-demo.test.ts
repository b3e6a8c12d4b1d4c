import { afterEach, describe, expect, it } from "vitest";
import { firstDosingAt } from "../../shared/domain/cohort.js";
import { readinessOf } from "../../shared/domain/readiness.js";
import { PROFILES } from "../../shared/profiles/index.js";
import { seedDemo } from "../../server/demo/seed.js";
import { startApp, type Running } from "../support/harness.js";

describe("the demo program", () => {
  let node: Running;
  afterEach(async () => node.stop());

  it("[RDY1] [SCH6] [SCH7] is seeded with a dosing day, weekly circles and a participant still getting ready; seeding twice changes nothing", async () => {
    node = await startApp("embedded", { seed: false });
    await seedDemo(node.app.services, "http://localhost");
    const head = await node.stores.log.head("cohort:demo-cohort");
    await seedDemo(node.app.services, "http://localhost");
    expect(await node.stores.log.head("cohort:demo-cohort")).toEqual(head);
    const cohort = await node.app.services.streams.state("cohort", "demo-cohort");
    expect(cohort.schedule.filter((s) => s.kind === "dosing")).toHaveLength(1);
    expect(cohort.schedule.filter((s) => s.kind === "circle")).toHaveLength(6);
    expect(cohort.sessions.map((s) => s.id)).toContain("demo-live");
    const gwen = await node.app.services.users.byEmail("gwen@demo.holdspace.test");
    const board = cohort.participants.map((p) =>
      readinessOf(cohort, p, PROFILES["oregon-2025"], firstDosingAt(cohort, p)),
    );
    expect(board.filter((r) => r.ready)).toHaveLength(6);
    expect(readinessOf(cohort, gwen?.id ?? "", PROFILES["oregon-2025"], null).missing.map((m) => m.item)).toEqual([
      "screening_review",
      "consent",
      "transport",
      "preparation",
    ]);
  });
});

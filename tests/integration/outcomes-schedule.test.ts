import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { seedProgram } from "../../server/demo/seed.js";
import { streamName } from "../../shared/log.js";
import { DEFAULT_SCHEDULE, type AssessmentSchedule } from "../../shared/outcomes/schedule.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { startApp, type Running } from "../support/harness.js";
import { Http, errorOf } from "./admin-support.js";

type Node = Running & { tag: string };

const SHORTER: AssessmentSchedule = {
  visits: [
    { id: "baseline", label: "Baseline", day: null },
    { id: "week-2", label: "Week 2", day: 14 },
    { id: "week-6", label: "Week 6", day: 42 },
  ],
  instruments: ["phq9"],
  windowDays: 5,
};

describe("[OUT5] the assessment schedule over HTTP (Redis)", () => {
  let node: Node;
  afterEach(async () => node.stop());

  const path = (cohortId: string) => `/api/admin/cohorts/${cohortId}/assessment-schedule`;
  const put = (who: Http, cohortId: string, body: unknown) => who.call("PUT", path(cohortId), body);
  const outcomeLog = async (cohortId: string) =>
    (await node.stores.log.read(streamName("outcome", cohortId), 0, 1000)).events;

  it("[OUT5] a program admin sets it: one event on outcome:<cohortId>, a retry with the same id lands once, and a facilitator and a participant following the stream get it live", async () => {
    node = await startApp("redis");
    const cohortId = `cohort-${node.tag}`;
    const admin = await Http.as(node.url, node.tag, "admin");
    const fac = new TestClient(node.url, await signIn(node.url, `fac1.${node.tag}@example.test`, TEST_PASSWORD));
    // A participant follows it too: the schedule is for everyone (their home screen says what is due).
    const p1 = new TestClient(node.url, await signIn(node.url, `p1.${node.tag}@example.test`, TEST_PASSWORD));
    try {
      await Promise.all([fac.connected(), p1.connected()]);
      const stream = streamName("outcome", cohortId);
      await fac.ok("stream:sync", { stream, epoch: null, seq: 0 });
      await p1.ok("stream:sync", { stream, epoch: null, seq: 0 });

      const body = { id: randomUUID(), schedule: SHORTER };
      const first = await put(admin, cohortId, body);
      expect(first.status).toBe(200);
      expect(first.json).toEqual({ seq: 1, schedule: SHORTER });
      const again = await put(admin, cohortId, body);
      expect(again.json).toEqual({ seq: 1, schedule: SHORTER });

      const log = await outcomeLog(cohortId);
      expect(log.map((e) => [e.type, e.seq, e.id])).toEqual([["assessment.schedule_set", 1, body.id]]);
      expect(log[0]?.data).toEqual({ schedule: SHORTER });

      await fac.until(
        () =>
          fac.events.some(
            (m) => m.stream === stream && "type" in m.event && m.event.type === "assessment.schedule_set",
          ),
        2000,
        "the schedule event pushed to the facilitator",
      );
      const state = await node.app.services.streams.state("outcome", cohortId);
      expect(state.schedule).toEqual(SHORTER);
      expect(state.scheduleSet?.by).toBe((await node.app.services.users.byEmail(`admin.${node.tag}@example.test`))?.id);
    } finally {
      fac.close();
      p1.close();
    }
  });

  it("[OUT5] [AC4] a facilitator or participant of the cohort is refused (FORBIDDEN, 403); another cohort's facilitator and another program's admin are told the cohort does not exist (404); nothing written", async () => {
    node = await startApp("redis");
    const cohortId = `cohort-${node.tag}`;
    const fac = await Http.as(node.url, node.tag, "fac1");
    const participant = await Http.as(node.url, node.tag, "p1");
    const { liveSession: _none, ...rest } = mainCohort(node.tag);
    const stranger = {
      key: "admin9",
      role: "admin" as const,
      name: "Elsewhere admin",
      email: `admin9.${node.tag}@example.test`,
    };
    await seedProgram(node.app.services, {
      ...rest,
      programId: `prog9-${node.tag}`,
      programName: "Another program",
      cohortId: `cohort9-${node.tag}`,
      cohortName: "Elsewhere",
      people: [stranger],
    });
    const otherAdmin = new Http(node.url, await signIn(node.url, stranger.email, TEST_PASSWORD));

    const byFac = await put(fac, cohortId, { id: randomUUID(), schedule: SHORTER });
    expect(byFac.status).toBe(403);
    expect(errorOf(byFac).code).toBe("FORBIDDEN");
    const byParticipant = await put(participant, cohortId, { id: randomUUID(), schedule: SHORTER });
    expect(byParticipant.status).toBe(403);
    expect(errorOf(byParticipant).code).toBe("FORBIDDEN");
    // A facilitator of another cohort of the same program does not learn the cohort exists.
    const otherFac = await Http.as(node.url, node.tag, "ofac");
    const byOtherFac = await put(otherFac, cohortId, { id: randomUUID(), schedule: SHORTER });
    expect(byOtherFac.status).toBe(404);

    const byStranger = await put(otherAdmin, cohortId, { id: randomUUID(), schedule: SHORTER });
    const missing = await put(otherAdmin, `nope-${node.tag}`, { id: randomUUID(), schedule: SHORTER });
    expect(byStranger.status).toBe(404);
    expect(errorOf(byStranger)).toEqual(errorOf(missing));
    expect(errorOf(byStranger).code).toBe("NOT_FOUND");

    expect(await outcomeLog(cohortId)).toEqual([]);
  });

  it("[OUT5] an invalid schedule is INVALID_PAYLOAD naming the field: no visits, two baselines, a window of 0, an unknown questionnaire, two visits on one day", async () => {
    node = await startApp("redis");
    const cohortId = `cohort-${node.tag}`;
    const admin = await Http.as(node.url, node.tag, "admin");
    const cases: { schedule: unknown; field: string }[] = [
      { schedule: { ...SHORTER, visits: [] }, field: "schedule.visits" },
      {
        schedule: { ...SHORTER, visits: [...SHORTER.visits, { id: "baseline-2", label: "Again", day: null }] },
        field: "schedule.visits",
      },
      { schedule: { ...SHORTER, windowDays: 0 }, field: "schedule.windowDays" },
      { schedule: { ...SHORTER, instruments: ["bdi"] }, field: "schedule.instruments.0" },
      {
        schedule: { ...SHORTER, visits: [...SHORTER.visits, { id: "day-14", label: "Day 14", day: 14 }] },
        field: "schedule.visits.3.day",
      },
    ];
    for (const c of cases) {
      const r = await put(admin, cohortId, { id: randomUUID(), schedule: c.schedule });
      expect(r.status, JSON.stringify(c.schedule)).toBe(400);
      const e = r.json.error;
      expect(e).toMatchObject({ code: "INVALID_PAYLOAD" });
      const fields = e && typeof e === "object" && "fields" in e ? e.fields : null;
      expect(fields, JSON.stringify(c.schedule)).toHaveProperty([c.field]);
    }
    expect(await outcomeLog(cohortId)).toEqual([]);
    expect((await node.app.services.streams.state("outcome", cohortId)).schedule).toEqual(DEFAULT_SCHEDULE);
  });
});

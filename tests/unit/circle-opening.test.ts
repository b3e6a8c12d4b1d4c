import { describe, expect, it } from "vitest";
import {
  circleOpening,
  decideStartCircle,
  DEFAULT_CIRCLE_MINUTES,
  DEFAULT_SHARE_SECONDS,
  emptyCircle,
  reduceCircle,
  type CircleCohort,
} from "../../shared/domain/circle.js";
import { refusal } from "./scheduling-support.js";

const T0 = Date.parse("2026-11-26T18:00:00Z");
const cohort: CircleCohort = {
  participants: ["a", "b", "c"],
  facilitators: ["f1", "f2", "f3"],
  schedule: [{ id: "sched-1" }],
  sessions: [{ id: "live-1" }],
};

describe("opening a circle [CIR2][CIR3]", () => {
  it("[CIR2] the opener sits first and opens with the piece, then the participants, then the other facilitators", () => {
    const opening = circleOpening(cohort, "f2", T0, {});
    expect(opening.seats).toEqual(["f2", "a", "b", "c", "f1", "f3"]);
    const drafts = decideStartCircle(
      emptyCircle("c1"),
      { id: "start", cohortId: "co", title: "Week 1", ...opening },
      { userId: "f2", role: "facilitator" },
    );
    const started = drafts.reduce(
      (st, d, i) => reduceCircle(st, { ...d, at: new Date(T0).toISOString(), seq: i + 1, epoch: "ep" }),
      emptyCircle("c1"),
    );
    expect(started.holder).toBe("f2");
  });

  it("[CIR2] the circle's end time is its length after the opening, 90 minutes unless asked", () => {
    expect(circleOpening(cohort, "f1", T0, {}).endsAt).toBe(
      new Date(T0 + DEFAULT_CIRCLE_MINUTES * 60_000).toISOString(),
    );
    expect(DEFAULT_CIRCLE_MINUTES).toBe(90);
    expect(circleOpening(cohort, "f1", T0, { durationMinutes: 45 }).endsAt).toBe("2026-11-26T18:45:00.000Z");
  });

  it("[CIR3] a share lasts 5 minutes by default, or the circle's own length", () => {
    expect(circleOpening(cohort, "f1", T0, {}).shareSeconds).toBe(DEFAULT_SHARE_SECONDS);
    expect(DEFAULT_SHARE_SECONDS).toBe(300);
    expect(circleOpening(cohort, "f1", T0, { shareMinutes: 3 }).shareSeconds).toBe(180);
  });

  it("[AC4] a linked session must be one of the cohort's, scheduled or live", () => {
    expect(circleOpening(cohort, "f1", T0, { sessionId: "sched-1" }).sessionId).toBe("sched-1");
    expect(circleOpening(cohort, "f1", T0, { sessionId: "live-1" }).sessionId).toBe("live-1");
    expect(circleOpening(cohort, "f1", T0, { sessionId: null }).sessionId).toBeNull();
    expect(refusal(() => circleOpening(cohort, "f1", T0, { sessionId: "elsewhere" })).code).toBe("NOT_FOUND");
  });
});

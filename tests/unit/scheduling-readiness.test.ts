import { describe, expect, it } from "vitest";
import { cohortAudience, firstDosingAt, type CohortState } from "../../shared/domain/cohort.js";
import {
  decideConsent,
  decideEnrol,
  decidePreparation,
  decideReview,
  decideScreening,
  decideTransport,
} from "../../shared/domain/cohort-decide.js";
import { readinessOf } from "../../shared/domain/readiness.js";
import type { Viewer } from "../../shared/domain/roles.js";
import type { StoredEvent } from "../../shared/log.js";
import { screeningAnswers } from "../../server/demo/screening.js";
import { applyDrafts, cohortWith, oregon, refusal, schedule } from "./scheduling-support.js";

const p1: Viewer = { userId: "p1", role: "participant" };
const f1: Viewer = { userId: "f1", role: "facilitator" };
const clean = screeningAnswers();

/** p1 attends the planned preparation session, recorded by f1 on the evening of 1 December. */
function attendPreparation(c: CohortState): CohortState {
  const prep = c.schedule.find((s) => s.kind === "preparation");
  return applyDrafts(
    c,
    decidePreparation(c, { id: "a1", participantId: "p1", sessionId: prep?.id ?? "" }, f1, "2026-12-01T18:30:00.000Z"),
  );
}

function planned() {
  let c = cohortWith();
  c = applyDrafts(c, schedule(c, { kind: "preparation", start: "2026-12-01T10:00", end: "2026-12-01T11:00" }));
  c = applyDrafts(
    c,
    schedule(c, { kind: "dosing", start: "2026-12-10T09:00", end: "2026-12-10T15:00", plannedDoseMg: 20 }),
  );
  return c;
}
const items = (c: ReturnType<typeof planned>, at = firstDosingAt(c, "p1")) =>
  readinessOf(c, "p1", oregon, at).missing.map((m) => m.item);

describe("readiness", () => {
  it("[RDY1] lists each missing item by name until every one is done, then Ready", () => {
    let c = planned();
    expect(readinessOf(c, "p1", oregon, firstDosingAt(c, "p1"))).toEqual({
      ready: false,
      flags: [],
      missing: [
        { item: "screening", label: "Screening questionnaire not yet submitted" },
        { item: "consent", label: "Informed consent not yet recorded" },
        { item: "transport", label: "No transportation plan (who takes them home)" },
        { item: "preparation", label: "Preparation session not yet attended" },
      ],
    });
    c = applyDrafts(c, decideScreening(c, { id: "s1", answers: clean }, p1));
    expect(items(c)).toEqual(["screening_review", "consent", "transport", "preparation"]);
    c = applyDrafts(c, decideReview(c, { id: "r1", participantId: "p1" }, f1));
    c = applyDrafts(c, decideConsent(c, { id: "c1", version: "2025-01" }, p1));
    c = applyDrafts(c, decideTransport(c, { id: "t1", driver: "Sam (partner)", contact: "555-0100", notes: "" }, p1));
    expect(items(c)).toEqual(["preparation"]);
    c = attendPreparation(c);
    expect(readinessOf(c, "p1", oregon, firstDosingAt(c, "p1"))).toEqual({ ready: true, missing: [], flags: [] });
    // A new submission needs a new review.
    c = applyDrafts(c, decideScreening(c, { id: "s2", answers: { ...clean, ssriSnri: true } }, p1));
    expect(readinessOf(c, "p1", oregon, firstDosingAt(c, "p1"))).toMatchObject({
      ready: false,
      missing: [{ item: "screening_review" }],
      flags: ["Takes an SSRI or SNRI"],
    });
  });

  it.each([
    [{ psychoticDisorder: true }, "Screening hard stop: Diagnosis of a psychotic disorder"],
    [{ bipolarI: true }, "Screening hard stop: Diagnosis of bipolar I"],
    [{ thoughtsOfHarm: true }, "Screening hard stop: Current thoughts of harming self or others"],
    [{ lithiumLastTaken: "2026-11-10" }, "Screening hard stop: Lithium in the last 30 days"],
  ])("[RDY2] %o is a hard stop, even after review", (answers, label) => {
    let c = planned();
    c = applyDrafts(c, decideScreening(c, { id: "s1", answers: { ...clean, ...answers } }, p1));
    c = applyDrafts(c, decideReview(c, { id: "r1", participantId: "p1" }, f1));
    const r = readinessOf(c, "p1", oregon, firstDosingAt(c, "p1"));
    expect(r.ready).toBe(false);
    expect(r.missing[0]).toEqual({ item: "hard_stop", label });
  });

  it("[RDY2] lithium counts against the first dosing day: 30 days before is a stop, 31 is not", () => {
    const at = "2026-12-10T17:00:00.000Z";
    const withLithium = (date: string) => {
      const c = planned();
      return applyDrafts(c, decideScreening(c, { id: "s1", answers: { ...clean, lithiumLastTaken: date } }, p1));
    };
    expect(items(withLithium("2026-11-10"), at)).toContain("hard_stop");
    expect(items(withLithium("2026-11-09"), at)).not.toContain("hard_stop");
  });

  it("[RDY1] [SCH8] an attended preparation counts only inside the window before the first dosing", () => {
    let c = planned();
    c = attendPreparation(c);
    expect(items(c)).not.toContain("preparation");
    // Judged against a dosing day 100 days later, the same attendance is too early.
    const late = "2027-03-11T17:00:00.000Z";
    const r = readinessOf(c, "p1", oregon, late);
    expect(r.missing.find((m) => m.item === "preparation")?.label).toMatch(
      /^Preparation session outside the window: .*at most 90 days/,
    );
    expect(
      readinessOf(c, "p1", oregon, "2026-12-02T17:00:00.000Z").missing.find((m) => m.item === "preparation")?.label,
    ).toMatch(/at least 24 h/);
  });

  it("[RDY3] review flags are shown and never block", () => {
    let c = planned();
    c = applyDrafts(
      c,
      decideScreening(
        c,
        {
          id: "s1",
          answers: {
            ...clean,
            heartCondition: true,
            pregnant: true,
            maoi: true,
            ssriSnri: true,
            familyPsychosis: true,
            seizures: true,
          },
        },
        p1,
      ),
    );
    const r = readinessOf(c, "p1", oregon, firstDosingAt(c, "p1"));
    expect(r.flags).toHaveLength(6);
    expect(r.missing.map((m) => m.item)).not.toContain("hard_stop");
  });

  it("[AC3] screening answers and the rest of a participant's record go to that participant and staff only", () => {
    const c = planned();
    const [d] = decideScreening(c, { id: "s1", answers: clean }, p1);
    if (!d) throw new Error("no draft");
    const e: StoredEvent = { ...d, at: "2026-12-01T00:00:00.000Z", seq: 9, epoch: "e" };
    expect(cohortAudience(e)).toEqual({ kind: "participant", userId: "p1" });
    expect(cohortAudience({ ...e, type: "session.scheduled", data: {} })).toEqual({ kind: "staff" });
  });

  it("[RDY1] only the participant fills in their forms; only staff review and record attendance", () => {
    const c = planned();
    expect(refusal(() => decideScreening(c, { id: "x", answers: clean }, f1)).code).toBe("FORBIDDEN");
    expect(refusal(() => decideReview(c, { id: "x", participantId: "p1" }, p1)).code).toBe("FORBIDDEN");
    expect(refusal(() => decideReview(c, { id: "x", participantId: "p1" }, f1)).message).toContain(
      "has not submitted a screening",
    );
    const prep = c.schedule.find((s) => s.kind === "preparation");
    expect(
      refusal(() =>
        decidePreparation(
          c,
          { id: "x", participantId: "p1", sessionId: prep?.id ?? "" },
          f1,
          "2026-11-30T00:00:00.000Z",
        ),
      ).message,
    ).toContain("once the preparation session has started");
  });

  it("[AC5] a cohort never enrols more participants than its room holds", () => {
    const full = cohortWith({ capacity: 3, participants: 3 });
    expect(refusal(() => decideEnrol(full, { id: "e", userId: "new", via: "invite" }, "sys")).message).toBe(
      "This cohort is full: its room holds 3 participants and 3 are enrolled.",
    );
    expect(
      decideEnrol(cohortWith({ capacity: 4, participants: 3 }), { id: "e", userId: "new", via: "invite" }, "sys"),
    ).toHaveLength(1);
  });
});

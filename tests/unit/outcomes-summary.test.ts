import { describe, expect, it } from "vitest";
import type { Submission } from "../../shared/domain/outcome.js";
import type { Instrument } from "../../shared/outcomes/instruments.js";
import { DEFAULT_SCHEDULE, type AssessmentSchedule } from "../../shared/outcomes/schedule.js";
import { isResponse, summarize, summarizeCohort } from "../../shared/outcomes/summary.js";
import { cohortByVisit, participantSeries } from "../../shared/outcomes/chart.js";
import { quantileSorted, spreadOf } from "../../shared/outcomes/stats.js";
import { bandOf, definitionOf } from "../../shared/outcomes/score.js";

let seq = 0;
/** A submission as the outcome stream's reducer keeps it; answers are irrelevant to summaries. */
function sub(participantId: string, visitId: string, total: number, instrument: Instrument = "phq9"): Submission {
  seq += 1;
  const def = definitionOf(instrument);
  return {
    id: `s${seq}`,
    seq,
    participantId,
    instrument,
    visitId,
    answers: def.items.map(() => 0),
    total,
    band: bandOf(def, total).code,
    at: new Date(Date.UTC(2026, 10, 1) + seq * 60_000).toISOString(),
  };
}

const S = DEFAULT_SCHEDULE;
const of = (subs: Submission[], instrument: Instrument = "phq9", p = "p1") => summarize(subs, S, p, instrument);

describe("outcomes per participant", () => {
  it("[OUT4] baseline, latest, change and percent change, and the sentence", () => {
    const s = of([sub("p1", "baseline", 18), sub("p1", "day-1", 12), sub("p1", "day-7", 7)]);
    expect(s.baseline).toMatchObject({ visitId: "baseline", visitLabel: "Baseline", total: 18 });
    expect(s.baseline?.band.code).toBe("moderately-severe");
    expect(s.latest).toMatchObject({ visitId: "day-7", visitLabel: "Day 7", total: 7 });
    expect(s.change).toBe(-11);
    expect(s.percentChange).toBeCloseTo(-61.11, 2);
    expect([s.response, s.remission]).toEqual([true, false]);
    expect(s.words).toBe(
      "PHQ-9 fell from 18 (moderately severe) to 7 (mild), a 61 % drop: response, not yet remission.",
    );
  });

  it("[OUT4] exactly a 50 % drop is a response; 49 % is not", () => {
    expect(isResponse(18, 9)).toBe(true);
    expect(isResponse(100, 50)).toBe(true);
    expect(isResponse(100, 51)).toBe(false);
    expect(of([sub("p1", "baseline", 18), sub("p1", "day-7", 9)]).response).toBe(true);
    // 27 → 14 is a 48 % drop: the nearest to 50 % below it that whole totals allow.
    const s = of([sub("p1", "baseline", 27), sub("p1", "day-7", 14)]);
    expect(s.response).toBe(false);
    expect(s.words).toBe(
      "PHQ-9 fell from 27 (severe) to 14 (moderate), a 48 % drop: no response yet, not yet remission.",
    );
  });

  it("[OUT4] PHQ-9 remission is a total below 5: 5 is not remission, 4 is", () => {
    expect(of([sub("p1", "baseline", 20), sub("p1", "day-28", 5)]).remission).toBe(false);
    const s = of([sub("p1", "baseline", 20), sub("p1", "day-28", 4)]);
    expect(s.remission).toBe(true);
    expect(s.words).toBe("PHQ-9 fell from 20 (severe) to 4 (minimal), an 80 % drop: response, remission.");
  });

  it("[OUT4] QIDS-SR16 remission is 5 or less: 5 is remission, 6 is not", () => {
    const five = of([sub("p1", "baseline", 16, "qids-sr16"), sub("p1", "day-14", 5, "qids-sr16")], "qids-sr16");
    expect(five.remission).toBe(true);
    expect(five.words).toBe("QIDS-SR16 fell from 16 (severe) to 5 (no depression), a 69 % drop: response, remission.");
    expect(
      of([sub("p1", "baseline", 16, "qids-sr16"), sub("p1", "day-14", 6, "qids-sr16")], "qids-sr16").remission,
    ).toBe(false);
  });

  it("[OUT4] no baseline → no response (not yet judged), though remission can be", () => {
    const s = of([sub("p1", "day-1", 15), sub("p1", "day-7", 3)]);
    expect(s).toMatchObject({ baseline: null, change: null, percentChange: null, response: null, remission: true });
    expect(s.latest?.total).toBe(3);
    expect(s.words).toBe("PHQ-9 is 3 (minimal), with no baseline to compare it to: remission.");
  });

  it("[OUT4] a baseline of 0 has nothing to halve: response is not judged", () => {
    const s = of([sub("p1", "baseline", 0), sub("p1", "day-7", 2)]);
    expect(s).toMatchObject({ change: 2, percentChange: null, response: null, remission: true });
    expect(s.words).toBe("PHQ-9 rose from 0 (minimal) to 2 (minimal): remission.");
    expect(isResponse(0, 0)).toBeNull();
  });

  it("[OUT4] a baseline alone: latest is the baseline, nothing judged yet; nothing at all says so", () => {
    const s = of([sub("p1", "baseline", 12)]);
    expect(s).toMatchObject({ change: null, response: null, remission: null });
    expect(s.latest).toEqual(s.baseline);
    expect(s.words).toBe("PHQ-9 baseline 12 (moderate); no follow-up yet.");
    expect(of([]).words).toBe("No PHQ-9 answered yet.");
    expect(of([sub("p2", "baseline", 12)]).baseline).toBeNull();
    expect(of([sub("p1", "baseline", 12, "qids-sr16")]).baseline).toBeNull();
  });

  it("[OUT4] a rise and no change read as such; a second answer to the baseline visit is not a follow-up", () => {
    expect(of([sub("p1", "baseline", 8), sub("p1", "day-7", 12)]).words).toBe(
      "PHQ-9 rose from 8 (mild) to 12 (moderate), a 50 % rise: no response yet, not yet remission.",
    );
    expect(of([sub("p1", "baseline", 8), sub("p1", "day-7", 8)]).words).toBe(
      "PHQ-9 stayed at 8 (mild): no response yet, not yet remission.",
    );
    const twice = of([sub("p1", "baseline", 14), sub("p1", "baseline", 3)]);
    expect(twice.baseline?.total).toBe(14);
    expect(twice.response).toBeNull();
  });

  it("[OUT4] a schedule without a baseline visit has no baseline; a visit dropped from the schedule keeps its id as label", () => {
    const noBase: AssessmentSchedule = { ...S, visits: S.visits.filter((v) => v.day !== null) };
    const subs = [sub("p1", "baseline", 18), sub("p1", "day-99", 6)];
    const s = summarize(subs, noBase, "p1", "phq9");
    expect(s.baseline).toBeNull();
    expect(s.latest?.visitLabel).toBe("day-99");
  });
});

describe("outcomes for the cohort", () => {
  it("[OUT4] counts participants with a baseline, responders and remitters, and says so in words", () => {
    const subs = [
      ...[sub("a", "baseline", 20), sub("a", "day-7", 9)], // response, not remission
      ...[sub("b", "baseline", 10), sub("b", "day-7", 4)], // response and remission
      ...[sub("c", "baseline", 12), sub("c", "day-7", 11)], // neither
      sub("d", "baseline", 15), // baseline only
      sub("e", "day-7", 3), // no baseline, remission
      sub("f", "baseline", 22, "qids-sr16"), // other instrument
    ];
    const c = summarizeCohort(subs, S, "phq9");
    expect(c).toMatchObject({
      participants: 5,
      withBaseline: 4,
      judged: 3,
      responders: 2,
      withFollowUp: 4,
      remitters: 2,
    });
    expect(c.perParticipant.map((p) => p.participantId)).toEqual(["a", "b", "c", "d", "e"]);
    expect(c.words).toBe(
      "5 participants answered the PHQ-9, 4 with a baseline. Response: 2 of 3 with a baseline and a follow-up. Remission: 2 of 4 with a follow-up.",
    );
    expect(summarizeCohort([], S, "qids-sr16").words).toBe("No QIDS-SR16 answered yet.");
  });
});

describe("the cohort chart's numbers", () => {
  it("[OUT6] quartiles by linear interpolation between closest ranks (type 7), with min and max", () => {
    expect(spreadOf([1, 2, 3, 4])).toEqual({ n: 4, min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4 });
    expect(spreadOf([7, 1, 3, 5, 9])).toEqual({ n: 5, min: 1, q1: 3, median: 5, q3: 7, max: 9 });
    expect(spreadOf([6])).toEqual({ n: 1, min: 6, q1: 6, median: 6, q3: 6, max: 6 });
    expect(spreadOf([2, 10])).toEqual({ n: 2, min: 2, q1: 4, median: 6, q3: 8, max: 10 });
    expect(spreadOf([])).toBeNull();
    expect(quantileSorted([], 0.5)).toBeNull();
    // R: quantile(c(3, 6, 7, 8, 8, 10, 13, 15, 16, 20)) → 7.25, 9, 14.5
    expect(spreadOf([20, 3, 6, 7, 8, 8, 10, 13, 15, 16])).toEqual({
      n: 10,
      min: 3,
      q1: 7.25,
      median: 9,
      q3: 14.5,
      max: 20,
    });
  });

  it("[OUT6] per visit in schedule order and per instrument; each participant once per visit; empty visits kept", () => {
    const subs = [
      sub("a", "day-7", 9),
      sub("a", "baseline", 20),
      sub("b", "baseline", 10),
      sub("c", "baseline", 15),
      sub("c", "baseline", 2), // a second answer to the same visit does not count twice
      sub("a", "baseline", 12, "qids-sr16"),
    ];
    const points = cohortByVisit(subs, S);
    expect(points.map((p) => `${p.instrument}/${p.visitId}:${p.n}`)).toEqual([
      "phq9/baseline:3",
      "phq9/day-1:0",
      "phq9/day-7:1",
      "phq9/day-14:0",
      "phq9/day-28:0",
      "phq9/day-42:0",
      "qids-sr16/baseline:1",
      "qids-sr16/day-1:0",
      "qids-sr16/day-7:0",
      "qids-sr16/day-14:0",
      "qids-sr16/day-28:0",
      "qids-sr16/day-42:0",
    ]);
    expect(points[0]).toMatchObject({
      label: "Baseline",
      spread: { min: 10, q1: 12.5, median: 15, q3: 17.5, max: 20 },
    });
    expect(points[1]?.spread).toBeNull();
  });

  it("[OUT6] a participant's series: their own scores for one instrument, in order, labelled by visit", () => {
    const subs = [
      sub("a", "baseline", 20),
      sub("b", "baseline", 3),
      sub("a", "day-1", 14),
      sub("a", "day-1", 5, "qids-sr16"),
    ];
    expect(participantSeries(subs, S, "a", "phq9").map((p) => [p.label, p.total, p.band])).toEqual([
      ["Baseline", 20, "severe"],
      ["Day 1", 14, "moderate"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { answersSchema } from "../../shared/outcomes/answers.js";
import { OutcomeSubmit } from "../../shared/protocol/outcomes.js";

/** The refusal's issues as [path, message] pairs; fails the test if the answers were accepted. */
function refusal(instrument: "phq9" | "qids-sr16", answers: unknown): [PropertyKey[], string][] {
  const r = answersSchema(instrument).safeParse(answers);
  if (r.success) throw new Error(`accepted ${JSON.stringify(answers)}`);
  return r.error.issues.map((i) => [i.path, i.message]);
}

const nine = (over: Record<number, unknown> = {}): unknown[] =>
  Array.from({ length: 9 }, (_, i) => (i in over ? over[i] : 0));

describe("questionnaire answers are parsed before anything is scored", () => {
  it("[OUT1] an out-of-range answer is refused, naming the question", () => {
    expect(refusal("phq9", nine({ 8: 4 }))).toEqual([[[8], "Question 9 has no answer 4."]]);
    expect(refusal("phq9", nine({ 0: -1 }))).toEqual([[[0], "Question 1 has no answer -1."]]);
    expect(
      refusal(
        "qids-sr16",
        Array.from({ length: 16 }, (_, i) => (i === 11 ? 7 : 0)),
      ),
    ).toEqual([[[11], "Question 12 has no answer 7."]]);
  });

  it("[OUT1] a non-integer answer is refused, naming the question", () => {
    expect(refusal("phq9", nine({ 2: 1.5 }))).toEqual([
      [[2], "Question 3 needs one of its answers, given as its number (0 to 3)."],
    ]);
    expect(refusal("phq9", nine({ 4: Number.NaN }))).toEqual([
      [[4], "Question 5 needs one of its answers, given as its number (0 to 3)."],
    ]);
  });

  it("[OUT1][OUT3] missing items are refused", () => {
    expect(refusal("phq9", [0, 1, 2, 3, 0, 1, 2, 3])).toEqual([[[], "The PHQ-9 has 9 questions; answer each once."]]);
    expect(refusal("phq9", [])).toEqual([[[], "The PHQ-9 has 9 questions; answer each once."]]);
    expect(refusal("qids-sr16", nine())).toEqual([[[], "The QIDS-SR16 has 16 questions; answer each once."]]);
  });

  it("[OUT1][OUT3] extra items are refused", () => {
    expect(refusal("phq9", [...nine(), 0])).toEqual([[[], "The PHQ-9 has 9 questions; answer each once."]]);
    expect(
      refusal(
        "qids-sr16",
        Array.from({ length: 17 }, () => 1),
      ),
    ).toEqual([[[], "The QIDS-SR16 has 16 questions; answer each once."]]);
  });

  it("[OUT1] a wrong type is refused: a string answer, a null answer, not a list at all", () => {
    expect(refusal("phq9", nine({ 1: "2" }))).toEqual([
      [[1], "Question 2 needs one of its answers, given as its number (0 to 3)."],
    ]);
    expect(refusal("phq9", nine({ 6: null }))).toEqual([
      [[6], "Question 7 needs one of its answers, given as its number (0 to 3)."],
    ]);
    for (const bad of ["0,0,0,0,0,0,0,0,0", { 0: 1 }, null, 9])
      expect(refusal("phq9", bad)[0]).toEqual([[], "The answers to the PHQ-9 are a list, one per question."]);
  });

  it("[OUT1] inside the submit command the path leads to the answer, and the other instrument's length is refused", () => {
    const base = { id: "sub-1", cohortId: "c1", visitId: "baseline" };
    const r = OutcomeSubmit.safeParse({ ...base, instrument: "phq9", answers: nine({ 3: "x" }) });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [["answers", 3], "Question 4 needs one of its answers, given as its number (0 to 3)."],
    ]);
    expect(OutcomeSubmit.safeParse({ ...base, instrument: "qids-sr16", answers: nine() }).success).toBe(false);
    expect(OutcomeSubmit.safeParse({ ...base, instrument: "phq9", answers: nine() }).success).toBe(true);
  });

  it("[OUT1][OUT3] property: every list of the right length with answers 0–3 is accepted as is", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(["phq9", 9] as const, ["qids-sr16", 16] as const),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 16, maxLength: 16 }),
        ([instrument, n], values) => {
          const answers = values.slice(0, n);
          expect(answersSchema(instrument).parse(answers)).toEqual(answers);
        },
      ),
    );
  });
});

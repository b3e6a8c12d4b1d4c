import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PHQ9 } from "../../shared/outcomes/phq9.js";
import { QIDS_SR16 } from "../../shared/outcomes/qids-sr16.js";
import { bandOf, scoreAnswers } from "../../shared/outcomes/score.js";
import type { QuestionnaireDef } from "../../shared/outcomes/instruments.js";

/** PHQ-9 answers reaching `total`: items filled with 3s from the first, in order. */
function phqTotal(total: number): number[] {
  return Array.from({ length: 9 }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
}

/**
 * QIDS-SR16 answers reaching `total` through the nine domains (sleep, sad, appetite/weight,
 * items 10–14, psychomotor), each filled up to 3 in that order; a domain's score sits on its
 * first item.
 */
const DOMAIN_FIRST_ITEM = [1, 5, 6, 10, 11, 12, 13, 14, 15];
function qidsTotal(total: number): number[] {
  const a = Array.from({ length: 16 }, () => 0);
  DOMAIN_FIRST_ITEM.forEach((n, d) => (a[n - 1] = Math.max(0, Math.min(3, total - 3 * d))));
  return a;
}

const bandCodes = (def: QuestionnaireDef, totals: number[], make: (t: number) => number[]) =>
  totals.map((t) => {
    const s = scoreAnswers(def.instrument, make(t));
    expect(s.total, `answers for ${t}`).toBe(t);
    return s.band.code;
  });

describe("PHQ-9 scoring", () => {
  it("[OUT1] every band edge: 0, 4/5, 9/10, 14/15, 19/20, 27", () => {
    expect(bandCodes(PHQ9, [0, 4, 5, 9, 10, 14, 15, 19, 20, 27], phqTotal)).toEqual([
      "minimal",
      "minimal",
      "mild",
      "mild",
      "moderate",
      "moderate",
      "moderately-severe",
      "moderately-severe",
      "severe",
      "severe",
    ]);
    expect(bandOf(PHQ9, 5).label).toBe("Mild depression");
    expect(bandOf(PHQ9, 15).label).toBe("Moderately severe depression");
    expect(() => bandOf(PHQ9, 28)).toThrow(RangeError);
    expect(() => bandOf(PHQ9, -1)).toThrow(RangeError);
  });

  it("[OUT1] nine items with the published options 0–3 and the LOINC codes of panel 44249-1", () => {
    expect(PHQ9.items.map((i) => i.loinc)).toEqual([
      "44250-9",
      "44255-8",
      "44259-0",
      "44254-1",
      "44251-7",
      "44258-2",
      "44252-5",
      "44253-3",
      "44260-8",
    ]);
    expect(PHQ9.items.map((i) => i.linkId)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    for (const item of PHQ9.items)
      expect(item.options.map((o) => [o.value, o.label, o.loinc])).toEqual([
        [0, "Not at all", "LA6568-5"],
        [1, "Several days", "LA6569-3"],
        [2, "More than half the days", "LA6570-1"],
        [3, "Nearly every day", "LA6571-9"],
      ]);
    expect(PHQ9.items[8]?.text).toBe("Thoughts that you would be better off dead or of hurting yourself in some way");
    expect([PHQ9.loincPanel, PHQ9.loincTotal, PHQ9.maxTotal]).toEqual(["44249-1", "44261-6", 27]);
  });

  it("[OUT1] property: any nine answers 0–3 total 0–27, the plain sum, in exactly one band", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }), (answers) => {
        const { total, band } = scoreAnswers("phq9", answers);
        expect(total).toBe(answers.reduce((s, a) => s + a, 0));
        expect(total).toBeGreaterThanOrEqual(0);
        expect(total).toBeLessThanOrEqual(27);
        expect(PHQ9.bands.filter((b) => total >= b.min && total <= b.max)).toEqual([band]);
      }),
    );
  });

  it("[OUT1] property: the bands partition 0–27 (every total in exactly one band)", () => {
    expectPartition(PHQ9);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 27 }), (t) => {
        expect(PHQ9.bands.filter((b) => t >= b.min && t <= b.max)).toHaveLength(1);
      }),
    );
  });

  it("[OUT2] item 9 = 1 with every other item 0 raises the safety alert, whatever the total", () => {
    const s = scoreAnswers("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(s).toMatchObject({ total: 1, safety: true });
    expect(s.band.code).toBe("minimal");
    expect(scoreAnswers("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0]).safety).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 9, maxLength: 9 }), (answers) => {
        expect(scoreAnswers("phq9", answers).safety).toBe((answers[8] ?? 0) > 0);
      }),
    );
  });
});

describe("QIDS-SR16 scoring", () => {
  it("[OUT3] every band edge: 0, 5/6, 10/11, 15/16, 20/21, 27", () => {
    expect(bandCodes(QIDS_SR16, [0, 5, 6, 10, 11, 15, 16, 20, 21, 27], qidsTotal)).toEqual([
      "none",
      "none",
      "mild",
      "mild",
      "moderate",
      "moderate",
      "severe",
      "severe",
      "very-severe",
      "very-severe",
    ]);
    expect(bandOf(QIDS_SR16, 21).label).toBe("Very severe depression");
    expect(() => bandOf(QIDS_SR16, 28)).toThrow(RangeError);
  });

  it("[OUT3] the sleep domain counts its highest item (1–4), not their sum", () => {
    const zero = Array.from({ length: 16 }, () => 0);
    const with_ = (pairs: [number, number][]) => {
      const a = [...zero];
      for (const [n, v] of pairs) a[n - 1] = v;
      return scoreAnswers("qids-sr16", a).total;
    };
    expect(with_([[1, 2]])).toBe(2);
    expect(with_([[4, 3]])).toBe(3);
    expect(
      with_([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 1],
      ]),
    ).toBe(3);
    // Differ only in non-max sleep items: the total is the same.
    expect(
      with_([
        [2, 3],
        [1, 0],
        [3, 0],
      ]),
    ).toBe(
      with_([
        [2, 3],
        [1, 2],
        [3, 3],
        [4, 1],
      ]),
    );
  });

  it("[OUT3] the appetite/weight domain counts its highest item (6–9)", () => {
    const a = (six: number, seven: number, eight: number, nine: number) =>
      scoreAnswers("qids-sr16", [0, 0, 0, 0, 0, six, seven, eight, nine, 0, 0, 0, 0, 0, 0, 0]).total;
    expect(a(0, 0, 0, 0)).toBe(0);
    expect(a(2, 0, 0, 0)).toBe(2);
    expect(a(0, 0, 0, 3)).toBe(3);
    expect(a(1, 2, 1, 2)).toBe(2);
    expect(a(3, 0, 3, 0)).toBe(a(3, 2, 1, 0));
  });

  it("[OUT3] the psychomotor domain counts its highest item (15–16)", () => {
    const p = (fifteen: number, sixteen: number) =>
      scoreAnswers("qids-sr16", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, fifteen, sixteen]).total;
    expect(p(0, 0)).toBe(0);
    expect(p(2, 0)).toBe(2);
    expect(p(1, 3)).toBe(3);
    expect(p(2, 2)).toBe(2);
  });

  it("[OUT3] items 5 and 10–14 count one each; all at 3 is the maximum 27", () => {
    for (const n of [5, 10, 11, 12, 13, 14]) {
      const a = Array.from({ length: 16 }, (_, i) => (i === n - 1 ? 2 : 0));
      expect(scoreAnswers("qids-sr16", a).total, `item ${n}`).toBe(2);
    }
    expect(
      scoreAnswers(
        "qids-sr16",
        Array.from({ length: 16 }, () => 3),
      ).total,
    ).toBe(27);
  });

  it("[OUT3] property: changing an item that is not its domain's highest (to at most that highest) keeps the total", () => {
    const domains = [
      [1, 2, 3, 4],
      [6, 7, 8, 9],
      [15, 16],
    ];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 16, maxLength: 16 }),
        fc.constantFrom(...domains),
        fc.nat(),
        fc.nat(),
        (answers, domain, which, value) => {
          const n = domain[which % domain.length] ?? domain[0] ?? 1;
          const othersTop = Math.max(...domain.filter((m) => m !== n).map((m) => answers[m - 1] ?? 0));
          // Item n is not the domain's unique highest, and its new value stays under the others' highest.
          fc.pre((answers[n - 1] ?? 0) <= othersTop);
          const changed = [...answers];
          changed[n - 1] = value % (othersTop + 1);
          expect(scoreAnswers("qids-sr16", changed).total).toBe(scoreAnswers("qids-sr16", answers).total);
        },
      ),
    );
  });

  it("[OUT3] property: any sixteen answers 0–3 total 0–27, in exactly one band; the bands partition 0–27", () => {
    expectPartition(QIDS_SR16);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 16, maxLength: 16 }), (answers) => {
        const { total, band } = scoreAnswers("qids-sr16", answers);
        expect(total).toBeGreaterThanOrEqual(0);
        expect(total).toBeLessThanOrEqual(27);
        expect(QIDS_SR16.bands.filter((b) => total >= b.min && total <= b.max)).toEqual([band]);
      }),
    );
  });

  it("[OUT3] sixteen items, four published options each (0–3), the three domains grouped, no invented LOINC", () => {
    expect(QIDS_SR16.items.map((i) => i.linkId)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)));
    for (const item of QIDS_SR16.items) {
      expect(item.options.map((o) => o.value)).toEqual([0, 1, 2, 3]);
      expect(new Set(item.options.map((o) => o.label)).size).toBe(4);
      expect(item.options.every((o) => o.loinc === null && o.label.endsWith("."))).toBe(true);
      expect(item.loinc).toBeNull();
    }
    const groupOf = (n: number) => QIDS_SR16.items[n - 1]?.group;
    expect([1, 2, 3, 4].map(groupOf)).toEqual(["Sleep", "Sleep", "Sleep", "Sleep"]);
    expect(new Set([6, 7, 8, 9].map(groupOf))).toEqual(new Set(["Appetite and weight"]));
    expect(new Set([15, 16].map(groupOf))).toEqual(new Set(["Slowed down or restless"]));
    expect([5, 10, 11, 12, 13, 14].map(groupOf)).toEqual([null, null, null, null, null, null]);
    expect(QIDS_SR16.items[11]?.text).toBe("Thoughts of death or suicide");
    expect(QIDS_SR16.items[0]?.options[0]?.label).toBe("I never take longer than 30 minutes to fall asleep.");
    expect([QIDS_SR16.loincPanel, QIDS_SR16.loincTotal]).toEqual([null, null]);
  });

  it("[OUT2] item 12 (thoughts of death or suicide) above 0 raises the safety alert, whatever the total", () => {
    const a = Array.from({ length: 16 }, (_, i) => (i === 11 ? 1 : 0));
    expect(scoreAnswers("qids-sr16", a)).toMatchObject({ total: 1, safety: true });
    expect(
      scoreAnswers(
        "qids-sr16",
        a.map((_, i) => (i === 11 ? 0 : 3)),
      ).safety,
    ).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 16, maxLength: 16 }), (answers) => {
        expect(scoreAnswers("qids-sr16", answers).safety).toBe((answers[11] ?? 0) > 0);
      }),
    );
  });
});

/** Bands sorted, contiguous, from 0 to maxTotal with no gap or overlap. */
function expectPartition(def: QuestionnaireDef): void {
  expect(def.bands[0]?.min).toBe(0);
  expect(def.bands.at(-1)?.max).toBe(def.maxTotal);
  def.bands.forEach((b, i) => {
    expect(b.min).toBeLessThanOrEqual(b.max);
    if (i > 0) expect(b.min).toBe((def.bands[i - 1]?.max ?? -2) + 1);
  });
  for (let t = 0; t <= def.maxTotal; t++) expect(def.bands.filter((b) => t >= b.min && t <= b.max)).toHaveLength(1);
}

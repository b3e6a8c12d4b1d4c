import { describe, expect, it } from "vitest";
import Validator from "@asymmetrik/fhir-json-schema-validator";
import type { Submission } from "../../shared/domain/outcome.js";
import type { Instrument } from "../../shared/outcomes/instruments.js";
import { definitionOf, scoreAnswers } from "../../shared/outcomes/score.js";
import {
  HOLDSPACE_FHIR,
  LOINC,
  TOTAL_SYSTEM,
  answerSystem,
  bandSystem,
  outcomeBundle,
  programPatientSystem,
  type ExportedSubmission,
  type PatientIdentity,
} from "../../shared/outcomes/fhir.js";
import type { Bundle, Observation, QuestionnaireResponse } from "../../shared/outcomes/fhir-types.js";
import { uuidV5 } from "../../shared/outcomes/fhir-uuid.js";

// One compiled schema for the file: compiling the 3 MB R4 schema takes a while. `validate(x, true)`
// returns the raw errors; without it the library recompiles a sub-schema for every invalid resource.
const validator = new Validator();

const PHQ9_ITEM_CODES = [
  "44250-9",
  "44255-8",
  "44259-0",
  "44254-1",
  "44251-7",
  "44258-2",
  "44252-5",
  "44253-3",
  "44260-8",
];
const PHQ9_ANSWER_CODES = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"];

const who: PatientIdentity = { system: programPatientSystem("prog-1"), value: "user-p1", name: "Avery Quinn" };

function submission(instrument: Instrument, answers: number[], id: string, at: string): Submission {
  const { total, band } = scoreAnswers(instrument, answers);
  return { id, seq: 1, participantId: "user-p1", instrument, visitId: "baseline", answers, total, band: band.code, at };
}

const phq = (answers: number[], id = "sub-phq", at = "2026-03-01T17:00:00.000Z"): ExportedSubmission => ({
  cohortId: "co-1",
  submission: submission("phq9", answers, id, at),
});
const qids = (answers: number[], id = "sub-qids", at = "2026-03-02T17:00:00.000Z"): ExportedSubmission => ({
  cohortId: "co-1",
  submission: submission("qids-sr16", answers, id, at),
});

const NOW = "2026-04-01T12:00:00.000Z";

function responses(b: Bundle): QuestionnaireResponse[] {
  return b.entry.flatMap((e) => (e.resource.resourceType === "QuestionnaireResponse" ? [e.resource] : []));
}
function observations(b: Bundle): Observation[] {
  return b.entry.flatMap((e) => (e.resource.resourceType === "Observation" ? [e.resource] : []));
}
function only<T>(xs: T[]): T {
  expect(xs).toHaveLength(1);
  const [x] = xs;
  if (x === undefined) throw new Error("expected one");
  return x;
}
/** A resource as plain JSON (what goes over the wire), for mutating in the negative controls. */
function json(x: unknown): Record<string, unknown> {
  const parsed: unknown = JSON.parse(JSON.stringify(x));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
  return Object.fromEntries(Object.entries(parsed));
}

describe("FHIR R4 export of questionnaires [OUT7]", () => {
  const mixed = outcomeBundle(
    who,
    [phq([1, 2, 0, 3, 1, 0, 2, 1, 1]), qids([1, 2, 0, 3, 1, 0, 2, 1, 1, 2, 0, 1, 3, 2, 1, 0])],
    NOW,
  );

  it("[OUT7] the Bundle and every resource in it are valid against the official FHIR R4 JSON schema", () => {
    expect(mixed.entry.map((e) => e.resource.resourceType)).toEqual([
      "Patient",
      "QuestionnaireResponse",
      "Observation",
      "QuestionnaireResponse",
      "Observation",
    ]);
    expect(validator.validate(json(mixed))).toEqual([]);
    for (const e of mixed.entry)
      expect([e.resource.resourceType, validator.validate(json(e.resource))]).toEqual([e.resource.resourceType, []]);
    // Every band of both instruments, so each interpretation coding is validated too.
    for (const x of [phq([0, 0, 0, 0, 0, 0, 0, 0, 0]), phq([3, 3, 3, 3, 3, 3, 3, 3, 3])]) {
      const b = outcomeBundle(who, [x], NOW);
      expect(validator.validate(json(b))).toEqual([]);
    }
  });

  it("[OUT7] negative control: the validator rejects broken resources (so the checks above mean something)", () => {
    const qr = json(responses(mixed)[0]);
    const obs = json(observations(mixed)[0]);
    const broken: [string, Record<string, unknown>][] = [
      ["a status QuestionnaireResponse does not have", { ...qr, status: "done" }],
      ["an element that does not exist", { ...qr, answeredBy: "someone" }],
      ["a date that is not a FHIR dateTime", { ...qr, authored: "1 March 2026" }],
      ["a decimal given as a string", { ...obs, valueQuantity: { value: "seven" } }],
      ["a resource type that does not exist", { ...obs, resourceType: "Obsrvation" }],
      ["a Bundle type that does not exist", { ...json(mixed), type: "kollection" }],
      [
        "a broken resource inside an entry",
        { ...json(mixed), entry: [{ fullUrl: "urn:uuid:x", resource: { ...qr, status: "done" } }] },
      ],
    ];
    for (const [why, resource] of broken)
      expect({ why, rejected: validator.validate(resource, true).length > 0 }).toEqual({ why, rejected: true });
  });

  it("[OUT7] a PHQ-9 response names LOINC's questionnaire (panel 44249-1), its item codes as linkIds and LOINC answer codes", () => {
    const answers = [1, 2, 0, 3, 1, 0, 2, 1, 1];
    const qr = only(responses(outcomeBundle(who, [phq(answers)], NOW)));
    expect(qr.questionnaire).toBe("http://loinc.org/q/44249-1");
    expect(qr.status).toBe("completed");
    expect(qr.authored).toBe("2026-03-01T17:00:00.000Z");
    // LOINC's published questionnaire for 44249-1 uses "/<item code>" linkIds.
    expect(qr.item.map((i) => i.linkId)).toEqual(PHQ9_ITEM_CODES.map((c) => `/${c}`));
    expect(qr.item.map((i) => i.text)).toEqual(definitionOf("phq9").items.map((i) => i.text));
    qr.item.forEach((item, i) => {
      const value = answers[i] ?? -1;
      expect(item.answer).toEqual([
        {
          valueCoding: {
            system: LOINC,
            code: PHQ9_ANSWER_CODES[value],
            display: definitionOf("phq9").items[i]?.options[value]?.label,
            extension: [{ url: "http://hl7.org/fhir/StructureDefinition/ordinalValue", valueDecimal: value }],
          },
        },
      ]);
    });
  });

  it.each([
    [[0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal", "Minimal depression"],
    [[1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal", "Minimal depression"],
    [[1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild", "Mild depression"],
    [[2, 2, 2, 2, 1, 1, 0, 0, 0], 10, "moderate", "Moderate depression"],
    [[2, 2, 2, 2, 2, 2, 2, 1, 0], 15, "moderately-severe", "Moderately severe depression"],
    [[3, 3, 3, 3, 2, 2, 2, 1, 1], 20, "severe", "Severe depression"],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe", "Severe depression"],
  ])(
    "[OUT7] a PHQ-9 of %j: its total (%i) is an Observation coded LOINC 44261-6, interpreted as %s",
    (answers, total, code, label) => {
      const b = outcomeBundle(who, [phq(answers)], NOW);
      const obs = only(observations(b));
      const qrEntry = b.entry.find((e) => e.resource.resourceType === "QuestionnaireResponse");
      expect(obs.status).toBe("final");
      expect(obs.category).toEqual([
        {
          coding: [
            { system: "http://terminology.hl7.org/CodeSystem/observation-category", code: "survey", display: "Survey" },
          ],
        },
      ]);
      expect(obs.code.coding).toEqual([
        {
          system: LOINC,
          code: "44261-6",
          display: "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        },
      ]);
      expect(obs.valueQuantity).toEqual({
        value: total,
        unit: "{score}",
        system: "http://unitsofmeasure.org",
        code: "{score}",
      });
      expect(obs.interpretation).toEqual([
        { coding: [{ system: `${HOLDSPACE_FHIR}/CodeSystem/phq9-severity`, code, display: label }], text: label },
      ]);
      expect(obs.effectiveDateTime).toBe("2026-03-01T17:00:00.000Z");
      expect(obs.derivedFrom).toEqual([{ reference: qrEntry?.fullUrl, type: "QuestionnaireResponse" }]);
      expect(validator.validate(json(obs))).toEqual([]);
    },
  );

  it("[OUT7] a QIDS-SR16 response names its definition's canonical; its total uses LOINC's code only where one exists", () => {
    const answers = [1, 2, 0, 3, 1, 0, 2, 1, 1, 2, 0, 1, 3, 2, 1, 0];
    const def = definitionOf("qids-sr16");
    const b = outcomeBundle(who, [qids(answers)], NOW);
    const qr = only(responses(b));
    const obs = only(observations(b));
    expect(qr.questionnaire).toBe(def.canonical);
    expect(qr.item).toHaveLength(16);
    qr.item.forEach((item, i) => {
      const defItem = def.items[i];
      const option = defItem?.options.find((o) => o.value === answers[i]);
      expect(item.text).toBe(defItem?.text);
      expect(item.answer?.[0]?.valueCoding).toEqual({
        system: option?.loinc ? LOINC : answerSystem(def),
        code: option?.loinc ?? `${defItem?.linkId}-${answers[i]}`,
        display: option?.label,
        extension: [{ url: "http://hl7.org/fhir/StructureDefinition/ordinalValue", valueDecimal: answers[i] }],
      });
    });
    // max(1–4)=3 + 5:1 + max(6–9)=2 + 10–14: 2+0+1+3+2=8 + max(15–16)=1 → 15, moderate.
    expect(obs.valueQuantity.value).toBe(15);
    expect(obs.interpretation[0]?.coding).toEqual([
      { system: bandSystem(def), code: "moderate", display: "Moderate depression" },
    ]);
    expect(obs.code).toEqual(
      def.loincTotal === null
        ? {
            coding: [{ system: TOTAL_SYSTEM, code: "qids-sr16", display: "QIDS-SR16 total score" }],
            text: "QIDS-SR16 total score",
          }
        : { coding: [{ system: LOINC, code: def.loincTotal }], text: "QIDS-SR16 total score" },
    );
  });

  it("[OUT7] the patient is identified as the program configures it, and every reference resolves inside the bundle", () => {
    const patient = mixed.entry[0];
    expect(patient?.resource).toEqual({
      resourceType: "Patient",
      id: patient?.fullUrl.replace("urn:uuid:", ""),
      identifier: [{ system: "urn:holdspace:program:prog-1:participant", value: "user-p1" }],
      name: [{ text: "Avery Quinn" }],
    });
    const fullUrls = new Set(mixed.entry.map((e) => e.fullUrl));
    for (const r of [...responses(mixed), ...observations(mixed)]) {
      expect(r.subject).toEqual({
        reference: patient?.fullUrl,
        type: "Patient",
        identifier: { system: who.system, value: who.value },
      });
      expect(fullUrls.has(r.subject.reference)).toBe(true);
    }
    for (const o of observations(mixed)) for (const d of o.derivedFrom) expect(fullUrls.has(d.reference)).toBe(true);
    const anonymous = outcomeBundle({ ...who, name: null }, [], NOW);
    expect(anonymous.entry.map((e) => e.resource)).toEqual([
      {
        resourceType: "Patient",
        id: anonymous.entry[0]?.resource.id,
        identifier: [{ system: who.system, value: who.value }],
      },
    ]);
    expect(validator.validate(json(anonymous))).toEqual([]);
  });

  it("[OUT7] fullUrls are urn:uuid v5 names of the submission: the same export twice gives the same ids, another cohort another", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
    const again = outcomeBundle(
      who,
      [qids([1, 2, 0, 3, 1, 0, 2, 1, 1, 2, 0, 1, 3, 2, 1, 0]), phq([1, 2, 0, 3, 1, 0, 2, 1, 1])],
      NOW,
    );
    expect(again.entry.map((e) => e.fullUrl)).toEqual(mixed.entry.map((e) => e.fullUrl));
    for (const e of mixed.entry) {
      expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
    }
    const elsewhere = outcomeBundle(who, [{ ...phq([1, 2, 0, 3, 1, 0, 2, 1, 1]), cohortId: "co-2" }], NOW);
    expect(elsewhere.entry[1]?.fullUrl).not.toBe(mixed.entry[1]?.fullUrl);
    expect(new Set(mixed.entry.map((e) => e.fullUrl)).size).toBe(mixed.entry.length);
  });
});

import type { Submission } from "../domain/outcome.js";
import type { AnswerOption, Band, QuestionItem, QuestionnaireDef } from "./instruments.js";
import { bandOf, definitionOf } from "./score.js";
import { uuidV5 } from "./fhir-uuid.js";
import type {
  Bundle,
  BundleEntry,
  Coding,
  Identifier,
  Observation,
  Patient,
  QuestionnaireResponse,
  QuestionnaireResponseAnswer,
  Reference,
} from "./fhir-types.js";

/**
 * [OUT7] A participant's questionnaires as a FHIR R4 `Bundle` (`type: collection`) a health
 * record can take in: per submission a `QuestionnaireResponse` (LOINC item and answer codes
 * where the instrument has them) and an `Observation` of the total with its severity band,
 * derived from that response, all about one `Patient`. Pure: the server passes in who and what.
 * Choices and why: docs/decisions-i12-fhir.md.
 */

export const LOINC = "http://loinc.org";
/** Where Holdspace's own code systems live (the QIDS-SR16 canonical sits under it too). */
export const HOLDSPACE_FHIR = "https://holdspace.example/fhir";
const LOINC_QUESTIONNAIRE = "http://loinc.org/q/";
const ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
const OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
const UCUM = "http://unitsofmeasure.org";

/** LOINC's own display names for the total codes we emit (a wrong display is worse than none). */
const LOINC_DISPLAY: Record<string, string> = {
  "44261-6": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
};

/** Who the bundle is about, as the program identifies its participants. */
export interface PatientIdentity {
  /** The identifier system: `programPatientSystem(programId)` unless the program names its own. */
  system: string;
  /** The participant's id in that system (Holdspace's user id by default). */
  value: string;
  /** Shown to the receiving record to match the person; null leaves the name out. */
  name: string | null;
}

/** The default identifier system: one per program, so two programs' user ids never mix. */
export function programPatientSystem(programId: string): string {
  return `urn:holdspace:program:${programId}:participant`;
}

/** A submission and the cohort whose log holds it (submission ids are unique per cohort log). */
export interface ExportedSubmission {
  cohortId: string;
  submission: Submission;
}

/** Holdspace's code system for the answers of an instrument without LOINC answer codes. */
export function answerSystem(def: QuestionnaireDef): string {
  return `${HOLDSPACE_FHIR}/CodeSystem/${def.instrument}-answer`;
}

/** Holdspace's code system for an instrument's severity bands (codes as in the definition). */
export function bandSystem(def: QuestionnaireDef): string {
  return `${HOLDSPACE_FHIR}/CodeSystem/${def.instrument}-severity`;
}

/** Holdspace's code system for totals of instruments LOINC has no total code for. */
export const TOTAL_SYSTEM = `${HOLDSPACE_FHIR}/CodeSystem/questionnaire-total`;

/**
 * The item's `linkId`. A response must use the linkIds of the Questionnaire it names: LOINC's
 * published questionnaires (http://loinc.org/q/…) use "/" + the item's LOINC code ("/44250-9"),
 * so that is what a response to one says; an instrument with our own canonical keeps our ids.
 */
export function fhirLinkId(def: QuestionnaireDef, item: QuestionItem): string {
  return def.canonical.startsWith(LOINC_QUESTIONNAIRE) && item.loinc !== null ? `/${item.loinc}` : item.linkId;
}

/** The FHIR form of one answer: the option's coding (LOINC LA… or ours) with its score as ordinalValue. */
function answerOf(def: QuestionnaireDef, item: QuestionItem, value: number): QuestionnaireResponseAnswer {
  const option: AnswerOption | undefined = item.options.find((o) => o.value === value);
  // Answers are parsed against the definition before they are recorded; a value that is not an
  // option (a definition changed since) still exports, as the number it was.
  if (!option) return { valueInteger: value };
  const ordinal = [{ url: ORDINAL_VALUE, valueDecimal: option.value }];
  return option.loinc !== null
    ? { valueCoding: { system: LOINC, code: option.loinc, display: option.label, extension: ordinal } }
    : {
        valueCoding: {
          system: answerSystem(def),
          code: `${item.linkId}-${option.value}`,
          display: option.label,
          extension: ordinal,
        },
      };
}

function totalCode(def: QuestionnaireDef): { coding: Coding[]; text: string } {
  const text = `${def.shortTitle} total score`;
  if (def.loincTotal !== null) {
    const display = LOINC_DISPLAY[def.loincTotal];
    return {
      coding: [{ system: LOINC, code: def.loincTotal, ...(display === undefined ? {} : { display }) }],
      text,
    };
  }
  return { coding: [{ system: TOTAL_SYSTEM, code: def.instrument, display: text }], text };
}

/** The band the submission was scored in (its recorded code), or the one its total falls in. */
function bandOfSubmission(def: QuestionnaireDef, s: Submission): Band {
  return def.bands.find((b) => b.code === s.band) ?? bandOf(def, s.total);
}

/** Deterministic ids: a UUID v5 of the resource type and what names it ("|" never occurs in ids). */
export function resourceUuid(type: string, ...parts: string[]): string {
  return uuidV5([type, ...parts].join("|"));
}

function submissionSystem(cohortId: string): string {
  return `urn:holdspace:cohort:${cohortId}:submission`;
}

export function questionnaireResponseOf(x: ExportedSubmission, subject: Reference): QuestionnaireResponse {
  const { cohortId, submission: s } = x;
  const def = definitionOf(s.instrument);
  return {
    resourceType: "QuestionnaireResponse",
    id: resourceUuid("QuestionnaireResponse", cohortId, s.id),
    identifier: { system: submissionSystem(cohortId), value: s.id },
    questionnaire: def.canonical,
    status: "completed",
    subject,
    authored: s.at,
    item: def.items.map((item, i) => {
      const value = s.answers[i];
      // An unanswered item says so by having no answer (answers are complete when recorded).
      return {
        linkId: fhirLinkId(def, item),
        text: item.text,
        ...(value === undefined ? {} : { answer: [answerOf(def, item, value)] }),
      };
    }),
  };
}

export function totalObservationOf(x: ExportedSubmission, subject: Reference, response: Reference): Observation {
  const { cohortId, submission: s } = x;
  const def = definitionOf(s.instrument);
  const band = bandOfSubmission(def, s);
  return {
    resourceType: "Observation",
    id: resourceUuid("Observation", cohortId, s.id),
    identifier: [{ system: `${submissionSystem(cohortId)}-total`, value: s.id }],
    status: "final",
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: "survey", display: "Survey" }] }],
    code: totalCode(def),
    subject,
    effectiveDateTime: s.at,
    issued: s.at,
    valueQuantity: { value: s.total, unit: "{score}", system: UCUM, code: "{score}" },
    interpretation: [{ coding: [{ system: bandSystem(def), code: band.code, display: band.label }], text: band.label }],
    derivedFrom: [response],
  };
}

export function patientOf(who: PatientIdentity): Patient {
  return {
    resourceType: "Patient",
    id: resourceUuid("Patient", who.system, who.value),
    identifier: [{ system: who.system, value: who.value }],
    ...(who.name === null ? {} : { name: [{ text: who.name }] }),
  };
}

const urn = (uuid: string) => `urn:uuid:${uuid}`;

/** [OUT7] The bundle: the Patient, then per submission (oldest first) its response and its total. */
export function outcomeBundle(who: PatientIdentity, submissions: readonly ExportedSubmission[], now: string): Bundle {
  const patient = patientOf(who);
  const identifier: Identifier = { system: who.system, value: who.value };
  // The identifier rides along with the reference, so a record that matches patients by
  // identifier (and drops the Patient entry) still knows whose answers these are.
  const subject: Reference = { reference: urn(patient.id), type: "Patient", identifier };
  const entries: BundleEntry[] = [{ fullUrl: urn(patient.id), resource: patient }];
  const ordered = [...submissions].sort((a, b) => a.submission.at.localeCompare(b.submission.at));
  for (const x of ordered) {
    const qr = questionnaireResponseOf(x, subject);
    const response: Reference = { reference: urn(qr.id), type: "QuestionnaireResponse" };
    const obs = totalObservationOf(x, subject, response);
    entries.push({ fullUrl: urn(qr.id), resource: qr }, { fullUrl: urn(obs.id), resource: obs });
  }
  return {
    resourceType: "Bundle",
    id: resourceUuid("Bundle", who.system, who.value, now),
    type: "collection",
    timestamp: now,
    entry: entries,
  };
}

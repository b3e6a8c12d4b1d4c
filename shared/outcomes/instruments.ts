import { z } from "zod";

/**
 * [OUT1][OUT3] Outcome questionnaires as data: one definition per instrument, read by the one
 * renderer (client/src/outcomes), the server's decide, the charts and the FHIR export. Both are
 * free to use; the C-SSRS is deliberately absent (its electronic use needs a licence).
 */
export const Instrument = z.enum(["phq9", "qids-sr16"]);
export type Instrument = z.infer<typeof Instrument>;

export interface AnswerOption {
  value: number;
  /** The published wording of the option. */
  label: string;
  /** LOINC answer code (LA…) where the instrument's LOINC panel defines one. */
  loinc: string | null;
}

export interface QuestionItem {
  /** Stable id of the item inside the instrument ("1".."9" for PHQ-9): the FHIR `linkId`. */
  linkId: string;
  /** The published wording of the question. */
  text: string;
  /** A heading the item belongs to (QIDS-SR16 groups items into domains), or null. */
  group: string | null;
  options: AnswerOption[];
  /** LOINC code of the question, where one exists; null otherwise. */
  loinc: string | null;
}

/** A severity band: totals from `min` to `max` inclusive. Bands partition 0..maxTotal. */
export interface Band {
  min: number;
  max: number;
  /** Machine code ("minimal", "mild", …). */
  code: string;
  /** Words for people ("Mild depression"). */
  label: string;
}

export interface QuestionnaireDef {
  instrument: Instrument;
  /** "Patient Health Questionnaire (PHQ-9)". */
  title: string;
  /** "PHQ-9". */
  shortTitle: string;
  /** The stem every item answers ("Over the last 2 weeks, how often…"). */
  preamble: string;
  items: QuestionItem[];
  maxTotal: number;
  bands: Band[];
  /** [OUT4] A total at or below this is remission (PHQ-9: below 5, so 4; QIDS-SR16: 5). */
  remissionAtMost: number;
  /** The published scoring: answers in item order → total. */
  score(answers: readonly number[]): number;
  /**
   * [OUT2] The item (0-based) that asks about thoughts of death or self-harm: an answer above 0
   * raises a safety alert to the cohort's facilitators at once, whatever the total.
   */
  safetyItem: number;
  /** LOINC panel code (PHQ-9: 44249-1) and total-score code (PHQ-9: 44261-6); null where none exists. */
  loincPanel: string | null;
  loincTotal: string | null;
  /** The FHIR `Questionnaire` canonical URL this instrument's responses name. */
  canonical: string;
}

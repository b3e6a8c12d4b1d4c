import type { AnswerOption, QuestionnaireDef } from "./instruments.js";

// PLACEHOLDER wording: the helper for issue 12 replaces every label with the published QIDS-SR16 text.
const opts = (labels: string[]): AnswerOption[] => labels.map((label, value) => ({ value, label, loinc: null }));
const TITLES = [
  "Falling asleep",
  "Sleep during the night",
  "Waking up too early",
  "Sleeping too much",
  "Feeling sad",
  "Decreased appetite",
  "Increased appetite",
  "Decreased weight (within the last two weeks)",
  "Increased weight (within the last two weeks)",
  "Concentration / decision making",
  "View of myself",
  "Thoughts of death or suicide",
  "General interest",
  "Energy level",
  "Feeling slowed down",
  "Feeling restless",
];
const max = (xs: readonly number[]): number => Math.max(...xs);

export const QIDS_SR16: QuestionnaireDef = {
  instrument: "qids-sr16",
  title: "Quick Inventory of Depressive Symptomatology (QIDS-SR16)",
  shortTitle: "QIDS-SR16",
  preamble: "Please pick the one answer that best describes you for the past seven days.",
  items: TITLES.map((text, i) => ({
    linkId: String(i + 1),
    text,
    group: null,
    options: opts(["0", "1", "2", "3"]),
    loinc: null,
  })),
  maxTotal: 27,
  bands: [
    { min: 0, max: 5, code: "none", label: "No depression" },
    { min: 6, max: 10, code: "mild", label: "Mild depression" },
    { min: 11, max: 15, code: "moderate", label: "Moderate depression" },
    { min: 16, max: 20, code: "severe", label: "Severe depression" },
    { min: 21, max: 27, code: "very-severe", label: "Very severe depression" },
  ],
  remissionAtMost: 5,
  // [OUT3] max(1–4) + 5 + max(6–9) + 10..14 + max(15–16), items numbered from 1.
  score: (a) =>
    max(a.slice(0, 4)) +
    (a[4] ?? 0) +
    max(a.slice(5, 9)) +
    a.slice(9, 14).reduce((s, x) => s + x, 0) +
    max(a.slice(14, 16)),
  safetyAlert: (a) => (a[11] ?? 0) > 0,
  loincPanel: null,
  loincTotal: null,
  canonical: "https://holdspace.example/fhir/Questionnaire/qids-sr16",
};

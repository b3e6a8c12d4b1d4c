import type { QuestionnaireDef } from "./instruments.js";

/** LOINC answer list LL358-3 (PHQ-9 frequency), in value order. */
const OPTIONS = [
  { value: 0, label: "Not at all", loinc: "LA6568-5" },
  { value: 1, label: "Several days", loinc: "LA6569-3" },
  { value: 2, label: "More than half the days", loinc: "LA6570-1" },
  { value: 3, label: "Nearly every day", loinc: "LA6571-9" },
];

const ITEMS: [string, string][] = [
  ["44250-9", "Little interest or pleasure in doing things"],
  ["44255-8", "Feeling down, depressed, or hopeless"],
  ["44259-0", "Trouble falling or staying asleep, or sleeping too much"],
  ["44254-1", "Feeling tired or having little energy"],
  ["44251-7", "Poor appetite or overeating"],
  ["44258-2", "Feeling bad about yourself — or that you are a failure or have let yourself or your family down"],
  ["44252-5", "Trouble concentrating on things, such as reading the newspaper or watching television"],
  [
    "44253-3",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
  ],
  ["44260-8", "Thoughts that you would be better off dead or of hurting yourself in some way"],
];

/**
 * [OUT1] The PHQ-9 (Kroenke, Spitzer & Williams 2001; free to use, no permission required),
 * with the LOINC codes of panel 44249-1. Total 0–27, the sum of the nine items.
 */
export const PHQ9: QuestionnaireDef = {
  instrument: "phq9",
  title: "Patient Health Questionnaire (PHQ-9)",
  shortTitle: "PHQ-9",
  preamble: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
  items: ITEMS.map(([loinc, text], i) => ({ linkId: String(i + 1), text, group: null, options: OPTIONS, loinc })),
  maxTotal: 27,
  bands: [
    { min: 0, max: 4, code: "minimal", label: "Minimal depression" },
    { min: 5, max: 9, code: "mild", label: "Mild depression" },
    { min: 10, max: 14, code: "moderate", label: "Moderate depression" },
    { min: 15, max: 19, code: "moderately-severe", label: "Moderately severe depression" },
    { min: 20, max: 27, code: "severe", label: "Severe depression" },
  ],
  remissionAtMost: 4,
  score: (answers) => answers.reduce((sum, a) => sum + a, 0),
  // [OUT2] Item 9: thoughts of being better off dead or of self-harm.
  safetyItem: 8,
  loincPanel: "44249-1",
  loincTotal: "44261-6",
  canonical: "http://loinc.org/q/44249-1",
};

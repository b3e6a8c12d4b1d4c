import type { AnswerOption, QuestionItem, QuestionnaireDef } from "./instruments.js";

/*
 * [OUT3] The QIDS-SR16 (Rush AJ, Trivedi MH, Ibrahim HM, et al. The 16-item Quick Inventory of
 * Depressive Symptomatology (QIDS), clinician rating (QIDS-C), and self-report (QIDS-SR): a
 * psychometric evaluation in patients with chronic major depression. Biol Psychiatry
 * 2003;54:573–583). Free to use. Wording as published on the self-report form, checked against:
 * the DBSA screening page archived by the US government web harvest
 * (webharvest.gov/peth04/20041117074913/http://www.dbsalliance.org/survey/index.asp?survey_ID=1),
 * for item 12 the Institute of Medicine workshop summary "CNS Clinical Trials: Suicidality and Data
 * Collection" (2010), Box 4-1 (ncbi.nlm.nih.gov/books/NBK52954), and two independent transcriptions
 * of the form (DrugNerdsLab surveys, MindfulSelf). Where the transcriptions differed in one word or
 * comma, the wording two of them agreed on is kept. The US form's pounds are kept as published.
 *
 * LOINC: no QIDS-SR16 panel, item or total code was found in LOINC (searched loinc.org pages and
 * FHIR guides), so every code is null — none is invented. See docs/decisions-i12-instruments.md.
 */

const item = (
  n: number,
  text: string,
  group: string | null,
  labels: [string, string, string, string],
): QuestionItem => {
  const options: AnswerOption[] = labels.map((label, value) => ({ value, label, loinc: null }));
  return { linkId: String(n), text, group, options, loinc: null };
};

// Headings for the three domains scored by their highest item; they let the renderer say why
// four questions about sleep come one after another.
const SLEEP = "Sleep";
const APPETITE = "Appetite and weight";
const PSYCHOMOTOR = "Slowed down or restless";

const ITEMS: QuestionItem[] = [
  item(1, "Falling asleep", SLEEP, [
    "I never take longer than 30 minutes to fall asleep.",
    "I take at least 30 minutes to fall asleep, less than half the time.",
    "I take at least 30 minutes to fall asleep, more than half the time.",
    "I take more than 60 minutes to fall asleep, more than half the time.",
  ]),
  item(2, "Sleep during the night", SLEEP, [
    "I do not wake up at night.",
    "I have a restless, light sleep with a few brief awakenings each night.",
    "I wake up at least once a night, but I go back to sleep easily.",
    "I awaken more than once a night and stay awake for 20 minutes or more, more than half the time.",
  ]),
  item(3, "Waking up too early", SLEEP, [
    "Most of the time, I awaken no more than 30 minutes before I need to get up.",
    "More than half the time, I awaken more than 30 minutes before I need to get up.",
    "I almost always awaken at least one hour or so before I need to, but I go back to sleep eventually.",
    "I awaken at least one hour before I need to, and can’t go back to sleep.",
  ]),
  item(4, "Sleeping too much", SLEEP, [
    "I sleep no longer than 7-8 hours/night, without napping during the day.",
    "I sleep no longer than 10 hours in a 24-hour period including naps.",
    "I sleep no longer than 12 hours in a 24-hour period including naps.",
    "I sleep longer than 12 hours in a 24-hour period including naps.",
  ]),
  item(5, "Feeling sad", null, [
    "I do not feel sad.",
    "I feel sad less than half the time.",
    "I feel sad more than half the time.",
    "I feel sad nearly all of the time.",
  ]),
  item(6, "Decreased appetite", APPETITE, [
    "There is no change in my usual appetite.",
    "I eat somewhat less often or lesser amounts of food than usual.",
    "I eat much less than usual and only with personal effort.",
    "I rarely eat within a 24-hour period, and only with extreme personal effort or when others persuade me to eat.",
  ]),
  item(7, "Increased appetite", APPETITE, [
    "There is no change from my usual appetite.",
    "I feel a need to eat more frequently than usual.",
    "I regularly eat more often and/or greater amounts of food than usual.",
    "I feel driven to overeat both at mealtime and between meals.",
  ]),
  item(8, "Decreased weight (within the last two weeks)", APPETITE, [
    "I have not had a change in my weight.",
    "I feel as if I’ve had a slight weight loss.",
    "I have lost 2 pounds or more.",
    "I have lost 5 pounds or more.",
  ]),
  item(9, "Increased weight (within the last two weeks)", APPETITE, [
    "I have not had a change in my weight.",
    "I feel as if I’ve had a slight weight gain.",
    "I have gained 2 pounds or more.",
    "I have gained 5 pounds or more.",
  ]),
  item(10, "Concentration/decision making", null, [
    "There is no change in my usual capacity to concentrate or make decisions.",
    "I occasionally feel indecisive or find that my attention wanders.",
    "Most of the time, I struggle to focus my attention or to make decisions.",
    "I cannot concentrate well enough to read or cannot make even minor decisions.",
  ]),
  item(11, "View of myself", null, [
    "I see myself as equally worthwhile and deserving as other people.",
    "I am more self-blaming than usual.",
    "I largely believe that I cause problems for others.",
    "I think almost constantly about major and minor defects in myself.",
  ]),
  item(12, "Thoughts of death or suicide", null, [
    "I do not think of suicide or death.",
    "I feel that life is empty or wonder if it’s worth living.",
    "I think of suicide or death several times a week for several minutes.",
    "I think of suicide or death several times a day in some detail, or I have made specific plans for suicide or have actually tried to take my life.",
  ]),
  item(13, "General interest", null, [
    "There is no change from usual in how interested I am in other people or activities.",
    "I notice that I am less interested in people or activities.",
    "I find I have interest in only one or two of my formerly pursued activities.",
    "I have virtually no interest in formerly pursued activities.",
  ]),
  item(14, "Energy level", null, [
    "There is no change in my usual level of energy.",
    "I get tired more easily than usual.",
    "I have to make a big effort to start or finish my usual daily activities (for example, shopping, homework, cooking or going to work).",
    "I really cannot carry out most of my usual daily activities because I just don’t have the energy.",
  ]),
  item(15, "Feeling slowed down", PSYCHOMOTOR, [
    "I think, speak, and move at my usual rate of speed.",
    "I find that my thinking is slowed down or my voice sounds dull or flat.",
    "It takes me several seconds to respond to most questions and I’m sure my thinking is slowed.",
    "I am often unable to respond to questions without extreme effort.",
  ]),
  item(16, "Feeling restless", PSYCHOMOTOR, [
    "I do not feel restless.",
    "I’m often fidgety, wringing my hands, or need to shift how I am sitting.",
    "I have impulses to move about and am quite restless.",
    "At times, I am unable to stay seated and need to pace around.",
  ]),
];

/** Answers in item order, items numbered from 1 as on the form. */
const at = (a: readonly number[], n: number): number => a[n - 1] ?? 0;
const highest = (a: readonly number[], from: number, to: number): number => Math.max(0, ...a.slice(from - 1, to));

export const QIDS_SR16: QuestionnaireDef = {
  instrument: "qids-sr16",
  title: "Quick Inventory of Depressive Symptomatology, Self-Report (QIDS-SR16)",
  shortTitle: "QIDS-SR16",
  // The form says "circle"; on a screen the participant picks.
  preamble: "Please pick the one response to each item that best describes you for the past seven days.",
  items: ITEMS,
  maxTotal: 27,
  bands: [
    { min: 0, max: 5, code: "none", label: "No depression" },
    { min: 6, max: 10, code: "mild", label: "Mild depression" },
    { min: 11, max: 15, code: "moderate", label: "Moderate depression" },
    { min: 16, max: 20, code: "severe", label: "Severe depression" },
    { min: 21, max: 27, code: "very-severe", label: "Very severe depression" },
  ],
  remissionAtMost: 5,
  // [OUT3] Nine DSM-IV domains: the highest of sleep (1–4), item 5, the highest of appetite and
  // weight (6–9), items 10–14 one each, the highest of slowed/restless (15–16).
  score: (a) =>
    highest(a, 1, 4) +
    at(a, 5) +
    highest(a, 6, 9) +
    [10, 11, 12, 13, 14].reduce((s, n) => s + at(a, n), 0) +
    highest(a, 15, 16),
  // [OUT2] Item 12 asks the same question as PHQ-9 item 9; any answer above "I do not think of
  // suicide or death" alerts the facilitators, whatever the total.
  safetyAlert: (a) => at(a, 12) > 0,
  loincPanel: null,
  loincTotal: null,
  canonical: "https://holdspace.example/fhir/Questionnaire/qids-sr16",
};

import { z } from "zod";
import type { RuleProfile } from "../profiles/schema.js";

/**
 * [RDY2][RDY3] The screening questionnaire, asked in plain words. The answers are clinical
 * content [AC3]: their events go to the participant and staff only, never into server logs.
 */
const yesNo = (message: string) => z.boolean({ error: message });
const answer = "Please answer yes or no.";

export const ScreeningAnswers = z.strictObject({
  /** RDY2: the last day they took lithium, or null for never / not in years. */
  lithiumLastTaken: z.iso
    .date("Enter the date as YYYY-MM-DD, or leave it empty if you have never taken lithium.")
    .nullable(),
  psychoticDisorder: yesNo(answer),
  bipolarI: yesNo(answer),
  thoughtsOfHarm: yesNo(answer),
  heartCondition: yesNo(answer),
  pregnant: yesNo(answer),
  maoi: yesNo(answer),
  ssriSnri: yesNo(answer),
  familyPsychosis: yesNo(answer),
  seizures: yesNo(answer),
});
export type ScreeningAnswers = z.infer<typeof ScreeningAnswers>;

export type YesNoQuestion = Exclude<keyof ScreeningAnswers, "lithiumLastTaken">;

/** The questions as a participant reads them; order is the form's order. */
export const SCREENING_QUESTIONS: { key: YesNoQuestion; text: string }[] = [
  {
    key: "psychoticDisorder",
    text: "Has a doctor ever told you that you have schizophrenia or another psychotic disorder?",
  },
  { key: "bipolarI", text: "Has a doctor ever told you that you have bipolar I disorder?" },
  { key: "thoughtsOfHarm", text: "Are you having thoughts of hurting yourself or someone else right now?" },
  { key: "heartCondition", text: "Do you have heart disease, or high blood pressure that is not under control?" },
  { key: "pregnant", text: "Are you pregnant, or could you be?" },
  { key: "maoi", text: "Do you take an MAOI (a kind of antidepressant such as phenelzine or selegiline)?" },
  {
    key: "ssriSnri",
    text: "Do you take an SSRI or SNRI antidepressant (such as sertraline, fluoxetine or venlafaxine)?",
  },
  {
    key: "familyPsychosis",
    text: "Does a parent, brother, sister or child of yours have a psychotic disorder or bipolar I?",
  },
  { key: "seizures", text: "Have you ever had a seizure?" },
];

export const LITHIUM_QUESTION = "If you have taken lithium, when did you last take it?";

const FLAGS = ["heartCondition", "pregnant", "maoi", "ssriSnri", "familyPsychosis", "seizures"] as const;
const FLAG_LABEL: Record<(typeof FLAGS)[number], string> = {
  heartCondition: "Heart disease or uncontrolled high blood pressure",
  pregnant: "Pregnant or may be pregnant",
  maoi: "Takes an MAOI",
  ssriSnri: "Takes an SSRI or SNRI",
  familyPsychosis: "First-degree relative with a psychotic disorder or bipolar I",
  seizures: "History of seizures",
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * [RDY2] The hard stops these answers show, in words. Lithium counts when its last day is within
 * the profile's window before `asOf` (the first dosing, or the submission when none is planned).
 */
export function hardStopsOf(a: ScreeningAnswers, profile: RuleProfile, asOf: string): string[] {
  const out: string[] = [];
  const rules = profile.hardStops;
  if (a.lithiumLastTaken !== null) {
    // Whole calendar days between the last day taken and the reference day; a future date counts too.
    const days = Math.floor((Date.parse(asOf.slice(0, 10)) - Date.parse(a.lithiumLastTaken)) / DAY_MS);
    if (days <= rules.lithiumWithinDays) out.push(`Lithium in the last ${rules.lithiumWithinDays} days`);
  }
  if (rules.psychoticOrBipolarI && a.psychoticDisorder) out.push("Diagnosis of a psychotic disorder");
  if (rules.psychoticOrBipolarI && a.bipolarI) out.push("Diagnosis of bipolar I");
  if (rules.currentThoughtsOfHarm && a.thoughtsOfHarm) out.push("Current thoughts of harming self or others");
  return out;
}

/** [RDY3] Review flags: shown to facilitators, not blocking. */
export function reviewFlagsOf(a: ScreeningAnswers): string[] {
  return FLAGS.filter((k) => a[k]).map((k) => FLAG_LABEL[k]);
}

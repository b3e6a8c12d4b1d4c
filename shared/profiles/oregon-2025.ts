import { RuleProfile } from "./schema.js";

/** OAR chapter 333 division 333 as in force on 1 January 2025. Data, parsed at load. */
export const oregon2025: RuleProfile = RuleProfile.parse({
  id: "oregon-2025",
  name: "Oregon (OAR 333-333, 2025)",
  source: "OAR 333-333-4820, -5000, -5200, -5230, -5250 as in force on 2025-01-01",
  maxGroupSize: 25,
  // OAR 333-333-5230
  ratioBands: [
    { maxMg: 5, inclusive: true, participantsPerFacilitator: 25 },
    { maxMg: 10, inclusive: false, participantsPerFacilitator: 15 },
    { maxMg: 15, inclusive: false, participantsPerFacilitator: 8 },
    { maxMg: 25, inclusive: false, participantsPerFacilitator: 6 },
    { maxMg: 35, inclusive: true, participantsPerFacilitator: 4 },
    { maxMg: 50, inclusive: true, participantsPerFacilitator: 2 },
  ],
  // OAR 333-333-5250
  durationBands: [
    { maxMg: 2.5, inclusive: false, minutes: 60, returningClientMinutes: 30 },
    { maxMg: 5, inclusive: false, minutes: 60 },
    { maxMg: 10, inclusive: false, minutes: 120 },
    { maxMg: 25, inclusive: false, minutes: 240 },
    { maxMg: 35, inclusive: true, minutes: 300 },
    { maxMg: 50, inclusive: true, minutes: 360 },
  ],
  returningClientMonths: 12,
  preparationWindow: { minHours: 24, maxDays: 90 },
  hardStops: { lithiumWithinDays: 30, psychoticOrBipolarI: true, currentThoughtsOfHarm: true },
  vitalsAlert: { systolicAtLeast: 180, diastolicAtLeast: 120 },
  breakMaxMinutes: 5,
  checkinPromptMinutes: 30,
  unansweredPromptsForLookIn: 2,
  retentionYears: 5,
  crisisResources: [
    {
      name: "988 Suicide & Crisis Lifeline",
      contact: "Call or text 988, any time, day or night.",
      href: "tel:988",
    },
    { name: "Emergency services", contact: "If you are in danger right now, call 911.", href: "tel:911" },
  ],
});

import { z } from "zod";

/**
 * A dose band: applies to doses below `maxMg` (or up to and including it when `inclusive`).
 * Bands are listed in ascending order; the first that applies wins.
 */
export const DoseBand = z.object({ maxMg: z.number().positive(), inclusive: z.boolean() });

/** [OUT2] A crisis line or service shown to a participant whose answers raised a safety alert. */
export const CrisisResource = z.object({
  name: z.string(),
  /** What to do, in words ("Call or text 988"). */
  contact: z.string(),
  /** A link a phone can follow (tel:, sms:, https:), or null. */
  href: z.string().nullable(),
});
export type CrisisResource = z.infer<typeof CrisisResource>;

/** The numbers SPEC marks *profile*. Every rule that uses one reads it from here. */
export const RuleProfile = z.object({
  id: z.string(),
  name: z.string(),
  /** Where the numbers come from, for the people who have to defend them. */
  source: z.string(),
  /** SCH5: at most min(maxGroupSize, room capacity) participants. */
  maxGroupSize: z.number().int().positive(),
  /** SCH6: participants per facilitator, by the highest planned dose. Above the last band: refused. */
  ratioBands: z.array(DoseBand.extend({ participantsPerFacilitator: z.number().int().positive() })).min(1),
  /** SCH7/LIVE2: minimum session length by the highest total dose. */
  durationBands: z
    .array(
      DoseBand.extend({
        minutes: z.number().int().positive(),
        returningClientMinutes: z.number().int().positive().optional(),
      }),
    )
    .min(1),
  /** SCH7: a returning client is one dosed within this many months. */
  returningClientMonths: z.number().int().positive(),
  /** SCH8: the preparation session is at least this long and at most this long before the first dosing. */
  preparationWindow: z.object({ minHours: z.number().nonnegative(), maxDays: z.number().positive() }),
  /** RDY2: hard stops. */
  hardStops: z.object({
    lithiumWithinDays: z.number().int().nonnegative(),
    psychoticOrBipolarI: z.boolean(),
    currentThoughtsOfHarm: z.boolean(),
  }),
  /** LIVE8: vitals that raise an alert at once. */
  vitalsAlert: z.object({
    systolicAtLeast: z.number().int().positive(),
    diastolicAtLeast: z.number().int().positive(),
  }),
  /** LIVE4: a break longer than this raises an alert. */
  breakMaxMinutes: z.number().positive(),
  /** LIVE7: check-in prompts. */
  checkinPromptMinutes: z.number().positive(),
  unansweredPromptsForLookIn: z.number().int().positive(),
  /** REC2. */
  retentionYears: z.number().positive(),
  /** [OUT2] Shown at once when a questionnaire raises a safety alert. */
  crisisResources: z.array(CrisisResource).min(1),
});
export type RuleProfile = z.infer<typeof RuleProfile>;

/** What a program may override when its profile allows it (clinical-trial protocols). */
export const ProfileOverrides = RuleProfile.pick({
  maxGroupSize: true,
  ratioBands: true,
  durationBands: true,
  hardStops: true,
}).partial();
export type ProfileOverrides = z.infer<typeof ProfileOverrides>;

import { z } from "zod";
import { clinicalTrial } from "./clinical-trial.js";
import { oregon2025 } from "./oregon-2025.js";
import { RuleProfile, type ProfileOverrides } from "./schema.js";

export { RuleProfile, ProfileOverrides, DoseBand } from "./schema.js";

export const PROFILES = { "oregon-2025": oregon2025, "clinical-trial": clinicalTrial } as const;
export const ProfileId = z.enum(["oregon-2025", "clinical-trial"]);
export type ProfileId = z.infer<typeof ProfileId>;
export const DEFAULT_PROFILE: ProfileId = "oregon-2025";

/** Only the clinical-trial profile takes a protocol's own numbers. */
export function resolveProfile(id: ProfileId, overrides: ProfileOverrides = {}): RuleProfile {
  const base = PROFILES[id];
  return id === "clinical-trial" ? RuleProfile.parse({ ...base, ...overrides }) : base;
}

function bandFor<B extends { maxMg: number; inclusive: boolean }>(bands: readonly B[], mg: number): B | null {
  return bands.find((b) => mg < b.maxMg || (b.inclusive && mg === b.maxMg)) ?? null;
}

/** The highest dose the profile allows at all (SCH6: over the last band is refused). */
export function maxDoseMg(p: RuleProfile): number {
  return p.ratioBands.reduce((m, b) => Math.max(m, b.maxMg), 0);
}

/** SCH6: participants per facilitator for the highest planned dose; null = refused. */
export function participantsPerFacilitator(p: RuleProfile, highestDoseMg: number): number | null {
  return bandFor(p.ratioBands, highestDoseMg)?.participantsPerFacilitator ?? null;
}

/** SCH6: facilitators needed = ceil(participants / cap); null when the dose is refused. */
export function facilitatorsNeeded(p: RuleProfile, participants: number, highestDoseMg: number): number | null {
  const cap = participantsPerFacilitator(p, highestDoseMg);
  return cap === null ? null : Math.ceil(participants / cap);
}

/** SCH7/LIVE2: minimum length in minutes for a total dose; null when the dose is refused. */
export function minimumMinutes(p: RuleProfile, totalDoseMg: number, returningClient = false): number | null {
  const band = bandFor(p.durationBands, totalDoseMg);
  if (!band) return null;
  return returningClient && band.returningClientMinutes !== undefined ? band.returningClientMinutes : band.minutes;
}

/** SCH5: the most participants a group session can hold in a room. */
export function maxGroupSize(p: RuleProfile, roomCapacity: number): number {
  return Math.min(p.maxGroupSize, roomCapacity);
}

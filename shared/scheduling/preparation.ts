import type { RuleProfile } from "../profiles/schema.js";

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/**
 * [SCH8] Whether a preparation session starting at `prepStart` is inside the window before a
 * dosing session starting at `dosingStart`: at least `minHours` and at most `maxDays` before it,
 * both edges included. Measured in elapsed time (a day is 24 h even across a DST change), start
 * to start. Returns null when inside, or a sentence that names the numbers.
 */
export function preparationWindowProblem(profile: RuleProfile, prepStart: string, dosingStart: string): string | null {
  const { minHours, maxDays } = profile.preparationWindow;
  const gap = Date.parse(dosingStart) - Date.parse(prepStart);
  if (gap <= 0)
    return `The preparation session must come before the first dosing session; it starts ${describeGap(-gap)} after it.`;
  if (gap < minHours * HOUR_MS) {
    return `The preparation session must start at least ${minHours} h before the first dosing session; it starts ${describeGap(gap)} before it.`;
  }
  if (gap > maxDays * DAY_MS) {
    return `The preparation session must be at most ${maxDays} days before the first dosing session; it is ${describeGap(gap)} before it.`;
  }
  return null;
}

function describeGap(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? `${days} d` : "", hours ? `${hours} h` : "", mins ? `${mins} min` : ""].filter(Boolean);
  return parts.length ? parts.join(" ") : "0 min";
}

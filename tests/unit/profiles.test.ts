import { describe, expect, it } from "vitest";
import {
  PROFILES,
  facilitatorsNeeded,
  maxGroupSize,
  minimumMinutes,
  participantsPerFacilitator,
  resolveProfile,
} from "../../shared/profiles/index.js";

const or = PROFILES["oregon-2025"];

describe("rule profiles", () => {
  it.each([
    [0.5, 25],
    [5, 25],
    [5.01, 15],
    [9.99, 15],
    [10, 8],
    [14.99, 8],
    [15, 6],
    [24.99, 6],
    [25, 4],
    [35, 4],
    [35.01, 2],
    [50, 2],
  ])("[SCH6] %s mg allows %s participants per facilitator", (mg, cap) => {
    expect(participantsPerFacilitator(or, mg)).toBe(cap);
  });
  it("[SCH6] over 50 mg is refused; facilitators = ceil(participants / cap)", () => {
    expect(participantsPerFacilitator(or, 50.01)).toBeNull();
    expect(facilitatorsNeeded(or, 12, 10)).toBe(2);
    expect(facilitatorsNeeded(or, 8, 10)).toBe(1);
    expect(facilitatorsNeeded(or, 9, 10)).toBe(2);
    expect(facilitatorsNeeded(or, 5, 50)).toBe(3);
    expect(facilitatorsNeeded(or, 5, 51)).toBeNull();
  });
  it.each([
    [1, false, 60],
    [2.49, true, 30],
    [2.5, true, 60],
    [4.99, false, 60],
    [5, false, 120],
    [9.99, false, 120],
    [10, false, 240],
    [24.99, false, 240],
    [25, false, 300],
    [35, false, 300],
    [35.01, false, 360],
    [50, false, 360],
  ])("[SCH7] %s mg (returning: %s) needs at least %s minutes", (mg, returning, minutes) => {
    expect(minimumMinutes(or, mg, returning)).toBe(minutes);
  });
  it("[SCH7] over 50 mg has no duration: refused", () => {
    expect(minimumMinutes(or, 50.5)).toBeNull();
  });
  it("[SCH5] a group holds at most min(25, room capacity)", () => {
    expect(maxGroupSize(or, 40)).toBe(25);
    expect(maxGroupSize(or, 12)).toBe(12);
  });
  it("[SCH5] [SCH6] a clinical-trial profile takes the protocol's numbers; Oregon ignores overrides", () => {
    const trial = resolveProfile("clinical-trial", { maxGroupSize: 8 });
    expect(maxGroupSize(trial, 40)).toBe(8);
    expect(participantsPerFacilitator(trial, 10)).toBe(8);
    expect(resolveProfile("oregon-2025", { maxGroupSize: 8 }).maxGroupSize).toBe(25);
  });
});

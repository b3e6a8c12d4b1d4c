import type { ScreeningAnswers } from "../../shared/domain/screening.js";

/**
 * Screening answers with no hard stop and no review flag, with `changes` on top for the few a
 * seed or a test is about. The demo seeds and the tests share this one list, so adding a
 * question to the schema means changing it in one place.
 */
export function screeningAnswers(changes: Partial<ScreeningAnswers> = {}): ScreeningAnswers {
  return {
    lithiumLastTaken: null,
    psychoticDisorder: false,
    bipolarI: false,
    thoughtsOfHarm: false,
    heartCondition: false,
    pregnant: false,
    maoi: false,
    ssriSnri: false,
    familyPsychosis: false,
    seizures: false,
    ...changes,
  };
}

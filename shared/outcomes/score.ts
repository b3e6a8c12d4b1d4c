import type { Band, Instrument, QuestionnaireDef } from "./instruments.js";
import { QUESTIONNAIRES } from "./definitions.js";

export interface Score {
  total: number;
  band: Band;
  /** [OUT2] Item 9 of the PHQ-9 (or its QIDS-SR16 counterpart) above 0. */
  safety: boolean;
}

export function definitionOf(instrument: Instrument): QuestionnaireDef {
  return QUESTIONNAIRES[instrument];
}

/** [OUT1][OUT3] The band a total falls in; totals outside 0..maxTotal are a bug (answers are parsed first). */
export function bandOf(def: QuestionnaireDef, total: number): Band {
  const band = def.bands.find((b) => total >= b.min && total <= b.max);
  if (!band) throw new RangeError(`${def.shortTitle} total out of range: ${total}`);
  return band;
}

/** Answers already parsed with answersSchema (one per item, each one of its options). */
export function scoreAnswers(instrument: Instrument, answers: readonly number[]): Score {
  const def = definitionOf(instrument);
  const total = def.score(answers);
  return { total, band: bandOf(def, total), safety: raisesSafetyAlert(def, answers) };
}

/** [OUT2] Any answer above 0 to the instrument's self-harm item (PHQ-9 item 9, QIDS-SR16 item 12). */
export function raisesSafetyAlert(def: QuestionnaireDef, answers: readonly number[]): boolean {
  return (answers[def.safetyItem] ?? 0) > 0;
}

import type { Instrument, QuestionnaireDef } from "./instruments.js";
import { PHQ9 } from "./phq9.js";
import { QIDS_SR16 } from "./qids-sr16.js";

export const QUESTIONNAIRES: Record<Instrument, QuestionnaireDef> = { phq9: PHQ9, "qids-sr16": QIDS_SR16 };

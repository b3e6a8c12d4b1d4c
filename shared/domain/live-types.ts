import type { DraftEvent } from "../log.js";

/** An event as a decision produces it: the store adds `at` (the server's clock) and the position. */
export type Draft = Omit<DraftEvent, "at">;

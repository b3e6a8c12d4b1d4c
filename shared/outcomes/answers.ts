import { z } from "zod";
import type { Instrument } from "./instruments.js";
import { definitionOf } from "./score.js";

/**
 * [OUT1][OUT3] The answers to one instrument: exactly one per item, each one of that item's
 * option values. Out of range, missing or extra answers are refused with a field per item.
 */
export function answersSchema(instrument: Instrument): z.ZodType<number[]> {
  const def = definitionOf(instrument);
  return z
    .array(z.number().int(), { error: `Answer every question of the ${def.shortTitle}.` })
    .length(def.items.length, `The ${def.shortTitle} has ${def.items.length} questions; answer each once.`)
    .superRefine((answers, ctx) => {
      answers.forEach((a, i) => {
        const item = def.items[i];
        if (item && !item.options.some((o) => o.value === a))
          ctx.addIssue({ code: "custom", path: [i], message: `Question ${item.linkId} has no answer ${a}.` });
      });
    });
}

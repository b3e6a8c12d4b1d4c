import { z } from "zod";
import type { Instrument } from "./instruments.js";
import { definitionOf } from "./score.js";

/** "Question 3" from an issue's path (its last key is the answer's index), or "Each question". */
function questionOf(path: readonly PropertyKey[] | undefined): string {
  const last = path?.at(-1);
  return typeof last === "number" ? `Question ${last + 1}` : "Each question";
}

/**
 * [OUT1][OUT3] The answers to one instrument: exactly one per item, each one of that item's
 * option values. Out of range, missing, extra, fractional or non-number answers are refused, each
 * with a sentence naming the question (and a path to it).
 */
export function answersSchema(instrument: Instrument): z.ZodType<number[]> {
  const def = definitionOf(instrument);
  const top = Math.max(...def.items.flatMap((i) => i.options.map((o) => o.value)));
  const pick = (iss: { path?: PropertyKey[] }): string =>
    `${questionOf(iss.path)} needs one of its answers, given as its number (0 to ${top}).`;
  return z
    .array(z.number({ error: pick }).int({ error: pick }), {
      error: `The answers to the ${def.shortTitle} are a list, one per question.`,
    })
    .length(def.items.length, `The ${def.shortTitle} has ${def.items.length} questions; answer each once.`)
    .superRefine((answers, ctx) => {
      answers.forEach((a, i) => {
        const item = def.items[i];
        if (item && !item.options.some((o) => o.value === a))
          ctx.addIssue({ code: "custom", path: [i], message: `Question ${item.linkId} has no answer ${a}.` });
      });
    });
}

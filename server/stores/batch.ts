import { z } from "zod";
import { DraftEvent } from "../../shared/log.js";
import type { AppendBatch, Guard } from "./types.js";

const Scope = z.string().min(1).max(120);
const Batch = z.object({
  owner: z.string().min(1).max(200),
  events: z.array(DraftEvent).min(1).max(50),
  touches: z.array(z.array(Scope).max(10)),
});
const GuardShape = z.object({
  seq: z.number().int().min(0),
  scopes: z.union([z.literal("stream"), z.array(Scope).max(20)]),
});

/** What both stores check before writing a batch: well-formed, one touch list per event, no id twice. */
export function checkBatch(batch: AppendBatch): AppendBatch {
  const b = Batch.parse(batch);
  if (b.touches.length !== b.events.length) throw new RangeError("a batch needs one touch list per event");
  if (new Set(b.events.map((e) => e.id)).size !== b.events.length)
    throw new RangeError("a batch holds each event id once");
  return b;
}

export function checkGuard(guard: Guard | undefined): Guard | undefined {
  return guard === undefined ? undefined : GuardShape.parse(guard);
}

/** The scopes a scoped guard compares: its own and the whole stream's. */
export function guardScopes(scopes: readonly string[]): string[] {
  return [...new Set([...scopes, "*"])];
}

import { z } from "zod";

/** Stream names: `<kind>:<id>`. One log per stream [LOG1]. */
export const StreamKind = z.enum(["program", "cohort", "session", "circle", "notes", "journal", "fnote", "index"]);
export type StreamKind = z.infer<typeof StreamKind>;

export const Id = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, "Use letters, digits, dot, dash, underscore or colon.");

// Built from StreamKind so a new kind of stream needs one edit, above.
const STREAM_NAME = new RegExp(`^(${StreamKind.options.join("|")}):[A-Za-z0-9_.-]{1,100}$`);
export const StreamName = z.string().max(140).regex(STREAM_NAME, "A stream is named kind:id.");
export type StreamName = z.infer<typeof StreamName>;

export function streamName(kind: StreamKind, id: string): StreamName {
  return `${kind}:${id}`;
}

export function streamKind(stream: StreamName): StreamKind {
  return StreamKind.parse(stream.slice(0, stream.indexOf(":")));
}

export function streamId(stream: StreamName): string {
  return stream.slice(stream.indexOf(":") + 1);
}

/** An event before the store gives it a place in its stream. */
export const DraftEvent = z.object({
  id: Id,
  type: z.string().min(1).max(60),
  actor: z.string().min(1).max(100),
  at: z.string().datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type DraftEvent = z.infer<typeof DraftEvent>;

/** A durable event: `{seq, epoch, id, type, actor, at, data}` [LOG1]. */
export const StoredEvent = DraftEvent.extend({
  seq: z.number().int().positive(),
  epoch: z.string().min(1),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

/**
 * What a viewer who may not see an event receives in its place: its position only, so the
 * client's seq stays gap-free and it never asks for what it is not allowed to have.
 */
export interface HiddenEvent {
  seq: number;
  epoch: string;
  hidden: true;
}

export type ViewEvent = StoredEvent | HiddenEvent;

export function isHidden(e: ViewEvent): e is HiddenEvent {
  return "hidden" in e;
}

/** Where a client stands in a stream [LOG4]. */
export const StreamPosition = z.object({
  epoch: z.string().max(100).nullable(),
  seq: z.number().int().min(0),
});
export type StreamPosition = z.infer<typeof StreamPosition>;

import { z } from "zod";

/** Stream names: `<kind>:<id>`. One log per stream [LOG1]. */
export const StreamKind = z.enum([
  "program",
  "cohort",
  "session",
  "circle",
  "notes",
  "journal",
  "fnote",
  "index",
  "outcome",
]);
export type StreamKind = z.infer<typeof StreamKind>;

/** A client-made id (command ids): never starts with `$`, so it can never equal a server-made id. */
export const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, "Use letters, digits, dot, dash, underscore or colon.");

/**
 * An event id: a client's command id, or a server-made id (`$` + a client-id-like tail). Server
 * ids are derived from the log (`$escalate:<alertId>:1`, `$ack:<alertId>`, `$ratio-<seq>`…) so
 * every node derives the same one, and no client can take one first (DESIGN.md "Ids").
 */
export const EventId = z
  .string()
  .min(1)
  .max(140)
  .regex(/^(\$[A-Za-z0-9_.:$-]+|[A-Za-z0-9_.:-]+)$/, "An event id is a client id or a server id ($…).");

const SERVER_ID_MAX = 140;

/** A server-made event id from its parts: `$` + parts joined by `:`. Only the server calls this. */
export function serverId(...parts: (string | number)[]): string {
  const id = `$${parts.join(":")}`;
  if (id.length > SERVER_ID_MAX) throw new RangeError(`server id too long: ${id.slice(0, 40)}…`);
  return id;
}

export function isServerId(id: string): boolean {
  return id.startsWith("$");
}

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
  id: EventId,
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

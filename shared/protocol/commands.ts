import { z } from "zod";
import { singleLine } from "./text.js";
import { Id, StreamName, StreamPosition } from "../log.js";
import { CheckinBody } from "../domain/checkin.js";
import { ClientPresence } from "./presence.js";

/** Every socket command carries a client-made id so retries land once [LOG2]. */
const CommandId = Id;

/**
 * Open a live room. A facilitator starts it from a scheduled dosing session (`scheduledId`), so
 * its title, planned people and times come from the schedule; a bare title is still accepted
 * from older clients and scripts.
 */
export const SessionOpen = z
  .strictObject({
    id: CommandId,
    cohortId: Id,
    scheduledId: Id.optional(),
    title: singleLine().trim().min(1, "Give the session a title.").max(120).optional(),
  })
  .refine((p) => p.scheduledId !== undefined || p.title !== undefined, {
    path: ["scheduledId"],
    message: "Choose the scheduled session to start.",
  });
export type SessionOpen = z.infer<typeof SessionOpen>;

export const SessionJoin = z.strictObject({
  sessionId: Id,
  since: StreamPosition.nullable().optional(),
});
export type SessionJoin = z.infer<typeof SessionJoin>;

export const SessionLeave = z.strictObject({ sessionId: Id });

export const CheckinSend = z.strictObject({ id: CommandId, sessionId: Id }).extend(CheckinBody.shape);
export type CheckinSend = z.infer<typeof CheckinSend>;

export const StreamSync = z.strictObject({
  stream: StreamName,
  epoch: singleLine().max(100).nullable(),
  seq: z.number().int().min(0),
});
export type StreamSync = z.infer<typeof StreamSync>;

export const PresenceSet = z.strictObject({ sessionId: Id, state: ClientPresence });
export type PresenceSet = z.infer<typeof PresenceSet>;

/** HTTP bodies. */
export const LoginBody = z.strictObject({
  email: singleLine().trim().toLowerCase().email("Enter an email address.").max(200),
  password: z.string().min(1, "Enter your password.").max(200),
});
/** A one-time link's token as it arrives (in a body or the link's path); looked up, never shown. */
export const InviteToken = singleLine().min(10).max(200);
export const InviteAcceptBody = z.strictObject({ token: InviteToken });

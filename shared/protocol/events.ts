import type { z } from "zod";
import type { StreamName, ViewEvent } from "../log.js";
import type { Ack } from "./errors.js";
import type { PublicUser, SyncResult } from "./common.js";
import type { PresenceState } from "./presence.js";
import { CheckinSend, PresenceSet, SessionJoin, SessionLeave, SessionOpen, StreamSync } from "./commands.js";
import { CircleCommands, type CircleReplies, type NotesAwarenessPush } from "./circle.js";
import { OutcomeCommands, type OutcomeReplies } from "./outcomes.js";
import { LiveCommands, type AlertNotice, type AlertNoticeSnapshot, type LiveCommandReplies } from "./live.js";

/** Sent in `hello`; a client that speaks another version reloads. */
export const PROTOCOL_VERSION = 1;

/** Largest command payload accepted, in bytes of JSON. Check-in text is 500 chars; this leaves room. */
export const MAX_COMMAND_BYTES = 8 * 1024;

/** Most events returned by one sync; a client with more to read asks again (`more: true`). */
export const SYNC_PAGE = 500;

export type { PublicUser, SyncResult } from "./common.js";

/** Socket commands: name → payload schema. The gateway refuses every other name [AC5]. */
export const Commands = {
  "session:open": SessionOpen,
  "session:join": SessionJoin,
  "session:leave": SessionLeave,
  "checkin:send": CheckinSend,
  "stream:sync": StreamSync,
  "presence:set": PresenceSet,
  ...CircleCommands,
  ...LiveCommands,
  ...OutcomeCommands,
} as const;
export type CommandName = keyof typeof Commands;
export type CommandPayload<K extends CommandName> = z.infer<(typeof Commands)[K]>;

export interface PersonPresence {
  userId: string;
  state: PresenceState;
}

export interface SessionJoined {
  sessionId: string;
  cohortId: string;
  people: PublicUser[];
  presence: PersonPresence[];
  sync: SyncResult;
}

export interface CommandReplies extends CircleReplies, LiveCommandReplies, OutcomeReplies {
  "session:open": { sessionId: string; seq: number };
  "session:join": SessionJoined;
  "session:leave": { sessionId: string };
  "checkin:send": { seq: number };
  "stream:sync": SyncResult;
  "presence:set": { state: PresenceState };
}

export type ClientToServerEvents = {
  [K in CommandName]: (payload: unknown, ack: (reply: Ack<CommandReplies[K]>) => void) => void;
};

export interface Hello {
  protocol: number;
  nodeId: string;
  serverTime: string;
  user: PublicUser;
}

export interface StreamEventMessage {
  stream: StreamName;
  event: ViewEvent;
}

export interface PresenceUpdate {
  sessionId: string;
  userId: string;
  state: PresenceState;
}

/** A stream's head, sent when a retried command is answered instead of its events again: a follower behind it syncs. */
export interface StreamHeadMessage {
  stream: StreamName;
  epoch: string;
  seq: number;
}

/**
 * Positions of events most subscribers may not see, in one message (server/gateway/fanout.ts): a
 * follower that holds no event at a listed seq was not meant to see it, and holds it as hidden.
 */
export interface StreamHiddenMessage {
  stream: StreamName;
  epoch: string;
  seqs: number[];
}

export interface ServerToClientEvents {
  hello: (h: Hello) => void;
  "stream:event": (m: StreamEventMessage) => void;
  "stream:head": (m: StreamHeadMessage) => void;
  "stream:hidden": (m: StreamHiddenMessage) => void;
  "presence:update": (p: PresenceUpdate) => void;
  "notes:awareness": (m: NotesAwarenessPush) => void;
  /** [LIVE3][LIVE6] An escalation or ratio alert, to each facilitator of the cohort and the program admins. */
  "alert:notice": (n: AlertNotice) => void;
  /** [LIVE6] At connection: the staff person's alerts still waiting, replacing the notices they hold. */
  "alert:notices": (n: AlertNoticeSnapshot) => void;
  /** A protocol-level refusal that has no ack to ride on (an unknown event sent without a callback). */
  "error:protocol": (e: { code: string; message: string }) => void;
}

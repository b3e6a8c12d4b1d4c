/**
 * Stable error codes. Clients branch on `code`; `message` is a readable sentence for people.
 * Codes never change meaning once shipped — add new ones instead.
 */
export const ErrorCode = {
  /** The payload did not match the event's schema (wrong type, missing field, extra junk). */
  INVALID_PAYLOAD: "INVALID_PAYLOAD",
  /** The payload was larger than the server accepts for that event. */
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  /** The client sent an event name the server does not know. */
  UNKNOWN_EVENT: "UNKNOWN_EVENT",
  /** No valid server-side session: sign in again. */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** Signed in, but this person may not do this (role or roster). */
  FORBIDDEN: "FORBIDDEN",
  /** The room, session, cohort or stream does not exist (or is not visible to this person). */
  NOT_FOUND: "NOT_FOUND",
  /** Email or password did not match. */
  BAD_CREDENTIALS: "BAD_CREDENTIALS",
  /** The invite link was already used, expired or never existed. */
  INVITE_INVALID: "INVITE_INVALID",
  /** The command is valid but the domain refuses it in the current state. */
  RULE_VIOLATION: "RULE_VIOLATION",
  /** The command id was already used for a different request (another person or room): make a new id. */
  DUPLICATE_ID: "DUPLICATE_ID",
  /** Someone else changed the stream at the same moment; the command can be retried. */
  CONFLICT: "CONFLICT",
  /** Too many requests from this person in a short time. */
  RATE_LIMITED: "RATE_LIMITED",
  /** The server could not complete the command (store unavailable). Safe to retry with the same id. */
  UNAVAILABLE: "UNAVAILABLE",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The refusals a client retries with the same command id [LOG2]; every other code is the
 * server's considered "no", and sending the same command again would get the same answer.
 * - UNAVAILABLE: the server or its store failed for a moment (the gateway reports every
 *   unexpected server error so). Never final.
 * - CONFLICT: the stream moved while deciding; deciding again may succeed.
 * - RATE_LIMITED: later, not never.
 */
export const RETRYABLE_CODES = [ErrorCode.UNAVAILABLE, ErrorCode.CONFLICT, ErrorCode.RATE_LIMITED] as const;

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /** Field-level problems for forms, keyed by dotted path. */
  fields?: Record<string, string>;
}

/** A refusal with a stable code; thrown by domain and policy code, turned into an ack by the gateway. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = fields;
  }
  toShape(): AppErrorShape {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

/** What every acknowledgement looks like. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape };

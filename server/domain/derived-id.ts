import { createHash } from "node:crypto";

const PLAIN = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * A stream or record id derived from a client's command id, so a retry names the same thing
 * [LOG2]. One-to-one: an id that is already plain and short stays readable (`co_<id>`); any other
 * becomes `.` + a hash of the whole id — `.` never appears in the plain form, so `X`, `X.` and
 * `X:` can never share one derived id (they did when characters were dropped: two invite links,
 * one invite id).
 */
export function derivedId(prefix: string, commandId: string): string {
  if (PLAIN.test(commandId)) return `${prefix}${commandId}`;
  return `${prefix}.${createHash("sha256")
    .update(commandId)
    .digest("base64url")
    .slice(0, 27)
    .replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

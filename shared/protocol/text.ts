import { z } from "zod";

/**
 * [AC5] The one definition of free text, for every text field of every inbound schema: control
 * characters (NUL and the other C0 codes, DEL, the C1 codes) are refused, because nobody types
 * them and what they do downstream is never what was meant — a NUL truncates the text in C-based
 * tools and exports, a carriage return or escape rewrites a terminal or a log viewer, and an
 * invisible character makes two names look alike. A lone UTF-16 surrogate is refused too: it is
 * not text, it cannot be encoded as UTF-8 and turns into U+FFFD (or an error) on the way out.
 *
 * Two kinds, chosen per field:
 * - `singleLine()` — names, titles, drivers, tokens: no control character at all;
 * - `multiLine()`  — notes, descriptions, check-in text, journal entries: a line break (\n) and a
 *   tab (\t) are allowed, nothing else. Browsers' text areas give \n for a line break, never \r.
 *
 * Each returns a zod string, so fields chain their own `.trim().min().max()` on it. The check runs
 * before any trim, so a single-line field with a trailing line break is refused, not silently cut.
 */

/** C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). */
const isControl = (cp: number) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
const TAB = 0x09;
const LINE_FEED = 0x0a;

export const SINGLE_LINE_MESSAGE =
  "This field is one line of text: remove the line break or the invisible control character (such as NUL) in it.";
export const MULTI_LINE_MESSAGE =
  "This text holds an invisible control character (such as NUL) that cannot be stored: remove it. Line breaks and tabs are fine.";

export type TextKind = "single" | "multi";

/** True when `s` may be stored as a text of this kind. */
export function isCleanText(s: string, kind: TextKind): boolean {
  // for…of walks code points: a well-formed surrogate pair is one, only an unpaired half is seen alone.
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
    if (isControl(cp) && !(kind === "multi" && (cp === TAB || cp === LINE_FEED))) return false;
  }
  return true;
}

/** A one-line text: no control character at all. */
export function singleLine(): z.ZodString {
  return z.string().refine((s) => isCleanText(s, "single"), SINGLE_LINE_MESSAGE);
}

/** A text of several lines: line breaks and tabs, no other control character. */
export function multiLine(): z.ZodString {
  return z.string().refine((s) => isCleanText(s, "multi"), MULTI_LINE_MESSAGE);
}

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCleanText, multiLine, singleLine, type TextKind } from "../../shared/protocol/text.js";

/** What each kind allows, spelled independently of the helper: the property's oracle. */
const isControl = (cp: number) => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
const allowedIn = (kind: TextKind, cp: number) => !isControl(cp) || (kind === "multi" && (cp === 0x09 || cp === 0x0a));

const codePoint = fc.integer({ min: 0, max: 0x10ffff }).filter((cp) => cp < 0xd800 || cp > 0xdfff);
const cleanText = (kind: TextKind) =>
  fc.string({ unit: codePoint.filter((cp) => allowedIn(kind, cp)).map((cp) => String.fromCodePoint(cp)) });
/** One character the kind refuses: a control character it does not allow, or half a surrogate pair. */
const refused = (kind: TextKind) =>
  fc.oneof(
    fc
      .oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
      .filter((cp) => !allowedIn(kind, cp))
      .map((cp) => String.fromCharCode(cp)),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)),
  );

const schemaOf = (kind: TextKind) => (kind === "single" ? singleLine() : multiLine());

describe.each<TextKind>(["single", "multi"])("[AC5] the shared %s-line text helper", (kind) => {
  it(`[AC5] accepts every string without a refused character (${kind})`, () => {
    fc.assert(
      fc.property(cleanText(kind), (s) => {
        expect(schemaOf(kind).safeParse(s).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it(`[AC5] refuses every string with a control character or a lone surrogate anywhere in it (${kind})`, () => {
    fc.assert(
      fc.property(cleanText(kind), refused(kind), cleanText(kind), (a, bad, b) => {
        // Clean text holds surrogates only as whole pairs (high then low), so a refused half next
        // to it never completes a pair: it stays alone.
        const parsed = schemaOf(kind).safeParse(a + bad + b);
        expect(parsed.success).toBe(false);
        expect(parsed.error?.issues[0]?.message).toMatch(/control character/);
      }),
      { numRuns: 2000 },
    );
  });

  it(`[AC5] decides every single UTF-16 code unit as the rule says (${kind})`, () => {
    for (let u = 0; u <= 0xffff; u++) {
      const surrogate = u >= 0xd800 && u <= 0xdfff;
      expect(isCleanText(String.fromCharCode(u), kind), u.toString(16)).toBe(!surrogate && allowedIn(kind, u));
    }
  });
});

describe("[AC5] the kinds differ only in line breaks and tabs", () => {
  it("[AC5] a single line refuses \\n, \\r and \\t; a text of several lines keeps \\n and \\t and refuses \\r", () => {
    for (const s of ["a\nb", "a\tb", "a\rb"]) expect(singleLine().safeParse(s).success, JSON.stringify(s)).toBe(false);
    expect(multiLine().parse("a\n\tb")).toBe("a\n\tb");
    expect(multiLine().safeParse("a\r\nb").success).toBe(false);
    expect(singleLine().parse("Zoë 😀 दिन")).toBe("Zoë 😀 दिन");
  });
});

describe("[AC5] no schema spells its own free text", () => {
  it("[AC5] every trimmed (free-text) string in shared/ is built on singleLine() or multiLine()", () => {
    const root = join(process.cwd(), "shared");
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((f) => /z\s*\.string\(\)\s*\.trim\(/.test(readFileSync(join(root, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});

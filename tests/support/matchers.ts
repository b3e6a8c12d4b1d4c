import { expect } from "vitest";

// Vitest types its asymmetric matchers as `any`, so an expected object that holds one is an
// unsafe `any` to the type-aware lint. These are the same matchers, handed on as `unknown`.

/** `expect.any(String)`. */
export const anyString = (): unknown => expect.any(String);

/** `expect.stringMatching(pattern)`. */
export const stringMatching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

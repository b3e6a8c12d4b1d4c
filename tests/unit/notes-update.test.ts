import { describe, expect, it } from "vitest";
import {
  assertBeforeSeal,
  beforeSeal,
  COMPACT_AFTER,
  compactionDue,
  decideNotesUpdate,
  foldNotesEvent,
  NOTES_LOCKED,
} from "../../shared/domain/notes.js";
import { refusal } from "./scheduling-support.js";

describe("a shared-notes update [CIR4]", () => {
  it("[CIR4] an update to open notes is one notes.update event by its writer; locked notes refuse it", () => {
    expect(decideNotesUpdate({ locked: false }, { id: "u1", update: "AAEC" }, "a")).toEqual([
      { id: "u1", type: "notes.update", actor: "a", data: { u: "AAEC" } },
    ]);
    const refused = refusal(() => decideNotesUpdate({ locked: true }, { id: "u2", update: "AAEC" }, "a"));
    expect(refused.code).toBe("RULE_VIOLATION");
    expect(refused.message).toBe(NOTES_LOCKED);
  });

  it("[CIR4] an update that landed after the seal is refused, by the same rule every reader folds with", () => {
    expect(() => assertBeforeSeal(null, 7)).not.toThrow();
    expect(() => assertBeforeSeal(10, 9)).not.toThrow();
    expect(refusal(() => assertBeforeSeal(10, 11)).code).toBe("RULE_VIOLATION");
    for (const [sealedAt, seq] of [
      [null, 5],
      [10, 9],
      [10, 11],
    ] as const) {
      const counted = foldNotesEvent(sealedAt, { seq, type: "notes.update", data: { u: "AAEC" } }).update !== null;
      expect(counted).toBe(beforeSeal(sealedAt, seq));
    }
  });

  it("[CIR4] compaction starts at every COMPACT_AFTER-th event of the stream, and only then", () => {
    expect(COMPACT_AFTER).toBe(200);
    expect([COMPACT_AFTER, 2 * COMPACT_AFTER].map(compactionDue)).toEqual([true, true]);
    expect([1, COMPACT_AFTER - 1, COMPACT_AFTER + 1].map(compactionDue)).toEqual([false, false, false]);
  });
});

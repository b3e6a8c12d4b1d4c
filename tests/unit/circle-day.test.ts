import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/protocol/errors.js";
import {
  circleAudience,
  decidePiece,
  decidePresence,
  decideStartCircle,
  emptyCircle,
  nextSeat,
  reduceCircle,
  type CircleState,
} from "../../shared/domain/circle.js";
import { decideFnote, emptyFnotes, fnoteHistory, reduceFnotes } from "../../shared/domain/circle-facilitator.js";
import {
  decideShare,
  decideUnshare,
  decideWrite,
  emptyJournal,
  journalAudience,
  reduceJournal,
} from "../../shared/domain/journal.js";
import { canSee, type Viewer } from "../../shared/domain/roles.js";
import type { DraftEvent, StoredEvent } from "../../shared/log.js";

const f1: Viewer = { userId: "f1", role: "facilitator" };
const f2: Viewer = { userId: "f2", role: "facilitator" };
const p = (id: string): Viewer => ({ userId: id, role: id.startsWith("f") ? "facilitator" : "participant" });
const T0 = Date.parse("2026-11-26T18:00:00Z");
type Draft = Omit<DraftEvent, "at">;

function fold<S extends { seq: number }>(reduce: (s: S, e: StoredEvent) => S, state: S, drafts: Draft[], at = T0): S {
  let s = state;
  for (const d of drafts) s = reduce(s, { ...d, at: new Date(at).toISOString(), seq: s.seq + 1, epoch: "ep" });
  return s;
}
const apply = (s: CircleState, drafts: Draft[]) => fold(reduceCircle, s, drafts);

/** A circle of f1, a, b, c, d where only `here` came. */
function circle(here: readonly string[], seats = ["f1", "a", "b", "c", "d"]): CircleState {
  const endsAt = new Date(T0 + 60 * 60_000).toISOString();
  const start = { id: "s", cohortId: "co", sessionId: null, title: "Week 2", shareSeconds: 300, endsAt, seats };
  let s = apply(emptyCircle("c1"), decideStartCircle(emptyCircle("c1"), start, f1));
  for (const id of here) s = apply(s, decidePresence(s, { userId: id, present: true }));
  return s;
}
const pass = (s: CircleState, who: string) =>
  apply(s, decidePiece(s, { id: `pass-${who}-${s.seq}`, action: "pass", to: null }, p(who), T0));
const finish = (s: CircleState, who: string) =>
  apply(s, decidePiece(s, { id: `fin-${who}-${s.seq}`, action: "finish", to: null }, p(who), T0));

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return "no error";
}

describe("the talking piece among who is there [CIR2]", () => {
  it("[CIR2] the piece skips members who are not there", () => {
    let s = circle(["f1", "a", "c", "d"]); // b never came
    s = finish(s, "f1");
    expect(s.holder).toBe("a");
    s = finish(s, "a");
    expect(s.holder).toBe("c");
    expect(nextSeat(s.seats, "a")).toBe("b"); // the seat order itself still has b
  });

  it("[CIR2] a round ends without waiting for someone who never came", () => {
    let s = circle(["f1", "a", "c", "d"]);
    s = finish(s, "f1");
    for (const who of ["a", "c", "d"]) s = pass(s, who);
    expect([s.holder, s.roundOver]).toEqual(["f1", false]);
    s = pass(s, "f1"); // four passes in a row: everyone there has passed
    expect([s.holder, s.roundOver]).toEqual([null, true]);
  });

  it("[CIR2] someone arriving mid-round gets their turn when their seat is still ahead", () => {
    let s = circle(["f1", "a", "d"]);
    s = finish(s, "f1");
    expect(s.holder).toBe("a");
    s = apply(s, decidePresence(s, { userId: "c", present: true })); // c arrives while a holds it
    s = pass(s, "a");
    expect(s.holder).toBe("c");
    // …and the round now waits for c too: a, c, d, f1 must all pass in a row.
    for (const who of ["c", "d"]) s = pass(s, who);
    expect(s.roundOver).toBe(false);
    s = pass(s, "f1");
    expect(s.roundOver).toBe(true);
  });

  it("[CIR2] someone who leaves is skipped from then on and no longer holds the round up", () => {
    let s = circle(["f1", "a", "b", "c", "d"]);
    s = finish(s, "f1");
    s = pass(s, "a");
    s = apply(s, decidePresence(s, { userId: "c", present: false }));
    s = pass(s, "b");
    expect(s.holder).toBe("d");
    s = pass(s, "d");
    s = pass(s, "f1");
    expect(s.roundOver).toBe(true);
  });

  it("[CIR2] a facilitator cannot hand the piece to someone who is not there; arrivals are logged once", () => {
    const s = circle(["f1", "a"]);
    expect(code(() => decidePiece(s, { id: "h", action: "hand", to: "b" }, f1, T0))).toBe("RULE_VIOLATION");
    expect(decidePresence(s, { userId: "a", present: true })).toEqual([]); // already there
    expect(decidePresence(s, { userId: "stranger", present: true })).toEqual([]); // not seated
    const [arrival] = decidePresence(s, { userId: "b", present: true });
    expect(arrival && circleAudience({ ...arrival, at: "", seq: 9, epoch: "ep" })).toEqual({ kind: "all" });
  });

  it("[CIR2] two passes decided at once: the second, re-decided on the new head, is refused — one holder", () => {
    const s = finish(circle(["f1", "a", "b"]), "f1");
    const first = decidePiece(s, { id: "x1", action: "pass", to: null }, p("a"), T0);
    const after = apply(s, first);
    // The store refuses the second append (stale head); decided again, a no longer holds the piece.
    expect(code(() => decidePiece(after, { id: "x2", action: "pass", to: null }, p("a"), T0))).toBe("RULE_VIOLATION");
    expect(after.holder).toBe("b");
  });

  it("[CIR2] a circle opened before presence was logged counts every seat, as it always did", () => {
    const legacy: StoredEvent = {
      id: "old",
      type: "circle.started",
      actor: "f1",
      at: new Date(T0).toISOString(),
      seq: 1,
      epoch: "ep",
      data: {
        cohortId: "co",
        sessionId: null,
        title: "Old",
        seats: ["f1", "a", "b"],
        shareSeconds: 300,
        endsAt: new Date(T0 + 3_600_000).toISOString(),
        startedBy: "f1",
      },
    };
    let s = reduceCircle(emptyCircle("c0"), legacy);
    expect(s.tracksPresence).toBe(false);
    s = finish(s, "f1");
    expect(s.holder).toBe("a");
    s = pass(s, "a");
    expect(s.holder).toBe("b");
  });
});

describe("facilitator notes as entries [CIR6]", () => {
  it("[CIR6] two facilitators writing at once both keep their words, dated and authored, with history", () => {
    const seats = ["f1", "f2", "a"];
    // Both decided on the same (empty) state, as two nodes would: neither reads the other's.
    const one = decideFnote({ id: "n1", about: "a", text: "a seemed tired" }, seats, f1);
    const two = decideFnote({ id: "n2", about: "a", text: "a spoke about her father" }, seats, f2);
    let st = fold(reduceFnotes, emptyFnotes("c1"), one, T0);
    st = fold(reduceFnotes, st, two, T0 + 1000);
    st = fold(reduceFnotes, st, decideFnote({ id: "n3", about: null, text: "group settled" }, seats, f1), T0 + 2000);
    expect(fnoteHistory(st, "a").map((n) => [n.by, n.text, n.at])).toEqual([
      ["f2", "a spoke about her father", new Date(T0 + 1000).toISOString()],
      ["f1", "a seemed tired", new Date(T0).toISOString()],
    ]);
    expect(fnoteHistory(st, null).map((n) => n.text)).toEqual(["group settled"]);
    expect(code(() => decideFnote({ id: "n4", about: null, text: "   " }, seats, f1))).toBe("INVALID_PAYLOAD");
  });

  it("[CIR6] notes saved before issue 11 (one text per save) read as entries of the history; nothing is lost", () => {
    const old = (seq: number, text: string): StoredEvent => ({
      id: `old${seq}`,
      type: "fnote.saved",
      actor: "f1",
      at: new Date(T0 + seq).toISOString(),
      seq,
      epoch: "ep",
      data: { about: null, text },
    });
    const st = reduceFnotes(reduceFnotes(emptyFnotes("c1"), old(1, "first")), old(2, "second"));
    expect(fnoteHistory(st, null).map((n) => n.text)).toEqual(["second", "first"]);
  });
});

describe("sharing a journal entry, and undoing it [CIR5]", () => {
  it("[CIR5] a shared entry is visible to the circle; unshared it is gone; an entry never shared is seen by nobody", () => {
    let j = emptyJournal("a");
    j = fold(reduceJournal, j, decideWrite({ id: "e1", text: "I felt held", circleId: "c1" }, p("a")));
    j = fold(reduceJournal, j, decideWrite({ id: "e2", text: "private grief", circleId: "c1" }, p("a")));
    expect(j.entries.map((e) => e.at)).toEqual([new Date(T0).toISOString(), new Date(T0).toISOString()]);
    let s = circle(["f1", "a", "b"]);
    const share = decideShare(j, { id: "sh1", entryId: "e1" }, p("a"), s);
    s = apply(s, share);
    expect(s.shared.map((x) => x.text)).toEqual(["I felt held"]);
    // Sharing it again while shared records nothing; nobody but its owner can take it back.
    expect(decideShare(j, { id: "sh2", entryId: "e1" }, p("a"), s)).toEqual([]);
    expect(code(() => decideUnshare(s, { id: "u", entryId: "e1" }, p("b")))).toBe("NOT_FOUND");
    expect(code(() => decideUnshare(s, { id: "u", entryId: "e1" }, f1))).toBe("NOT_FOUND");
    s = apply(s, decideUnshare(s, { id: "un1", entryId: "e1" }, p("a")));
    expect(s.shared).toEqual([]);
    expect(code(() => decideUnshare(s, { id: "un2", entryId: "e1" }, p("a")))).toBe("NOT_FOUND");
    // Another participant is not the journal's audience (staff are kept out by authorization, see
    // the integration tests); the circle's copy only ever held what was shared.
    const written = decideWrite({ id: "e3", text: "x", circleId: null }, p("a"))[0];
    if (!written) throw new Error("no draft");
    const stored = { ...written, at: "", seq: 3, epoch: "ep" };
    expect(canSee(journalAudience(stored), p("b"))).toBe(false);
    expect(JSON.stringify(s)).not.toContain("private grief");
    // Shared again later, it shows once.
    s = apply(s, decideShare(j, { id: "sh3", entryId: "e1" }, p("a"), s));
    expect(s.shared.map((x) => x.entryId)).toEqual(["e1"]);
  });
});

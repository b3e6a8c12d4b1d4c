import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/protocol/errors.js";
import {
  decideAgree,
  decideLock,
  decidePiece,
  decidePresence,
  decideStartCircle,
  emptyCircle,
  isRoundOver,
  reduceCircle,
  shareRemainingMs,
  type CircleState,
} from "../../shared/domain/circle.js";
import { decideFnote, emptyFnotes, fnoteHistory, reduceFnotes } from "../../shared/domain/circle-facilitator.js";
import { decideShare, decideWrite, emptyJournal, reduceJournal } from "../../shared/domain/journal.js";
import { estimateOffset, formatRemaining } from "../../shared/domain/circle-time.js";
import { emptyNotes, foldNotesEvent, reduceNotes } from "../../shared/domain/notes.js";
import type { DraftEvent, StoredEvent } from "../../shared/log.js";
import type { Viewer } from "../../shared/domain/roles.js";

const fac: Viewer = { userId: "f1", role: "facilitator" };
const p = (id: string): Viewer => ({ userId: id, role: "participant" });
const T0 = Date.parse("2026-11-26T18:00:00Z");

/** Fold drafts into state as the store would: seq and `at` assigned in order. */
function apply(state: CircleState, drafts: Omit<DraftEvent, "at">[], at = T0): CircleState {
  let s = state;
  for (const d of drafts) {
    const e: StoredEvent = { ...d, at: new Date(at).toISOString(), seq: s.seq + 1, epoch: "ep" };
    s = reduceCircle(s, e);
  }
  return s;
}

/** A circle with everyone seated in the room unless `here` says who is [CIR2]. */
function started(seats = ["f1", "a", "b", "c"], endsInMin = 60, here: readonly string[] = seats): CircleState {
  const endsAt = new Date(T0 + endsInMin * 60_000).toISOString();
  let s = apply(
    emptyCircle("c1"),
    decideStartCircle(
      emptyCircle("c1"),
      { id: "start", cohortId: "co", sessionId: null, title: "Week 1", shareSeconds: 300, endsAt, seats },
      fac,
    ),
  );
  for (const id of here) s = apply(s, decidePresence(s, { userId: id, present: true }));
  return s;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  return "no error";
}

describe("talking piece [CIR2]", () => {
  it("[CIR2] the piece starts with the first seat and goes round in seat order on pass and finish", () => {
    let s = started();
    expect(s.holder).toBe("f1");
    s = apply(s, decidePiece(s, { id: "1", action: "finish", to: null }, fac, T0));
    expect(s.holder).toBe("a");
    s = apply(s, decidePiece(s, { id: "2", action: "pass", to: null }, p("a"), T0));
    expect(s.holder).toBe("b");
    s = apply(s, decidePiece(s, { id: "3", action: "finish", to: null }, p("b"), T0));
    s = apply(s, decidePiece(s, { id: "4", action: "pass", to: null }, p("c"), T0));
    expect(s.holder).toBe("f1"); // wraps round
    expect(s.roundOver).toBe(false);
  });

  it("[CIR2] a participant who does not hold the piece cannot pass or finish it", () => {
    const s = started();
    expect(code(() => decidePiece(s, { id: "x", action: "pass", to: null }, p("b"), T0))).toBe("RULE_VIOLATION");
    expect(code(() => decidePiece(s, { id: "x", action: "finish", to: null }, p("a"), T0))).toBe("RULE_VIOLATION");
  });

  it("[CIR2] only a facilitator hands the piece to anyone seated or takes it back", () => {
    let s = started();
    expect(code(() => decidePiece(s, { id: "x", action: "hand", to: "c" }, p("a"), T0))).toBe("FORBIDDEN");
    expect(code(() => decidePiece(s, { id: "x", action: "take", to: null }, p("a"), T0))).toBe("FORBIDDEN");
    expect(code(() => decidePiece(s, { id: "x", action: "hand", to: "stranger" }, fac, T0))).toBe("RULE_VIOLATION");
    s = apply(s, decidePiece(s, { id: "h", action: "hand", to: "c" }, fac, T0));
    expect(s.holder).toBe("c");
    s = apply(s, decidePiece(s, { id: "t", action: "take", to: null }, fac, T0));
    expect(s.holder).toBe("f1");
  });

  it("[CIR2] the round ends when the piece has gone round once with everyone passing", () => {
    let s = started();
    const order = ["f1", "a", "b", "c"];
    // One share breaks the run of passes: a full circle of passes must follow it.
    s = apply(s, decidePiece(s, { id: "s", action: "finish", to: null }, fac, T0));
    for (const [i, who] of ["a", "b", "c"].entries())
      s = apply(s, decidePiece(s, { id: `p${i}`, action: "pass", to: null }, who === "f1" ? fac : p(who), T0));
    expect(s.roundOver).toBe(false);
    expect(s.holder).toBe("f1");
    s = apply(s, decidePiece(s, { id: "last", action: "pass", to: null }, fac, T0));
    expect(s.roundOver).toBe(true);
    expect(s.holder).toBeNull();
    expect(isRoundOver(s, T0)).toBe(true);
    expect(order).toHaveLength(s.seats.length);
    // Nobody can pass now; a facilitator starts the next round by handing the piece on.
    expect(code(() => decidePiece(s, { id: "y", action: "pass", to: null }, p("a"), T0))).toBe("RULE_VIOLATION");
    s = apply(s, decidePiece(s, { id: "next", action: "hand", to: "a" }, fac, T0));
    expect([s.round, s.roundOver, s.holder]).toEqual([2, false, "a"]);
  });

  it("[CIR2] the round ends at the circle's end time: passing after it is refused", () => {
    const s = started(["f1", "a"], 30);
    const end = T0 + 30 * 60_000;
    expect(isRoundOver(s, end - 1)).toBe(false);
    expect(isRoundOver(s, end)).toBe(true);
    expect(code(() => decidePiece(s, { id: "late", action: "finish", to: null }, fac, end + 1))).toBe("RULE_VIOLATION");
  });
});

describe("agreement, timer, notes lock [CIR1] [CIR3] [CIR4]", () => {
  it("[CIR1] a participant's acceptance is recorded once; staff do not accept", () => {
    let s = started();
    s = apply(s, decideAgree(s, "ag1", p("a")));
    expect(s.agreed).toEqual(["a"]);
    expect(decideAgree(s, "ag2", p("a"))).toEqual([]);
    expect(code(() => decideAgree(s, "ag3", fac))).toBe("FORBIDDEN");
  });

  it("[CIR3] the share timer counts from the server instant the piece arrived; zero is not a cut-off", () => {
    let s = started();
    s = apply(s, decidePiece(s, { id: "1", action: "finish", to: null }, fac, T0), T0 + 10_000);
    expect(shareRemainingMs(s, T0 + 10_000)).toBe(300_000);
    expect(shareRemainingMs(s, T0 + 10_000 + 299_000)).toBe(1000);
    expect(shareRemainingMs(s, T0 + 10_000 + 312_000)).toBe(-12_000);
    expect(formatRemaining(-12_000)).toBe("+0:12");
    expect(formatRemaining(65_200)).toBe("1:06");
    // The holder can still finish in overtime.
    expect(decidePiece(s, { id: "2", action: "finish", to: null }, p("a"), T0 + 400_000)).toHaveLength(1);
  });

  it("[CIR3] a client with a skewed clock estimates the server's time from the min-RTT sample", () => {
    const skew = -7_300; // this client's clock is 7.3 s behind the server
    const server = (clientMs: number) => clientMs - skew;
    const samples = [
      { sentMs: 1000, serverMs: server(1000 + 180), receivedMs: 1400 }, // slow, asymmetric
      { sentMs: 2000, serverMs: server(2000 + 20), receivedMs: 2040 }, // fast: the best
      { sentMs: 3000, serverMs: server(3000 + 300), receivedMs: 3320 },
    ];
    const est = estimateOffset(samples);
    expect(est?.rttMs).toBe(40);
    expect(Math.abs((est?.offsetMs ?? 0) - -skew)).toBeLessThan(500);
    expect(estimateOffset([])).toBeNull();
  });

  it("[CIR4] only a facilitator locks the notes; locking twice records nothing new", () => {
    let s = started();
    expect(code(() => decideLock(s, "l", p("a")))).toBe("FORBIDDEN");
    s = apply(s, decideLock(s, "l", fac));
    expect(s.locked).toBe(true);
    expect(decideLock(s, "l2", fac)).toEqual([]);
  });
});

describe("journal and facilitator notes [CIR5] [CIR6]", () => {
  it("[CIR5] an entry can be shared only by its owner", () => {
    const [d] = decideWrite({ id: "e1", text: "I felt held", circleId: null }, p("a"));
    if (!d) throw new Error("no draft");
    const j = reduceJournal(emptyJournal("a"), { ...d, at: new Date(T0).toISOString(), seq: 1, epoch: "ep" });
    expect(decideShare(j, { id: "sh", entryId: "e1" }, p("a"))[0]?.data).toMatchObject({
      userId: "a",
      text: "I felt held",
    });
    expect(code(() => decideShare(j, { id: "sh", entryId: "e1" }, p("b")))).toBe("NOT_FOUND");
    expect(code(() => decideShare(j, { id: "sh", entryId: "nope" }, p("a")))).toBe("NOT_FOUND");
    expect(code(() => decideWrite({ id: "e2", text: "x", circleId: null }, fac))).toBe("FORBIDDEN");
  });

  it("[CIR6] [AC3] facilitator notes are written by facilitators only, about someone seated", () => {
    expect(code(() => decideFnote({ id: "n", about: null, text: "x" }, ["a"], p("a")))).toBe("NOT_FOUND");
    expect(code(() => decideFnote({ id: "n", about: "zz", text: "x" }, ["a"], fac))).toBe("RULE_VIOLATION");
    const [d] = decideFnote({ id: "n", about: "a", text: "quiet today" }, ["a"], fac);
    if (!d) throw new Error("no draft");
    const st = reduceFnotes(emptyFnotes("c1"), { ...d, at: new Date(T0).toISOString(), seq: 1, epoch: "ep" });
    expect(fnoteHistory(st, "a").map((n) => n.text)).toEqual(["quiet today"]);
  });
});

describe("notes textarea binding [CIR4]", () => {
  it("[CIR4] a local change becomes the smallest delta, and a remote insert at the caret does not move it", async () => {
    const Y = await import("yjs");
    const { applyTextareaChange, shiftIndex } = await import("../../client/src/circle/textBinding.js");
    const doc = new Y.Doc();
    const t = doc.getText("notes");
    t.insert(0, "hello world");
    const deltas: unknown[] = [];
    t.observe((e) => deltas.push(e.delta));
    applyTextareaChange(t, "hello world", "hello brave world");
    expect(t.toJSON()).toBe("hello brave world"); // the text: yjs's types leave out Y.Text's toString()
    expect(deltas.at(-1)).toEqual([{ retain: 6 }, { insert: "brave " }]);
    applyTextareaChange(t, "hello brave world", "hello world");
    expect(deltas.at(-1)).toEqual([{ retain: 6 }, { delete: 6 }]);
    expect(shiftIndex([{ retain: 3 }, { insert: "xy" }], 3)).toBe(3);
    expect(shiftIndex([{ retain: 2 }, { insert: "xy" }], 3)).toBe(5);
    expect(shiftIndex([{ retain: 1 }, { delete: 4 }], 3)).toBe(1);
    expect(shiftIndex([{ retain: 5 }, { delete: 4 }], 3)).toBe(3);
  });
});

describe("notes seal", () => {
  it("[CIR4] folding a notes stream counts updates before the seal only; the first seal wins", () => {
    const ev = (seq: number, type: string, data: Record<string, unknown>): StoredEvent => ({
      id: `e${seq}`,
      seq,
      epoch: "ep",
      type,
      actor: "a",
      at: new Date(T0).toISOString(),
      data,
    });
    const events = [
      ev(1, "notes.update", { u: "AA==" }),
      ev(2, "notes.sealed", { by: "f1" }),
      ev(3, "notes.update", { u: "BB==" }),
      ev(4, "notes.sealed", { by: "f1" }),
    ];
    let sealedAt: number | null = null;
    const counted: string[] = [];
    for (const e of events) {
      const f = foldNotesEvent(sealedAt, e);
      sealedAt = f.sealedAt;
      if (f.update !== null) counted.push(f.update);
    }
    expect(counted).toEqual(["AA=="]);
    expect(sealedAt).toBe(2);
    expect(foldNotesEvent(null, { seq: 5 })).toEqual({ sealedAt: null, update: null }); // a hidden event
    const state = events.reduce(reduceNotes, emptyNotes("c1"));
    expect(state).toMatchObject({ seq: 4, updates: 1, sealedAt: 2 });
  });
});

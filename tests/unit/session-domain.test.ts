import { describe, expect, it } from "vitest";
import {
  decideCheckin,
  decideOpenSession,
  decideRoomTransition,
  emptySession,
  reduceSession,
} from "../../shared/domain/session.js";
import { foldEvents, sessionStream, viewOf } from "../../shared/domain/streams.js";
import { AppError } from "../../shared/protocol/errors.js";
import type { StoredEvent } from "../../shared/log.js";

let seq = 0;
function stored(d: { id: string; type: string; actor: string; data: Record<string, unknown> }): StoredEvent {
  seq += 1;
  return { ...d, seq, epoch: "e1", at: new Date(Date.UTC(2026, 10, 26, 18, 0, seq)).toISOString() };
}
const fac = { userId: "f1", role: "facilitator" as const };
const p1 = { userId: "p1", role: "participant" as const };
const p2 = { userId: "p2", role: "participant" as const };

function openSession() {
  seq = 0;
  const [open] = decideOpenSession(emptySession("s1"), { id: "c1", cohortId: "co1", title: "Dosing day" }, fac);
  if (!open) throw new Error("no event");
  return reduceSession(emptySession("s1"), stored(open));
}

/** The session opened, then p1 checks in "ok": where both fold tests start (numbered from the current `seq`). */
function openedThenOk(): StoredEvent[] {
  return [
    stored({ id: "a", type: "session.opened", actor: "f1", data: { cohortId: "co1", title: "T", openedBy: "f1" } }),
    stored({
      id: "b",
      type: "checkin.recorded",
      actor: "p1",
      data: { participantId: "p1", status: "ok", intensity: null, text: null },
    }),
  ];
}

describe("live session domain", () => {
  it("[LIVE5] a check-in carries status, optional intensity 0–10 and up to 500 characters, and updates the tile", () => {
    const s = openSession();
    const drafts = decideCheckin(s, { id: "c2", status: "struggling", intensity: 6, text: "  heavy  " }, p1);
    expect(drafts).toHaveLength(1);
    const after = drafts.reduce((st, d) => reduceSession(st, stored(d)), s);
    expect(after.lastCheckin.p1).toMatchObject({ status: "struggling", intensity: 6, text: "heavy" });
    expect(after.checkinCount).toBe(1);
  });

  it("[LIVE5] only a participant checks in, and only into an open session", () => {
    const s = openSession();
    expect(() => decideCheckin(s, { id: "x", status: "ok" }, fac)).toThrow(AppError);
    expect(() => decideCheckin(emptySession("s2"), { id: "x", status: "ok" }, p1)).toThrow(/not open/);
  });

  it("[LOG5] folding the same events gives the same state, whatever way they arrive", () => {
    const s0 = emptySession("s1");
    seq = 0;
    const events = [
      ...openedThenOk(),
      stored({
        id: "c",
        type: "checkin.recorded",
        actor: "p2",
        data: { participantId: "p2", status: "need_support", intensity: 9, text: null },
      }),
    ];
    const oneByOne = events.reduce(reduceSession, s0);
    const folded = foldEvents(sessionStream, s0, events);
    const withRepeats = foldEvents(sessionStream, foldEvents(sessionStream, s0, events.slice(0, 2)), events);
    expect(folded).toEqual(oneByOne);
    expect(withRepeats).toEqual(oneByOne);
  });

  it("[AC3] a participant's view of someone else's check-in is only its position", () => {
    seq = 0;
    const e = stored({
      id: "b",
      type: "checkin.recorded",
      actor: "p1",
      data: { participantId: "p1", status: "struggling", intensity: 4, text: "secret" },
    });
    expect(viewOf("session", e, p2)).toEqual({ seq: e.seq, epoch: "e1", hidden: true });
    expect(viewOf("session", e, p1)).toBe(e);
    expect(viewOf("session", e, fac)).toBe(e);
    const left = stored({ id: "l", type: "participant.left", actor: "p1", data: { userId: "p1" } });
    expect(viewOf("session", left, p2)).toEqual({ seq: left.seq, epoch: "e1", hidden: true });
  });

  it("[LOG5] a participant's client folds hidden positions into the same seq as the server", () => {
    seq = 0;
    const events = openedThenOk();
    const view = events.map((e) => viewOf("session", e, p2));
    const state = foldEvents(sessionStream, emptySession("s1"), view);
    expect(state.seq).toBe(2);
    expect(state.lastCheckin).toEqual({});
  });

  it("[PR5] arriving and leaving are logged once per real transition", () => {
    let s = openSession();
    const arrive = decideRoomTransition(s, { userId: "p1", role: "participant", present: true });
    expect(arrive.map((d) => d.type)).toEqual(["participant.arrived"]);
    s = arrive.reduce((st, d) => reduceSession(st, stored(d)), s);
    expect(decideRoomTransition(s, { userId: "p1", role: "participant", present: true })).toEqual([]);
    const leave = decideRoomTransition(s, { userId: "p1", role: "participant", present: false });
    expect(leave.map((d) => d.type)).toEqual(["participant.left"]);
    s = leave.reduce((st, d) => reduceSession(st, stored(d)), s);
    expect(s.inRoom).toEqual([]);
    expect(decideRoomTransition(s, { userId: "f1", role: "facilitator", present: true }).map((d) => d.type)).toEqual([
      "facilitator.arrived",
    ]);
    expect(decideRoomTransition(s, { userId: "ad", role: "admin", present: true })).toEqual([]);
  });
});

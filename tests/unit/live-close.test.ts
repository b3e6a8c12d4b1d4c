import { describe, expect, it } from "vitest";
import {
  decideCheckin,
  decideOpenSession,
  decideRoomTransition,
  emptySession,
  reduceSession,
  sessionAudience,
} from "../../shared/domain/session.js";
import { decideAck, decideAdmit, decideRelease, decideSupport } from "../../shared/domain/live-decide.js";
import { decideClose, describeOpenItems, openItems } from "../../shared/domain/live-close.js";
import { decideLiveChecks } from "../../shared/domain/live-checks.js";
import { emptyLiveIndex, reduceLiveIndex } from "../../shared/domain/live-index.js";
import { oregon2025 } from "../../shared/profiles/oregon-2025.js";
import { AppError } from "../../shared/protocol/errors.js";
import { Log, READY, fac, p1 } from "../support/live-log.js";

const NAMES: Record<string, string> = { p1: "Ava", p2: "Ben", p3: "Cy", f1: "Fay" };
const name = (id: string): string => NAMES[id] ?? id;

function admitted(...ids: string[]): Log {
  const log = new Log();
  log.apply(decideOpenSession(log.state, { id: "open", cohortId: "c1", title: "Dosing" }, fac));
  log.apply(decideRoomTransition(log.state, { userId: "f1", role: "facilitator", present: true }));
  for (const id of ids)
    log.apply(decideAdmit(log.state, { id: `adm-${id}`, participantId: id }, fac, log.ctx(), READY));
  return log;
}

function release(log: Log, id: string): void {
  log.apply(
    decideRelease(
      log.state,
      { id: `rel-${id}`, sessionId: "s1", participantId: id, planConfirmed: true },
      fac,
      log.ctx(),
      { plan: { driver: "Partner", contact: "555-0100", notes: "" }, earlierDoses: [] },
    ),
  );
}

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    throw err;
  }
  return { code: "ok", message: "" };
}

describe("ending a live session (decide rules)", () => {
  it("[LIVE10] [LIVE6] is refused while admitted participants are not released, naming them and the waiting alert", () => {
    const log = admitted("p1", "p2");
    log.apply(decideSupport(log.state, { id: "help-1" }, p1));
    const r = refusal(() => decideClose(log.state, { id: "close" }, fac, name));
    expect(r.code).toBe("RULE_VIOLATION");
    expect(r.message).toContain(
      "2 participants are still admitted and not released (Ava, Ben); 1 alert is waiting for a response (support request from Ava).",
    );
  });

  it("[LIVE6] is refused under a pending alert even when everyone is released", () => {
    const log = admitted("p1");
    log.apply(log.dose("d1", "p1", 10, "primary"));
    log.now += 8 * 60 * 60_000;
    release(log, "p1");
    // Someone not yet released asks (a released participant's press says whom to call instead).
    log.apply(decideSupport(log.state, { id: "help-2" }, { userId: "p2", role: "participant" }));
    const r = refusal(() => decideClose(log.state, { id: "close" }, fac, name));
    expect(r.code).toBe("RULE_VIOLATION");
    expect(r.message).toContain("1 alert is waiting for a response");
    expect(r.message).not.toContain("not released");
    // Acknowledged: nothing is open any more.
    log.apply(decideAck(log.state, { alertId: "help-2" }, fac));
    expect(openItems(log.state)).toEqual({ unreleased: [], alerts: [] });
    const drafts = decideClose(log.state, { id: "close" }, fac, name);
    expect(drafts).toEqual([{ id: "close", type: "session.closed", actor: "f1", data: { closedBy: "f1" } }]);
    const closed = log.apply(drafts);
    expect(closed.status).toBe("closed");
    expect(closed.closedBy).toBe("f1");
    expect(closed.closedAt).toBe(new Date(log.now).toISOString());
  });

  it("[LIVE10] a participant never admitted does not hold the session open; only facilitators close; closing twice writes nothing", () => {
    const log = admitted();
    expect(refusal(() => decideClose(log.state, { id: "c" }, p1, name)).code).toBe("FORBIDDEN");
    expect(refusal(() => decideClose(emptySession("x"), { id: "c" }, fac, name)).code).toBe("RULE_VIOLATION");
    log.apply(decideClose(log.state, { id: "c" }, fac, name));
    expect(decideClose(log.state, { id: "c2" }, fac, name)).toEqual([]);
  });

  it("[LIVE6] after the close, support requests and check-ins are refused with words that say to call out", () => {
    const log = admitted();
    log.apply(decideClose(log.state, { id: "c" }, fac, name));
    for (const f of [
      () => decideSupport(log.state, { id: "h" }, p1),
      () => decideCheckin(log.state, { id: "k", status: "need_support" }, p1),
    ]) {
      const r = refusal(f);
      expect(r.code).toBe("RULE_VIOLATION");
      expect(r.message).toMatch(/has ended.*call out or wave to a facilitator/);
    }
    expect(refusal(() => decideAdmit(log.state, { id: "a", participantId: "p1" }, fac, log.ctx(), READY)).message).toBe(
      "This session has ended.",
    );
    // [AC2] Everyone in the session sees that it ended.
    const event = {
      id: "c",
      type: "session.closed",
      actor: "f1",
      data: { closedBy: "f1" },
      seq: 9,
      epoch: "e1",
      at: "2026-11-26T20:00:00Z",
    };
    expect(sessionAudience(event)).toEqual({ kind: "all" });
  });

  it("[LIVE6] the periodic checks stop on an ended session — unless an alert were somehow still pending, which keeps escalating", () => {
    const log = admitted();
    log.apply(decideClose(log.state, { id: "c" }, fac, name));
    log.now += 60 * 60_000;
    expect(decideLiveChecks(log.state, log.now, oregon2025)).toEqual([]);
    // A state the close command can never produce (alert raised after the close), decided defensively.
    const raced = reduceSession(log.state, {
      id: "a1",
      type: "alert.raised",
      actor: "p1",
      seq: log.state.seq + 1,
      epoch: "e1",
      at: new Date(log.now).toISOString(),
      data: { alertId: "a1", kind: "support", participantId: "p1", subjectId: null, detail: "x" },
    });
    expect(decideLiveChecks(raced, log.now + 16_000, oregon2025).map((d) => d.type)).toEqual(["alert.escalated"]);
  });

  it("[LOG1] the index drops an unlisted session and does not list it again", () => {
    const ev = (seq: number, type: string) => ({
      id: `${type}:${seq}`,
      type,
      actor: "system",
      data: { sessionId: "s1" },
      seq,
      epoch: "e",
      at: "2026-11-26T20:00:00Z",
    });
    let idx = emptyLiveIndex("live");
    for (const e of [ev(1, "session.listed"), ev(2, "session.unlisted")]) idx = reduceLiveIndex(idx, e);
    expect(idx.sessions).toEqual([]);
    expect(describeOpenItems({ unreleased: ["p3"], alerts: [] }, name)).toBe(
      "1 participant is still admitted and not released (Cy).",
    );
  });
});

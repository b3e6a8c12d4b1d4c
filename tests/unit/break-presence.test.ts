import { describe, expect, it } from "vitest";
import { decideOpenSession, decideRoomTransition } from "../../shared/domain/session.js";
import { decideBreak } from "../../shared/domain/live-decide.js";
import { isOnBreak, ratioStatus } from "../../shared/domain/live-rules.js";
import { personState, type ConnectionEntry } from "../../shared/protocol/presence.js";
import { oregon2025 } from "../../shared/profiles/oregon-2025.js";
import { Log, fac } from "../support/live-log.js";

const fac2 = { userId: "f2", role: "facilitator" as const };
const online: ConnectionEntry = { userId: "f1", nodeId: "n1", connId: "c1", state: "online", expiresAt: Infinity };

function room(): Log {
  const log = new Log();
  log.apply(decideOpenSession(log.state, { id: "open", cohortId: "c1", title: "Dosing" }, fac));
  for (const f of [fac, fac2])
    log.apply(decideRoomTransition(log.state, { userId: f.userId, role: "facilitator", present: true }));
  return log;
}

describe("a facilitator's break in presence [LIVE4][PR2]", () => {
  it("[LIVE4] on break is what the session log says: from break.started until break.ended", () => {
    const log = room();
    expect(isOnBreak(log.state.live, "f1")).toBe(false);
    log.apply(decideBreak(log.state, { id: "b1", onBreak: true }, fac, log.ctx()));
    expect(isOnBreak(log.state.live, "f1")).toBe(true);
    expect(isOnBreak(log.state.live, "f2")).toBe(false);
    // Asking again writes nothing, and the answer is still the log's.
    expect(decideBreak(log.state, { id: "b2", onBreak: true }, fac, log.ctx())).toEqual([]);
    expect(isOnBreak(log.state.live, "f1")).toBe(true);
    log.apply(decideBreak(log.state, { id: "b3", onBreak: false }, fac, log.ctx()));
    expect(isOnBreak(log.state.live, "f1")).toBe(false);
  });

  it("[PR2] the flag presence is given shows a connected facilitator as on_break, and the ratio stops counting them [LIVE3]", () => {
    const log = room();
    log.apply(decideBreak(log.state, { id: "b1", onBreak: true }, fac, log.ctx()));
    expect(personState([online], log.now, isOnBreak(log.state.live, "f1"))).toBe("on_break");
    expect(ratioStatus(log.state.live, oregon2025).facilitators).toBe(1);
    log.apply(decideBreak(log.state, { id: "b2", onBreak: false }, fac, log.ctx()));
    expect(personState([online], log.now, isOnBreak(log.state.live, "f1"))).toBe("online");
    expect(ratioStatus(log.state.live, oregon2025).facilitators).toBe(2);
  });
});

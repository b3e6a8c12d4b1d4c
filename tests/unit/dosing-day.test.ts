import { describe, expect, it } from "vitest";
import {
  decideAdmit,
  decideDose,
  decideRelease,
  decideSupport,
  decideVitals,
} from "../../shared/domain/live-decide.js";
import { earliestRelease } from "../../shared/domain/live-rules.js";
import { isReturningClient, sessionMinimum } from "../../shared/domain/live-returning.js";
import { decideOpenSession, decideRoomTransition } from "../../shared/domain/session.js";
import { pendingAlerts } from "../../shared/domain/alerts.js";
import { oregon2025 } from "../../shared/profiles/oregon-2025.js";
import { AppError } from "../../shared/protocol/errors.js";
import { Log, READY, T0, fac, p1 } from "../support/live-log.js";
import { cohortWith, ctx, LA, refusal, schedule } from "./scheduling-support.js";
import { supportView } from "../../client/src/room/support-status.js";
import { WHAT_TO_DO_INSTEAD } from "../../shared/domain/session.js";

const H = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const PLAN = { driver: "Dana Reyes", contact: "555-0142", notes: "Blue hatchback" };
const facts = (earlierDoses: string[] = []) => ({ plan: PLAN, earlierDoses });

function opened(...ids: string[]): Log {
  const log = new Log();
  log.apply(decideOpenSession(log.state, { id: "open", cohortId: "c1", title: "Dosing" }, fac));
  log.apply(decideRoomTransition(log.state, { userId: "f1", role: "facilitator", present: true }));
  for (const id of ids)
    log.apply(decideAdmit(log.state, { id: `adm-${id}`, participantId: id }, fac, log.ctx(), READY));
  return log;
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("dosing day rules (issue 11)", () => {
  it("[SCH7] a returning client is one dosed in the program within returningClientMonths before the date", () => {
    const at = "2026-12-10T17:00:00.000Z";
    expect(isReturningClient(["2026-01-05T17:00:00.000Z"], at, oregon2025)).toBe(true);
    expect(isReturningClient(["2025-12-10T17:00:00.000Z"], at, oregon2025)).toBe(true); // exactly 12 months
    expect(isReturningClient(["2025-12-10T16:59:00.000Z"], at, oregon2025)).toBe(false);
    expect(isReturningClient([], at, oregon2025)).toBe(false);
    expect(isReturningClient(undefined, at, oregon2025)).toBe(false);
    // A dose after the date is not history.
    expect(isReturningClient(["2026-12-11T17:00:00.000Z"], at, oregon2025)).toBe(false);
  });

  it("[SCH7] the session minimum is per participant: 30 min only when every one of them is returning", () => {
    const at = "2026-12-10T17:00:00.000Z";
    const history = { p1: ["2026-06-01T17:00:00.000Z"], p2: ["2024-01-01T17:00:00.000Z"] };
    expect(sessionMinimum(oregon2025, 2, ["p1"], history, at)).toEqual({ minutes: 30, newcomers: [] });
    expect(sessionMinimum(oregon2025, 2, ["p1", "p2"], history, at)).toEqual({ minutes: 60, newcomers: ["p2"] });
    expect(sessionMinimum(oregon2025, 2, ["p1", "p3"], history, at)).toEqual({ minutes: 60, newcomers: ["p3"] });
    // Above the first band there is no returning-client minimum.
    expect(sessionMinimum(oregon2025, 3, ["p1"], history, at).minutes).toBe(60);
  });

  it("[SCH7] scheduling reads each participant's history: 45 min passes for two returning clients, not when one is new", () => {
    const cohort = cohortWith();
    const cmd = (participants: string[]) => ({
      kind: "dosing",
      start: "2026-12-10T09:00",
      end: "2026-12-10T09:45",
      plannedDoseMg: 2,
      facilitators: ["f1"],
      participants,
    });
    const history = { p1: ["2026-05-01T17:00:00.000Z"], p2: ["2026-10-01T17:00:00.000Z"] };
    expect(schedule(cohort, cmd(["p1", "p2"]), ctx([], LA, history))).toHaveLength(1);
    const err = refusal(() => schedule(cohort, cmd(["p1", "p2", "p3"]), ctx([], LA, history)));
    expect(err.message).toBe(
      "A dosing session at 2 mg lasts at least 1 h (30 min only when every participant is a returning client dosed in this program within 12 months; 1 of 3 is not); this one is planned for 45 min.",
    );
  });

  it("[LIVE2] earliest release uses the returning-client minimum per participant, at release too", () => {
    const log = opened("p1", "p2");
    log.apply(log.dose("d1", "p1", 2, "primary"));
    log.apply(log.dose("d2", "p2", 2, "primary"));
    const [a, b] = [log.state.live.participants.p1, log.state.live.participants.p2];
    if (!a || !b) throw new Error("no participants");
    expect(earliestRelease(a, oregon2025, true)).toBe(iso(T0 + 0.5 * H));
    expect(earliestRelease(b, oregon2025, false)).toBe(iso(T0 + H));
    log.now = T0 + 40 * 60_000;
    const release = (participantId: string) => ({
      id: `r-${participantId}`,
      sessionId: "s1",
      participantId,
      planConfirmed: true,
    });
    // p1 was dosed in the program four months ago: released at 40 min.
    const done = decideRelease(log.state, release("p1"), fac, log.ctx(), facts([iso(T0 - 120 * 24 * H)]));
    expect(done[0]?.data).toMatchObject({ returningClient: true, earliestAt: iso(T0 + 0.5 * H) });
    // p2 has no history: 1 h, so refused at 40 min.
    expect(message(() => decideRelease(log.state, release("p2"), fac, log.ctx(), facts()))).toMatch(
      /^Earliest release is 18:00 UTC \(first dose at 17:00 UTC \+ the minimum for 2 mg\)/,
    );
  });

  it("[LIVE8] 120/120 raises the alert and is flagged for a re-measure, not refused", () => {
    const log = opened("p1");
    const drafts = decideVitals(
      log.state,
      { id: "v1", sessionId: "s1", participantId: "p1", systolic: 120, diastolic: 120, heartRate: 80 },
      fac,
      log.ctx(),
    );
    expect(drafts[0]?.data.alert).toMatch(
      /^Blood pressure 120\/120 reaches the alert limit \(180\/120\)\. The reading looks implausible/,
    );
    expect(drafts[0]?.data.implausible).toBe("Diastolic (120) is not below systolic (120).");
    log.apply(drafts);
    expect(pendingAlerts(log.state.live.alerts).map((x) => [x.id, x.kind])).toEqual([["v1", "vitals"]]);
    expect(log.state.live.participants.p1?.vitals?.implausible).toMatch(/not below systolic/);
    // Implausible but under the limit: recorded and flagged, no alert.
    const low = decideVitals(
      log.state,
      { id: "v2", sessionId: "s1", participantId: "p1", systolic: 90, diastolic: 95, heartRate: 80 },
      fac,
      log.ctx(),
    );
    expect(low[0]?.data.alert).toBeNull();
    expect(low[0]?.data.implausible).toMatch(/not below systolic/);
  });

  it("[LIVE1] a dose given before the session was opened is recorded with its time, within 12 h; not in the future", () => {
    const log = opened("p1");
    const dose = (id: string, givenAt: string, kind: "primary" | "secondary" = "primary") =>
      decideDose(log.state, { id, sessionId: "s1", participantId: "p1", mg: 10, kind, givenAt }, fac, log.ctx());
    log.now = T0 + 30 * 60_000;
    expect(message(() => dose("d0", iso(T0 - 12 * H - 60_000)))).toBe(
      "A dose can be recorded as given at most 12 h before the session was opened (17:00 UTC), so not before 05:00 UTC.",
    );
    expect(message(() => dose("d0", iso(log.now + 5 * 60_000)))).toBe(
      "A dose cannot be recorded as given in the future.",
    );
    log.apply(dose("d1", iso(T0 - 2 * H)));
    expect(log.state.live.participants.p1?.firstDoseAt).toBe(iso(T0 - 2 * H));
    // A secondary dose is not earlier than the primary.
    expect(message(() => dose("d2", iso(T0 - 3 * H), "secondary"))).toBe(
      "A secondary dose cannot be given before the primary dose (15:00 UTC).",
    );
    // The earliest release counts from the time it was given.
    const p = log.state.live.participants.p1;
    if (!p) throw new Error("no participant");
    expect(earliestRelease(p, oregon2025)).toBe(iso(T0 + 2 * H));
  });

  it("[LIVE10] release confirms against the plan on file; a different driver is a logged change; the phone is told", () => {
    const log = opened("p1");
    log.apply(log.dose("d1", "p1", 2, "primary"));
    log.now = T0 + 2 * H;
    const base = { id: "r1", sessionId: "s1", participantId: "p1" };
    expect(
      message(() =>
        decideRelease(log.state, { ...base, transportBy: "Sam", planConfirmed: true }, fac, log.ctx(), facts()),
      ),
    ).toBe("The plan on file says Dana Reyes is taking them home, not Sam. Confirm the plan, or record the change.");
    expect(
      message(() =>
        decideRelease(log.state, { ...base, transportBy: "Sam", planConfirmed: false }, fac, log.ctx(), facts()),
      ),
    ).toBe("Sam is not the driver on the plan on file (Dana Reyes): describe the change so it is logged.");
    const asPlanned = decideRelease(log.state, { ...base, planConfirmed: true }, fac, log.ctx(), facts());
    expect(asPlanned.map((d) => [d.type, d.data.transportBy])).toEqual([
      ["participant.released", "Dana Reyes"],
      ["participant.going_home", "Dana Reyes"],
    ]);
    const changed = decideRelease(
      log.state,
      {
        ...base,
        transportBy: "Sam",
        planConfirmed: false,
        planChange: "Dana's car broke down; her brother Sam drives",
      },
      fac,
      log.ctx(),
      facts(),
    );
    log.apply(changed);
    expect(log.state.live.participants.p1?.release).toMatchObject({
      transportBy: "Sam",
      planConfirmed: false,
      planChange: "Dana's car broke down; her brother Sam drives",
    });
    expect(changed[0]?.data.plannedDriver).toBe("Dana Reyes");
    expect(log.state.live.participants.p1?.goingHome).toMatchObject({ transportBy: "Sam", asPlanned: false });
    // [LIVE10] Released: "I need support" no longer reaches the facilitators, and says what to do instead.
    expect(message(() => decideSupport(log.state, { id: "help" }, p1))).toMatch(
      /^You have been released from this session.*call your program's contact number; in an emergency, call 911\.$/,
    );
  });

  it('[LIVE10] [LIVE6] released or ended: "X is coming to you" becomes history and the line says whom to call instead', () => {
    const facts = { sending: false, sendingForMs: 0, pending: false, failed: null };
    const answered = { by: "Ana", at: "2:05 PM PST" };
    expect(supportView({ ...facts, answered }).text).toBe("Ana is coming to you (answered at 2:05 PM PST).");
    const over = supportView({ ...facts, answered, over: WHAT_TO_DO_INSTEAD });
    expect(over).toEqual({
      state: "closed",
      text: "Ana answered your request at 2:05 PM PST.",
      hint: WHAT_TO_DO_INSTEAD,
    });
    expect(supportView({ ...facts, answered: null, over: WHAT_TO_DO_INSTEAD })).toEqual({
      state: "closed",
      text: "",
      hint: WHAT_TO_DO_INSTEAD,
    });
    expect(WHAT_TO_DO_INSTEAD).toMatch(/call out or wave to a facilitator.*call your program's contact number.*911/);
  });
});

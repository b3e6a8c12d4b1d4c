import { describe, expect, it } from "vitest";
import {
  decideCheckin,
  decideOpenSession,
  decideRoomTransition,
  sessionAudience,
} from "../../shared/domain/session.js";
import {
  decideAck,
  decideAdmit,
  decideAdverse,
  decideBreak,
  decideRelease,
  decideSupport,
  decideVitals,
} from "../../shared/domain/live-decide.js";
import { decideLiveChecks } from "../../shared/domain/live-checks.js";
import { describeRatio, earliestRelease, needsLookIn, ratioStatus } from "../../shared/domain/live-rules.js";
import { pendingAlerts } from "../../shared/domain/alerts.js";
import type { Draft } from "../../shared/domain/live-types.js";
import { oregon2025 } from "../../shared/profiles/oregon-2025.js";
import { AppError } from "../../shared/protocol/errors.js";
import { Log, READY, T0, fac, p1 } from "../support/live-log.js";

const fac2 = { userId: "f2", role: "facilitator" as const };
/** [LIVE10] The transportation plan on file for p1, and no earlier dosing. */
const SAM = { plan: { driver: "Sam (partner)", contact: "555-0100", notes: "" }, earlierDoses: [] };

function opened(): Log {
  const log = new Log();
  log.apply(decideOpenSession(log.state, { id: "open", cohortId: "c1", title: "Dosing" }, fac));
  for (const f of [fac, fac2])
    log.apply(decideRoomTransition(log.state, { userId: f.userId, role: "facilitator", present: true }));
  return log;
}

function admitted(...ids: string[]): Log {
  const log = opened();
  for (const id of ids)
    log.apply(decideAdmit(log.state, { id: `adm-${id}`, participantId: id }, fac, log.ctx(), READY));
  return log;
}

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return "none";
};

describe("live dosing session domain", () => {
  it("[LIVE1] doses are recorded by facilitators and add up to the total; over the profile's maximum is refused", () => {
    const log = admitted("p1");
    log.apply(log.dose("d1", "p1", 20, "primary"));
    log.apply(log.dose("d2", "p1", 5, "secondary"));
    expect(log.state.live.participants.p1?.totalMg).toBe(25);
    expect(() => log.dose("d3", "p1", 30, "secondary")).toThrow(/total to 55 mg; the most allowed .* is 50 mg/);
    expect(code(() => log.dose("d4", "p1", 1, "secondary", p1))).toBe("FORBIDDEN");
    expect(code(() => log.dose("d5", "p9", 1, "secondary"))).toBe("NOT_FOUND");
  });

  it("[LIVE2] earliest release is the first dose plus the minimum for the total; earlier needs a medical-transfer reason", () => {
    const log = admitted("p1");
    log.apply(log.dose("d1", "p1", 12, "primary"));
    const p = log.state.live.participants.p1;
    if (!p) throw new Error("no participant");
    expect(earliestRelease(p, oregon2025)).toBe(new Date(T0 + 4 * 3600_000).toISOString());
    log.now = T0 + 3 * 3600_000;
    const release = {
      id: "r1",
      sessionId: "s1",
      participantId: "p1",
      transportBy: "Sam (partner)",
      planConfirmed: true,
    };
    expect(() => decideRelease(log.state, release, fac, log.ctx(), SAM)).toThrow(
      /Earliest release is 21:00 UTC \(first dose at 17:00 UTC/,
    );
    const transfer = decideRelease(
      log.state,
      { ...release, medicalTransferReason: "Chest pain, ambulance to St. Vincent" },
      fac,
      log.ctx(),
      SAM,
    );
    expect(transfer[0]?.data).toMatchObject({ medicalTransferReason: "Chest pain, ambulance to St. Vincent" });
    log.now = T0 + 4 * 3600_000;
    expect(decideRelease(log.state, release, fac, log.ctx(), SAM).map((d) => d.type)).toEqual([
      "participant.released",
      "participant.going_home",
    ]);
  });

  it("[LIVE10] release confirms who takes them home; a change from the plan must be described and is logged", () => {
    const log = admitted("p1");
    const base = { id: "r1", sessionId: "s1", participantId: "p1", transportBy: "A taxi", planConfirmed: false };
    expect(() => decideRelease(log.state, base, fac, log.ctx(), SAM)).toThrow(/describe the change/);
    log.apply(
      decideRelease(log.state, { ...base, planChange: "Partner could not come; taxi booked" }, fac, log.ctx(), SAM),
    );
    expect(log.state.live.participants.p1?.release).toMatchObject({
      transportBy: "A taxi",
      planConfirmed: false,
      planChange: "Partner could not come; taxi booked",
    });
  });

  it("[LIVE3] the ratio counts facilitators in the room and not on break, with the cap of the highest dose so far", () => {
    const log = admitted("p1", "p2", "p3");
    expect(ratioStatus(log.state.live, oregon2025)).toMatchObject({
      participants: 3,
      facilitators: 2,
      cap: 25,
      needed: 1,
      holds: true,
    });
    log.apply(log.dose("d1", "p1", 40, "primary"));
    expect(ratioStatus(log.state.live, oregon2025)).toMatchObject({ cap: 2, needed: 2, holds: true });
    log.apply(decideRoomTransition(log.state, { userId: "f2", role: "facilitator", present: false }));
    expect(ratioStatus(log.state.live, oregon2025).holds).toBe(false);
    const raised = decideLiveChecks(log.state, log.now, oregon2025);
    expect(raised.map((d) => d.type)).toEqual(["alert.raised"]);
    log.apply(raised);
    expect(decideLiveChecks(log.state, log.now, oregon2025)).toEqual([]);
    log.apply(decideRoomTransition(log.state, { userId: "f2", role: "facilitator", present: true }));
    expect(decideLiveChecks(log.state, log.now, oregon2025).map((d) => d.type)).toEqual(["alert.resolved"]);
  });

  it('[LIVE3] the ratio line says who is in the room before anyone is dosed, not "0 mg need 0"', () => {
    const status = (participants: number, facilitators: number, highestMg: number) =>
      describeRatio({
        participants,
        facilitators,
        highestMg,
        cap: 25,
        needed: participants === 0 ? 0 : 1,
        holds: true,
      });
    expect(status(0, 1, 0)).toBe("No participants in the room yet; 1 facilitator there.");
    expect(status(3, 2, 0)).toBe(
      "3 participants before any dose (1 facilitator per 25) need 1 facilitator in the room; 2 are there.",
    );
    const log = admitted("p1", "p2", "p3");
    log.apply(log.dose("d1", "p1", 40, "primary"));
    expect(describeRatio(ratioStatus(log.state.live, oregon2025))).toBe(
      "3 participants at 40 mg (1 facilitator per 2) need 2 facilitators in the room; 2 are there.",
    );
  });

  it("[LIVE4] a break is allowed only while the ratio holds without the facilitator; past 5 minutes it alerts", () => {
    const log = admitted("p1", "p2", "p3");
    log.apply(log.dose("d1", "p1", 40, "primary"));
    expect(() => decideBreak(log.state, { id: "b1", onBreak: true }, fac, log.ctx())).toThrow(
      /would break the ratio: 3 participants at 40 mg \(1 facilitator per 2\) need 2 facilitators/,
    );
    const calm = admitted("p1", "p2");
    calm.apply(decideBreak(calm.state, { id: "b1", onBreak: true }, fac, calm.ctx()));
    expect(ratioStatus(calm.state.live, oregon2025).facilitators).toBe(1);
    calm.now += 5 * 60_000;
    expect(decideLiveChecks(calm.state, calm.now, oregon2025)).toEqual([]);
    calm.now += 1000;
    const alert = decideLiveChecks(calm.state, calm.now, oregon2025);
    expect(alert[0]).toMatchObject({ type: "alert.raised", data: { kind: "break", subjectId: "f1" } });
    calm.apply(alert);
    calm.apply(decideBreak(calm.state, { id: "b2", onBreak: false }, fac, calm.ctx()));
    expect(pendingAlerts(calm.state.live.alerts)).toEqual([]);
  });

  it("[LIVE6] a support alert escalates at 15 s and 60 s once each, and an acknowledgement stops it and records who", () => {
    const log = admitted("p1");
    log.apply(decideSupport(log.state, { id: "help-1" }, p1));
    expect(decideSupport(log.state, { id: "help-2" }, p1)).toEqual([]);
    log.now += 14_999;
    expect(decideLiveChecks(log.state, log.now, oregon2025)).toEqual([]);
    log.now += 1;
    const first = decideLiveChecks(log.state, log.now, oregon2025);
    expect(first.map((d) => d.id)).toEqual(["$escalate:help-1:1"]);
    log.apply(first);
    log.now += 45_000;
    const second = decideLiveChecks(log.state, log.now, oregon2025);
    expect(second.map((d) => d.id)).toEqual(["$escalate:help-1:2"]);
    log.apply(second);
    log.now += 59_999;
    expect(decideLiveChecks(log.state, log.now, oregon2025)).toEqual([]);
    expect(code(() => decideAck(log.state, { alertId: "help-1" }, p1))).toBe("FORBIDDEN");
    expect(code(() => decideAck(log.state, { alertId: "elsewhere" }, fac))).toBe("NOT_FOUND");
    log.apply(decideAck(log.state, { alertId: "help-1" }, fac2));
    expect(log.state.live.alerts["help-1"]?.ack).toEqual({ by: "f2", at: new Date(log.now).toISOString() });
    expect(decideAck(log.state, { alertId: "help-1" }, fac)).toEqual([]);
  });

  it("[LIVE6] past 60 s an unanswered alert is not left quiet: a reminder every minute, once each, until acknowledged", () => {
    const log = admitted("p1");
    log.apply(decideSupport(log.state, { id: "help-1" }, p1));
    log.now += 60_000;
    log.apply(decideLiveChecks(log.state, log.now, oregon2025));
    expect(log.state.live.alerts["help-1"]?.tier).toBe(2);
    log.now += 59_999;
    expect(decideLiveChecks(log.state, log.now, oregon2025)).toEqual([]);
    log.now += 1;
    const first = decideLiveChecks(log.state, log.now, oregon2025);
    expect(first.map((d) => [d.id, d.type])).toEqual([["$remind:help-1:1", "alert.reminded"]]);
    log.apply(first);
    expect(decideLiveChecks(log.state, log.now + 30_000, oregon2025)).toEqual([]);
    // Nobody checked for 3 minutes (every node down): one reminder, not a burst of three.
    log.now += 3 * 60_000;
    expect(decideLiveChecks(log.state, log.now, oregon2025).map((d) => d.id)).toEqual(["$remind:help-1:4"]);
    log.apply(decideLiveChecks(log.state, log.now, oregon2025));
    expect(log.state.live.alerts["help-1"]).toMatchObject({ tier: 2, reminders: 4 });
    expect(pendingAlerts(log.state.live.alerts).map((a) => a.id)).toEqual(["help-1"]);
    log.apply(decideAck(log.state, { alertId: "help-1" }, fac));
    expect(decideLiveChecks(log.state, log.now + 10 * 60_000, oregon2025)).toEqual([]);
  });

  it("[PR5] [LIVE3] leaving and coming back is logged every time: each transition is named after the state it was decided on", () => {
    const log = opened();
    const ids: string[] = [];
    for (const present of [false, true, false, true]) {
      const before = log.state.seq;
      const drafts = decideRoomTransition(log.state, { userId: "f2", role: "facilitator", present });
      expect(drafts.map((d) => d.id)).toEqual([`$${present ? "arrived" : "left"}:f2:at:${before}`]);
      ids.push(...drafts.map((d) => d.id));
      log.apply(drafts);
    }
    expect(new Set(ids).size).toBe(4);
    expect(log.state.live.facilitatorsInRoom).toEqual(["f1", "f2"]);
    // Two nodes deciding the same transition on the same state name it alike (the store keeps one).
    const a = decideRoomTransition(log.state, { userId: "f2", role: "facilitator", present: false });
    const b = decideRoomTransition(log.state, { userId: "f2", role: "facilitator", present: false });
    expect(a).toEqual(b);
  });

  it("[LIVE6] a need_support check-in raises the same alert as the button", () => {
    const log = admitted("p1");
    log.apply(decideCheckin(log.state, { id: "c1", status: "need_support" }, p1));
    expect(pendingAlerts(log.state.live.alerts).map((a) => [a.kind, a.participantId])).toEqual([["support", "p1"]]);
  });

  it("[LIVE7] a prompt every 30 minutes; two unanswered in a row flag the tile for a look-in", () => {
    const log = admitted("p1");
    log.now += 29 * 60_000;
    expect(decideLiveChecks(log.state, log.now, oregon2025)).toEqual([]);
    log.now += 60_000;
    log.apply(decideLiveChecks(log.state, log.now, oregon2025));
    expect(needsLookIn(log.state.live, "p1", null, oregon2025)).toBe(false);
    log.now += 30 * 60_000;
    log.apply(decideLiveChecks(log.state, log.now, oregon2025));
    expect(log.state.live.prompts.map((p) => p.round)).toEqual([1, 2]);
    expect(needsLookIn(log.state.live, "p1", null, oregon2025)).toBe(true);
    log.apply(decideCheckin(log.state, { id: "c1", status: "ok" }, p1));
    expect(needsLookIn(log.state.live, "p1", log.state.lastCheckin.p1?.seq ?? null, oregon2025)).toBe(false);
  });

  it("[LIVE8] systolic ≥ 180 or diastolic ≥ 120 raises a vitals alert at once; a reading with diastolic over systolic is flagged, not refused", () => {
    const log = admitted("p1");
    const v = { id: "v1", sessionId: "s1", participantId: "p1", systolic: 150, diastolic: 90, heartRate: 80 };
    expect(decideVitals(log.state, v, fac, log.ctx()).map((d) => d.type)).toEqual(["vitals.recorded"]);
    // One event: the reading carries its alert, and the reducer raises it under the reading's id.
    const alarming = decideVitals(log.state, { ...v, systolic: 180 }, fac, log.ctx());
    expect(alarming.map((d) => d.type)).toEqual(["vitals.recorded"]);
    expect(alarming[0]?.data.alert).toMatch(/180\/90 reaches the alert limit/);
    log.apply(alarming);
    expect(pendingAlerts(log.state.live.alerts).map((a) => [a.id, a.kind, a.participantId])).toEqual([
      ["v1", "vitals", "p1"],
    ]);
    expect(
      decideVitals(log.state, { ...v, id: "v2", diastolic: 120, systolic: 150 }, fac, log.ctx())[0]?.data.alert,
    ).toMatch(/150\/120/);
    const odd = decideVitals(log.state, { ...v, id: "v3", diastolic: 160 }, fac, log.ctx())[0]?.data;
    expect(odd?.implausible).toMatch(/Diastolic \(160\) is not below systolic \(150\)\./);
  });

  it("[LIVE9] an adverse event keeps kind, severity, emergency services and description", () => {
    const log = admitted("p1");
    const [d] = decideAdverse(
      log.state,
      {
        id: "a1",
        sessionId: "s1",
        participantId: "p1",
        kind: "medical",
        severity: "moderate",
        emergencyServicesCalled: false,
        description: "Vomited twice",
      },
      fac,
      log.ctx(),
    );
    expect(d).toMatchObject({
      type: "adverse.recorded",
      data: { kind: "medical", severity: "moderate", emergencyServicesCalled: false },
    });
  });

  it("[RDY1] only a Ready participant is admitted; the refusal names each missing item", () => {
    const log = opened();
    const notReady = {
      ready: false,
      missing: [
        { label: "Informed consent not yet recorded" },
        { label: "No transportation plan (who takes them home)" },
      ],
    };
    expect(() => decideAdmit(log.state, { id: "a", participantId: "p1" }, fac, log.ctx(), notReady)).toThrow(
      /Informed consent not yet recorded; No transportation plan/,
    );
    expect(() => log.dose("d1", "p1", 5, "primary")).toThrow(/Admit this participant/);
  });

  it("[AC3] vitals, doses, adverse events and staff alerts are staff-only; a participant sees their own support alert and who acknowledged it", () => {
    const log = admitted("p1");
    const audiences = (drafts: Draft[]) =>
      drafts.map((d) => sessionAudience({ ...d, seq: 1, epoch: "e", at: new Date(T0).toISOString() }).kind);
    expect(
      audiences(
        decideVitals(
          log.state,
          { id: "v1", sessionId: "s1", participantId: "p1", systolic: 190, diastolic: 100, heartRate: 90 },
          fac,
          log.ctx(),
        ),
      ),
    ).toEqual(["staff"]);
    expect(audiences(log.dose("d1", "p1", 5, "primary"))).toEqual(["staff"]);
    log.apply(decideSupport(log.state, { id: "h1" }, p1));
    expect(audiences(decideAck(log.state, { alertId: "h1" }, fac))).toEqual(["participant"]);
  });
});

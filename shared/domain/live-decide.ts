import { DateTime } from "luxon";
import { AppError, ErrorCode } from "../protocol/errors.js";
import type { AdverseRecord, DoseRecord, ReleaseRecord, VitalsRecord } from "../protocol/live.js";
import { maxDoseMg, type RuleProfile } from "../profiles/index.js";
import { decideAlertAck, pendingAlerts, resolveId } from "./alerts.js";
import { emptyParticipant, type ParticipantLive } from "./live.js";
import { describeRatio, earliestRelease, ratioStatus, vitalsAlarming, vitalsImplausible } from "./live-rules.js";
import { isReturningClient } from "./live-returning.js";
import type { TransportPlan } from "./cohort.js";
import type { Draft } from "./live-types.js";
import type { Viewer } from "./roles.js";
import { RELEASED_SUPPORT, SESSION_ENDED, type SessionState } from "./session.js";
import { serverId } from "../log.js";

/** What the server knows about the cohort that the session log does not: its roster. */
export interface LiveContext {
  now: number;
  profile: RuleProfile;
  /** Participant ids on the cohort's roster [AC4]. */
  roster: readonly string[];
  /** The program's IANA zone, for times in messages [SCH1]. */
  zone?: string;
}

/** "14:05 America/Los_Angeles": a time a facilitator can read, in the program's zone. */
function localTime(iso: string, zone: string | undefined): string {
  const t = DateTime.fromISO(iso, { zone: zone ?? "UTC" });
  return t.isValid ? `${t.toFormat("HH:mm")} ${t.zoneName}` : iso;
}

function refuse(message: string): never {
  throw new AppError(ErrorCode.RULE_VIOLATION, message);
}

function mustBeOpen(s: SessionState): void {
  if (s.status === "closed") refuse("This session has ended.");
  if (s.status !== "open") refuse("This session is not open.");
}

function mustBeFacilitator(actor: Viewer, what: string): void {
  if (actor.role !== "facilitator") throw new AppError(ErrorCode.FORBIDDEN, `Only a facilitator can ${what}.`);
}

/** The participant, who must be on this session's roster; an id from elsewhere is "not found". */
function participantOf(s: SessionState, ctx: LiveContext, participantId: string): ParticipantLive {
  if (!ctx.roster.includes(participantId))
    throw new AppError(ErrorCode.NOT_FOUND, "That participant is not part of this session.");
  return s.live.participants[participantId] ?? emptyParticipant();
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** [RDY1] Admission: the server passes the readiness it computed from the cohort's log. */
export function decideAdmit(
  s: SessionState,
  cmd: { id: string; participantId: string },
  actor: Viewer,
  ctx: LiveContext,
  readiness: { ready: boolean; missing: { label: string }[] },
): Draft[] {
  mustBeFacilitator(actor, "admit a participant");
  mustBeOpen(s);
  const p = participantOf(s, ctx, cmd.participantId);
  if (p.admittedSeq !== null) return [];
  if (!readiness.ready) {
    refuse(
      `Not ready for dosing [RDY1]; missing: ${readiness.missing.map((m) => m.label).join("; ") || "readiness could not be confirmed"}.`,
    );
  }
  return [
    { id: cmd.id, type: "participant.admitted", actor: actor.userId, data: { participantId: cmd.participantId } },
  ];
}

/** [LIVE1] A dose: primary first, the total within the profile's maximum, given by now. */
export function decideDose(s: SessionState, cmd: DoseRecord, actor: Viewer, ctx: LiveContext): Draft[] {
  mustBeFacilitator(actor, "record a dose");
  mustBeOpen(s);
  const p = participantOf(s, ctx, cmd.participantId);
  if (p.admittedSeq === null) refuse("Admit this participant to the session before recording a dose.");
  if (p.release) refuse("This participant has been released; no more doses can be recorded.");
  const max = maxDoseMg(ctx.profile);
  const total = Math.round((p.totalMg + cmd.mg) * 100) / 100;
  if (total > max)
    refuse(
      `A dose of ${cmd.mg} mg would bring the total to ${total} mg; the most allowed under ${ctx.profile.name} is ${max} mg.`,
    );
  if (cmd.kind === "primary" && p.doses.length > 0)
    refuse("A primary dose is already recorded; record this one as secondary.");
  if (cmd.kind === "secondary" && p.doses.length === 0) refuse("Record the primary dose first.");
  const givenAt = cmd.givenAt ?? iso(ctx.now);
  doseTimeProblem(s, p, Date.parse(givenAt), ctx);
  return [
    {
      id: cmd.id,
      type: "dose.recorded",
      actor: actor.userId,
      data: { participantId: cmd.participantId, mg: cmd.mg, givenAt: iso(Date.parse(givenAt)), kind: cmd.kind },
    },
  ];
}

/**
 * [LIVE1] How far before the session was opened in the app a dose may be recorded as given: a
 * dosing day often starts before anyone opens the room, and no dose given earlier than this could
 * belong to this day's session. Kept in docs/decisions-11-dosing.md.
 */
export const DOSE_BACKDATE_HOURS = 12;
/** A clock a minute fast on the facilitator's device is not "the future". */
const FUTURE_SLACK_MS = 60_000;

/** [LIVE1] A dose's time must be now or earlier, within the backdating window, after the primary. */
function doseTimeProblem(s: SessionState, p: ParticipantLive, givenAt: number, ctx: LiveContext): void {
  if (givenAt > ctx.now + FUTURE_SLACK_MS) refuse("A dose cannot be recorded as given in the future.");
  if (s.openedAt) {
    const earliest = Date.parse(s.openedAt) - DOSE_BACKDATE_HOURS * 3600_000;
    if (givenAt < earliest)
      refuse(
        `A dose can be recorded as given at most ${DOSE_BACKDATE_HOURS} h before the session was opened (${localTime(s.openedAt, ctx.zone)}), so not before ${localTime(iso(earliest), ctx.zone)}.`,
      );
  }
  const primary = p.doses[0];
  if (primary && givenAt < Date.parse(primary.givenAt))
    refuse(`A secondary dose cannot be given before the primary dose (${localTime(primary.givenAt, ctx.zone)}).`);
}

/** [LIVE8] Vitals, and an alert at once when they reach the profile's limits. */
export function decideVitals(s: SessionState, cmd: VitalsRecord, actor: Viewer, ctx: LiveContext): Draft[] {
  mustBeFacilitator(actor, "record vitals");
  mustBeOpen(s);
  participantOf(s, ctx, cmd.participantId);
  const { systolicAtLeast, diastolicAtLeast } = ctx.profile.vitalsAlert;
  // A reading at the limit alerts even when it also looks like a mistake (120/120): the alert
  // costs a look; a swallowed real reading could cost far more. The flag asks for a re-measure.
  const implausible = vitalsImplausible(cmd);
  // The alert is part of the reading's one event (named after it), not a second event [LIVE8].
  const alert = vitalsAlarming(cmd, ctx.profile)
    ? `Blood pressure ${cmd.systolic}/${cmd.diastolic} reaches the alert limit (${systolicAtLeast}/${diastolicAtLeast}).${implausible ? " The reading looks implausible: measure again." : ""}`
    : null;
  return [
    {
      id: cmd.id,
      type: "vitals.recorded",
      actor: actor.userId,
      data: {
        participantId: cmd.participantId,
        systolic: cmd.systolic,
        diastolic: cmd.diastolic,
        heartRate: cmd.heartRate,
        alert,
        implausible,
      },
    },
  ];
}

/** [LIVE9] */
export function decideAdverse(s: SessionState, cmd: AdverseRecord, actor: Viewer, ctx: LiveContext): Draft[] {
  mustBeFacilitator(actor, "record an adverse event");
  mustBeOpen(s);
  participantOf(s, ctx, cmd.participantId);
  const data = {
    participantId: cmd.participantId,
    kind: cmd.kind,
    severity: cmd.severity,
    emergencyServicesCalled: cmd.emergencyServicesCalled,
    description: cmd.description,
  };
  return [{ id: cmd.id, type: "adverse.recorded", actor: actor.userId, data }];
}

/** [LIVE10][LIVE2] What the cohort's log says that a release is checked against. */
export interface ReleaseFacts {
  /** The transportation plan on file [RDY1], or null. */
  plan: TransportPlan | null;
  /** This participant's doses in the program's other sessions (live-returning.ts) [SCH7]. */
  earlierDoses: readonly string[];
}

const sameName = (a: string, b: string): boolean =>
  a.trim().replace(/\s+/g, " ").toLowerCase() === b.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * [LIVE2][LIVE10] Release: not before the earliest time (per participant: the returning-client
 * minimum from their own history) unless a medical transfer; confirmed against the transportation
 * plan on file, where a different driver is a logged change. One command, two events: the release
 * (staff) and what the participant's own phone is told (participant.going_home).
 */
export function decideRelease(
  s: SessionState,
  cmd: ReleaseRecord,
  actor: Viewer,
  ctx: LiveContext,
  facts: ReleaseFacts,
): Draft[] {
  mustBeFacilitator(actor, "release a participant");
  mustBeOpen(s);
  const p = participantOf(s, ctx, cmd.participantId);
  if (p.release) refuse("This participant has already been released.");
  const transfer = cmd.medicalTransferReason?.trim() ? cmd.medicalTransferReason.trim() : null;
  const change = cmd.planChange?.trim() ? cmd.planChange.trim() : null;
  const planned = facts.plan?.driver.trim() ? facts.plan.driver.trim() : null;
  const typed = cmd.transportBy?.trim() ? cmd.transportBy.trim() : null;
  const transportBy = typed ?? (cmd.planConfirmed ? planned : null);
  if (transportBy === null) refuse("Say who is taking them home.");
  const asPlanned = planned !== null && sameName(transportBy, planned);
  if (cmd.planConfirmed && !asPlanned)
    refuse(
      planned === null
        ? "There is no transportation plan on file for them: record who is taking them home as a change, with what was arranged."
        : `The plan on file says ${planned} is taking them home, not ${transportBy}. Confirm the plan, or record the change.`,
    );
  if (!asPlanned && change === null)
    refuse(
      `${transportBy} is not the driver on the plan on file${planned ? ` (${planned})` : ""}: describe the change so it is logged.`,
    );
  const returning = p.firstDoseAt !== null && isReturningClient(facts.earlierDoses, p.firstDoseAt, ctx.profile);
  const earliest = earliestRelease(p, ctx.profile, returning);
  if (earliest !== null && ctx.now < Date.parse(earliest) && transfer === null) {
    const first = p.firstDoseAt ?? earliest;
    const whom = returning ? " for a returning client" : "";
    refuse(
      `Earliest release is ${localTime(earliest, ctx.zone)} (first dose at ${localTime(first, ctx.zone)} + the minimum for ${p.totalMg} mg${whom}). Before then only a medical transfer, with a reason, is allowed.`,
    );
  }
  const data = {
    participantId: cmd.participantId,
    transportBy,
    planConfirmed: asPlanned,
    planChange: change,
    medicalTransferReason: transfer,
    earliestAt: earliest,
    plannedDriver: planned,
    returningClient: returning,
  };
  return [
    { id: cmd.id, type: "participant.released", actor: actor.userId, data },
    {
      id: serverId("home", cmd.participantId),
      type: "participant.going_home",
      actor: actor.userId,
      data: { participantId: cmd.participantId, transportBy, asPlanned },
    },
  ];
}

/** [LIVE4] A facilitator's own break: only while the ratio holds without them. */
export function decideBreak(
  s: SessionState,
  cmd: { id: string; onBreak: boolean },
  actor: Viewer,
  ctx: LiveContext,
): Draft[] {
  mustBeFacilitator(actor, "take a break");
  mustBeOpen(s);
  const current = s.live.breaks[actor.userId];
  if (!cmd.onBreak) {
    if (!current) return [];
    const drafts: Draft[] = [{ id: cmd.id, type: "break.ended", actor: actor.userId, data: { userId: actor.userId } }];
    for (const a of Object.values(s.live.alerts)) {
      if (a.kind === "break" && a.subjectId === actor.userId && a.resolved === null) {
        drafts.push({
          id: resolveId(a.id),
          type: "alert.resolved",
          actor: actor.userId,
          data: { alertId: a.id, reason: "The break ended." },
        });
      }
    }
    return drafts;
  }
  if (current) return [];
  if (!s.live.facilitatorsInRoom.includes(actor.userId))
    refuse("You are not in the room, so there is no break to start.");
  const without = ratioStatus(s.live, ctx.profile, actor.userId);
  if (!without.holds) refuse(`A break now would break the ratio: ${describeRatio(without)}`);
  return [{ id: cmd.id, type: "break.started", actor: actor.userId, data: { userId: actor.userId } }];
}

/** [LIVE6] "I need support": one pending request per participant; a second press joins the first. */
export function decideSupport(s: SessionState, cmd: { id: string }, actor: Viewer): Draft[] {
  if (actor.role !== "participant")
    throw new AppError(ErrorCode.FORBIDDEN, "Only a participant asks for support this way.");
  // [LIVE6] Nobody walks an ended session any more: the phone must tell them to call out instead.
  if (s.status === "closed") refuse(SESSION_ENDED);
  mustBeOpen(s);
  // [LIVE10] Released: the facilitators no longer look after them; say whom to turn to instead.
  if (s.live.participants[actor.userId]?.release) refuse(RELEASED_SUPPORT);
  if (pendingAlerts(s.live.alerts).some((a) => a.kind === "support" && a.participantId === actor.userId)) return [];
  return [
    {
      id: cmd.id,
      type: "alert.raised",
      actor: actor.userId,
      data: {
        alertId: cmd.id,
        kind: "support",
        participantId: actor.userId,
        subjectId: null,
        detail: "Pressed “I need support”.",
      },
    },
  ];
}

/** [LIVE6] Any facilitator's acknowledgement stops the alert everywhere; the first one counts. */
export function decideAck(s: SessionState, cmd: { alertId: string }, actor: Viewer): Draft[] {
  // The participant who asked for support is told who is coming [LIVE6].
  return decideAlertAck(s.live.alerts, cmd.alertId, actor, s.live.alerts[cmd.alertId]?.kind === "support");
}

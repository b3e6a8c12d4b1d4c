import { DateTime } from "luxon";
import { AppError, ErrorCode } from "../protocol/errors.js";
import type { AdverseRecord, DoseRecord, ReleaseRecord, VitalsRecord } from "../protocol/live.js";
import { maxDoseMg, type RuleProfile } from "../profiles/index.js";
import { ackId, pendingAlerts, resolveId } from "./alerts.js";
import { emptyParticipant, type ParticipantLive } from "./live.js";
import { describeRatio, earliestRelease, ratioStatus, vitalsAlarming } from "./live-rules.js";
import type { Draft } from "./live-types.js";
import type { Viewer } from "./roles.js";
import { SESSION_ENDED, type SessionState } from "./session.js";

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
  if (Date.parse(givenAt) > ctx.now + 60_000) refuse("A dose cannot be recorded as given in the future.");
  if (s.openedAt && givenAt < s.openedAt) refuse("A dose cannot be recorded as given before the session started.");
  return [
    {
      id: cmd.id,
      type: "dose.recorded",
      actor: actor.userId,
      data: { participantId: cmd.participantId, mg: cmd.mg, givenAt: iso(Date.parse(givenAt)), kind: cmd.kind },
    },
  ];
}

/** [LIVE8] Vitals, and an alert at once when they reach the profile's limits. */
export function decideVitals(s: SessionState, cmd: VitalsRecord, actor: Viewer, ctx: LiveContext): Draft[] {
  mustBeFacilitator(actor, "record vitals");
  mustBeOpen(s);
  participantOf(s, ctx, cmd.participantId);
  if (cmd.diastolic >= cmd.systolic)
    refuse(`Diastolic (${cmd.diastolic}) must be below systolic (${cmd.systolic}); check the reading.`);
  const { systolicAtLeast, diastolicAtLeast } = ctx.profile.vitalsAlert;
  // The alert is part of the reading's one event (named after it), not a second event [LIVE8].
  const alert = vitalsAlarming(cmd, ctx.profile)
    ? `Blood pressure ${cmd.systolic}/${cmd.diastolic} reaches the alert limit (${systolicAtLeast}/${diastolicAtLeast}).`
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

/** [LIVE2][LIVE10] Release: not before the earliest time unless a medical transfer; transport confirmed. */
export function decideRelease(s: SessionState, cmd: ReleaseRecord, actor: Viewer, ctx: LiveContext): Draft[] {
  mustBeFacilitator(actor, "release a participant");
  mustBeOpen(s);
  const p = participantOf(s, ctx, cmd.participantId);
  if (p.release) refuse("This participant has already been released.");
  const transfer = cmd.medicalTransferReason?.trim() ? cmd.medicalTransferReason.trim() : null;
  const change = cmd.planChange?.trim() ? cmd.planChange.trim() : null;
  if (!cmd.planConfirmed && change === null)
    refuse("The transport differs from the plan: describe the change so it is logged.");
  const earliest = earliestRelease(p, ctx.profile);
  if (earliest !== null && ctx.now < Date.parse(earliest) && transfer === null) {
    const first = p.firstDoseAt ?? earliest;
    refuse(
      `Earliest release is ${localTime(earliest, ctx.zone)} (first dose at ${localTime(first, ctx.zone)} + the minimum for ${p.totalMg} mg). Before then only a medical transfer, with a reason, is allowed.`,
    );
  }
  const data = {
    participantId: cmd.participantId,
    transportBy: cmd.transportBy,
    planConfirmed: cmd.planConfirmed,
    planChange: change,
    medicalTransferReason: transfer,
    earliestAt: earliest,
  };
  return [{ id: cmd.id, type: "participant.released", actor: actor.userId, data }];
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
  if (actor.role === "participant") throw new AppError(ErrorCode.FORBIDDEN, "Only facilitators acknowledge alerts.");
  const a = s.live.alerts[cmd.alertId];
  if (!a) throw new AppError(ErrorCode.NOT_FOUND, "There is no such alert in this session.");
  if (a.ack || a.resolved) return [];
  const notify = a.kind === "support" ? a.participantId : null;
  return [
    {
      id: ackId(a.id),
      type: "alert.acknowledged",
      actor: actor.userId,
      data: { alertId: a.id, by: actor.userId, notify },
    },
  ];
}

import { AppError, ErrorCode } from "../protocol/errors.js";
import type { DraftEvent } from "../log.js";
import type { CohortState } from "../domain/cohort.js";
import type { Viewer } from "../domain/roles.js";
import type { RuleProfile } from "../profiles/schema.js";
import type { SeriesSchedule, SessionSchedule } from "../protocol/admin.js";
import { checkSessionRules, conflictMessage, findConflict, type Booked, type Candidate } from "./checks.js";
import { expandSeries } from "./series.js";
import type { DosingHistory } from "../domain/live-returning.js";
import { resolveLocal } from "./time.js";

type Draft = Omit<DraftEvent, "at">;

/** What a scheduling decision needs beyond the cohort: the program's rules and every booking in it. */
export interface ScheduleContext {
  profile: RuleProfile;
  zone: string;
  /** [SCH4] Sessions of every cohort of the program (this one included). */
  booked: Booked[];
  nameOf(userId: string): string;
  /** [SCH7] Each participant's doses in the program's earlier live sessions, from their logs. */
  history: DosingHistory;
}

function requireAdmin(actor: Viewer): void {
  if (actor.role !== "admin") throw new AppError(ErrorCode.FORBIDDEN, "Only a program admin can schedule sessions.");
}

/** [SCH3] A one-off session at a time that does not exist is refused, naming the time and zone. */
function instantOf(local: string, zone: string, field: string): string {
  const r = resolveLocal(local, zone);
  if (r.kind === "gap") {
    const msg = `${local.replace("T", " ")} does not exist in ${zone}: the clocks move forward ${r.gapMinutes} minutes that night. Choose another time.`;
    throw new AppError(ErrorCode.RULE_VIOLATION, msg, { [field]: msg });
  }
  return r.instant;
}

function noConflict(ctx: ScheduleContext, candidates: Candidate[]): void {
  const hit = findConflict(candidates, ctx.booked);
  if (hit) {
    const msg = conflictMessage(ctx.nameOf(hit.facilitator), hit.other);
    throw new AppError(ErrorCode.RULE_VIOLATION, msg, { facilitators: msg });
  }
}

/** [SCH1]–[SCH8] One session, kept as UTC instants plus the program's zone. */
export function decideScheduleSession(
  state: CohortState,
  cmd: SessionSchedule,
  actor: Viewer,
  ctx: ScheduleContext,
): Draft[] {
  requireAdmin(actor);
  const sessionId = `ss_${cmd.id}`.slice(0, 100);
  const candidate: Candidate = {
    id: sessionId,
    kind: cmd.kind,
    start: instantOf(cmd.start, ctx.zone, "start"),
    end: instantOf(cmd.end, ctx.zone, "end"),
    facilitators: [...new Set(cmd.facilitators)],
    participants: [...new Set(cmd.participants)],
    plannedDoseMg: cmd.kind === "dosing" ? cmd.plannedDoseMg : null,
  };
  checkSessionRules(ctx.profile, state, candidate, ctx.history);
  noConflict(ctx, [candidate]);
  const title = cmd.title || defaultTitle(cmd.kind);
  return [
    {
      id: cmd.id,
      type: "session.scheduled",
      actor: actor.userId,
      data: { sessionId, title, zone: ctx.zone, ...candidate },
    },
  ];
}

/** [SCH2][SCH3] A weekly / every-N-weeks circle series, expanded now so every node agrees on it. */
export function decideScheduleSeries(
  state: CohortState,
  cmd: SeriesSchedule,
  actor: Viewer,
  ctx: ScheduleContext,
): Draft[] {
  requireAdmin(actor);
  if (cmd.until === undefined)
    throw new AppError(ErrorCode.INVALID_PAYLOAD, "A series needs an end date.", {
      until: "A series needs an end date.",
    });
  const seriesId = `sr_${cmd.id}`.slice(0, 90);
  const occurrences = expandSeries({
    firstDate: cmd.firstDate,
    time: cmd.time,
    durationMinutes: cmd.durationMinutes,
    everyWeeks: cmd.everyWeeks,
    until: cmd.until,
    zone: ctx.zone,
  });
  const people = { facilitators: [...new Set(cmd.facilitators)], participants: [...new Set(cmd.participants)] };
  const candidates: Candidate[] = occurrences.map((o) => ({
    id: `${seriesId}_${o.index}`,
    kind: "circle",
    start: o.start,
    end: o.end,
    plannedDoseMg: null,
    ...people,
  }));
  for (const c of candidates) checkSessionRules(ctx.profile, state, c, ctx.history);
  noConflict(ctx, candidates);
  const title = cmd.title || defaultTitle("circle");
  return [
    {
      id: cmd.id,
      type: "series.scheduled",
      actor: actor.userId,
      data: {
        seriesId,
        kind: "circle",
        title,
        zone: ctx.zone,
        everyWeeks: cmd.everyWeeks,
        ...people,
        occurrences: candidates.map((c, i) => ({
          sessionId: c.id,
          start: c.start,
          end: c.end,
          shifted: occurrences[i]?.shifted ?? false,
        })),
      },
    },
  ];
}

export function defaultTitle(kind: Candidate["kind"]): string {
  return kind === "preparation" ? "Preparation session" : kind === "dosing" ? "Group session" : "Integration circle";
}

/** Take a session (one occurrence of a series, too) off the schedule; its history stays in the log. */
export function decideCancelSession(
  state: CohortState,
  cmd: { id: string; sessionId: string },
  actor: Viewer,
): Draft[] {
  requireAdmin(actor);
  if (!state.schedule.some((s) => s.id === cmd.sessionId))
    throw new AppError(ErrorCode.NOT_FOUND, "That session is not on this cohort's schedule.");
  return [{ id: cmd.id, type: "session.cancelled", actor: actor.userId, data: { sessionId: cmd.sessionId } }];
}

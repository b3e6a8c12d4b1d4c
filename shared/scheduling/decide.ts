import { AppError, ErrorCode } from "../protocol/errors.js";
import type { DraftEvent } from "../log.js";
import type { CohortState } from "../domain/cohort.js";
import type { Viewer } from "../domain/roles.js";
import type { RuleProfile } from "../profiles/schema.js";
import type { SeriesSchedule, SessionCancel, SessionSchedule, SessionUpdate } from "../protocol/admin.js";
import { checkSessionRules, conflictMessage, findConflict, type Booked, type Candidate } from "./checks.js";
import { expandSeries } from "./series.js";
import type { DosingHistory } from "../domain/live-returning.js";
import { formatInZone, resolveLocal } from "./time.js";

type Draft = Omit<DraftEvent, "at">;

/** What a scheduling decision needs beyond the cohort: the program's rules and every booking in it. */
export interface ScheduleContext {
  profile: RuleProfile;
  zone: string;
  /** [SCH4] Sessions of every cohort of the program (this one included). */
  booked: Booked[];
  nameOf(userId: string): string;
  /**
   * The id of what a command creates (`ss_…`, `sr_…`), scoped by the server to its sender so no
   * one's command id can name — and so overwrite — a session someone else scheduled.
   */
  newId(prefix: "ss_" | "sr_", commandId: string): string;
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
  const sessionId = ctx.newId("ss_", cmd.id);
  if (known(state, sessionId)) throw new AppError(ErrorCode.DUPLICATE_ID, "A session with this id already exists.");
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
  const seriesId = ctx.newId("sr_", cmd.id);
  if (known(state, `${seriesId}_0`))
    throw new AppError(ErrorCode.DUPLICATE_ID, "A series with this id already exists.");
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

function known(state: CohortState, id: string): boolean {
  return state.schedule.some((s) => s.id === id) || state.cancelled.some((s) => s.id === id);
}

/** The session a change names, as it stands, or a refusal that says why it cannot be changed. */
function current(state: CohortState, sessionId: string, sequence: number | undefined, zone: string) {
  const session = state.schedule.find((s) => s.id === sessionId);
  if (!session) {
    const gone = state.cancelled.some((s) => s.id === sessionId);
    throw new AppError(
      ErrorCode.NOT_FOUND,
      gone ? "That session has already been cancelled." : "That session is not on this cohort's schedule.",
    );
  }
  // Two admins changing one session: the first change wins; the second saw an older plan and is
  // told so, with the plan as it now is, instead of overwriting it unseen.
  if (sequence !== undefined && sequence !== session.sequence) {
    throw new AppError(
      ErrorCode.CONFLICT,
      `Someone changed this session while you were editing it: it is now "${session.title}", ${formatInZone(session.start, zone)} to ${formatInZone(session.end, zone)}. Look at the new plan and make your change again.`,
    );
  }
  return session;
}

/**
 * [SCH3]–[SCH8] Edit or reschedule one session with the same checks as scheduling it: a time in
 * a spring-forward gap is refused, an overlap names the other session, the group, ratio, length
 * and preparation rules hold. [SCH9] Each change raises the calendar SEQUENCE by one.
 */
export function decideUpdateSession(
  state: CohortState,
  cmd: SessionUpdate,
  actor: Viewer,
  ctx: ScheduleContext,
): Draft[] {
  requireAdmin(actor);
  const old = current(state, cmd.sessionId, cmd.sequence, ctx.zone);
  const candidate: Candidate = {
    id: old.id,
    kind: old.kind,
    start: instantOf(cmd.start, ctx.zone, "start"),
    end: instantOf(cmd.end, ctx.zone, "end"),
    facilitators: [...new Set(cmd.facilitators)],
    participants: [...new Set(cmd.participants)],
    plannedDoseMg: old.kind === "dosing" ? cmd.plannedDoseMg : null,
  };
  checkSessionRules(ctx.profile, state, candidate, ctx.history);
  noConflict(ctx, [candidate]);
  const { id: sessionId, kind: _kind, ...plan } = candidate;
  const data = { sessionId, title: cmd.title || old.title, ...plan, sequence: old.sequence + 1 };
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const unchanged =
    data.title === old.title &&
    data.start === old.start &&
    data.end === old.end &&
    same(data.facilitators, old.facilitators) &&
    same(data.participants, old.participants) &&
    data.plannedDoseMg === old.plannedDoseMg;
  if (unchanged) return [];
  const moved = data.start !== old.start || data.end !== old.end;
  return [{ id: cmd.id, type: moved ? "session.rescheduled" : "session.edited", actor: actor.userId, data }];
}

/**
 * Take a session (one occurrence of a series, too) off the schedule; its history stays in the
 * log and [SCH9] feeds keep it as STATUS:CANCELLED with the next SEQUENCE.
 */
export function decideCancelSession(
  state: CohortState,
  cmd: Pick<SessionCancel, "id" | "sessionId" | "sequence">,
  actor: Viewer,
  zone: string,
): Draft[] {
  requireAdmin(actor);
  const old = current(state, cmd.sessionId, cmd.sequence, zone);
  return [
    {
      id: cmd.id,
      type: "session.cancelled",
      actor: actor.userId,
      data: { sessionId: old.id, sequence: old.sequence + 1 },
    },
  ];
}

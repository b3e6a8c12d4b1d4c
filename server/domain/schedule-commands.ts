import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { streamName, type DraftEvent, type StoredEvent } from "../../shared/log.js";
import { CohortEventData, type CohortState } from "../../shared/domain/cohort.js";
import { seriesSummary } from "../../shared/scheduling/series.js";
import {
  decideConsent,
  decidePreparation,
  decideReview,
  decideScreening,
  decideTransport,
} from "../../shared/domain/cohort-decide.js";
import type { ScreeningAnswers } from "../../shared/domain/screening.js";
import {
  decideCancelSession,
  decideScheduleSeries,
  decideScheduleSession,
  decideUpdateSession,
  type ScheduleContext,
} from "../../shared/scheduling/decide.js";
import type { SeriesSchedule, SessionCancel, SessionSchedule, SessionUpdate } from "../../shared/protocol/admin.js";
import type { UserRecord } from "../auth/users.js";
import { fanOut } from "../gateway/fanout.js";
import type { Services } from "../services.js";
import { viewerOf } from "./directory.js";
import { derivedId } from "./derived-id.js";
import { clientKey, type CommandKey } from "./stream-service.js";
import { cohortContext, namesOf, programBookings, requireAdminOf } from "./program-context.js";
import { withProgramLock } from "./program-lock.js";
import { dosingHistory } from "./dosing-history.js";
import type { ProgramState } from "../../shared/domain/program.js";

type Decide = (state: CohortState) => Omit<DraftEvent, "at">[];

/** decide → append → fan out on one cohort's stream; returns the first event's seq. */
async function run(
  s: Services,
  cohortId: string,
  cmd: CommandKey,
  decide: Decide,
): Promise<{ seq: number; events: StoredEvent[] }> {
  const done = await s.streams.execute("cohort", cohortId, cmd, decide);
  const { events } = done;
  fanOut(s.io, streamName("cohort", cohortId), done);
  return { seq: events[0]?.seq ?? 0, events };
}

async function scheduleContext(
  s: Services,
  user: UserRecord,
  cohortId: string,
  program: ProgramState,
): Promise<ScheduleContext> {
  const { profile, cohort } = await requireAdminOf(s, user, cohortId);
  const booked = await programBookings(s, program);
  const names = await namesOf(s, [...cohort.facilitators, ...booked.flatMap((b) => b.facilitators)]);
  // [SCH7] Per participant, from their doses in the program's earlier sessions.
  const history = await dosingHistory(s, program, cohort.participants);
  return {
    profile,
    zone: program.zone,
    booked,
    nameOf: (id) => names.get(id) ?? id,
    newId: (prefix, commandId) => scheduledId(user.id, prefix, commandId),
    history,
  };
}

/**
 * [LOG2] A scheduled session's or series' id, from its sender and command id: a retry names the
 * same session, and another person's command with the same id names a different one.
 */
export function scheduledId(userId: string, prefix: "ss_" | "sr_", commandId: string): string {
  return derivedId(prefix, `${userId}/${commandId}`);
}

/** [SCH4] The program's bookings are read and appended to under one per-program lock. */
async function locked<T>(
  s: Services,
  user: UserRecord,
  cohortId: string,
  fn: (program: ProgramState) => Promise<T>,
): Promise<T> {
  const { program } = await requireAdminOf(s, user, cohortId);
  return withProgramLock(s.stores.kv, program.id, () => fn(program));
}

/**
 * One person's command on a cohort, once its caller has checked they may send it: `run` keyed
 * by their command id, answered with the first event's seq only.
 */
async function runAs(
  s: Services,
  user: UserRecord,
  cohortId: string,
  command: string,
  commandId: string,
  decide: (state: CohortState, viewer: ReturnType<typeof viewerOf>) => Omit<DraftEvent, "at">[],
): Promise<{ seq: number }> {
  const { seq } = await run(s, cohortId, clientKey(user.id, command, commandId), (st) => decide(st, viewerOf(user)));
  return { seq };
}

/** [SCH1]–[SCH8] One session. [SCH4] checks bookings in every cohort of the program. */
export async function scheduleSession(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: SessionSchedule,
): Promise<{ seq: number; sessionId: string }> {
  const r = await locked(s, user, cohortId, async (program) => {
    const ctx = await scheduleContext(s, user, cohortId, program);
    return run(s, cohortId, clientKey(user.id, "schedule:session", cmd.id), (st) =>
      decideScheduleSession(st, cmd, viewerOf(user), ctx),
    );
  });
  const sessionId = r.events[0]?.data.sessionId;
  return { seq: r.seq, sessionId: typeof sessionId === "string" ? sessionId : "" };
}

/** [SCH2][SCH3] A weekly / every-N-weeks circle series. */
export async function scheduleSeries(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: SeriesSchedule,
): Promise<{ seq: number; sessions: number; summary: string }> {
  const r = await locked(s, user, cohortId, async (program) => {
    const ctx = await scheduleContext(s, user, cohortId, program);
    return run(s, cohortId, clientKey(user.id, "schedule:series", cmd.id), (st) =>
      decideScheduleSeries(st, cmd, viewerOf(user), ctx),
    );
  });
  const made = CohortEventData["series.scheduled"].safeParse(r.events[0]?.data);
  const occurrences = made.success ? made.data.occurrences : [];
  return {
    seq: r.seq,
    sessions: occurrences.length,
    summary: made.success ? seriesSummary(occurrences, made.data.zone) : "",
  };
}

/**
 * [SCH3][SCH4] Edit or reschedule one session, under the same program lock as scheduling, so two
 * admins' changes are decided one after the other: the second sees the first's sequence.
 */
export async function updateSession(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: SessionUpdate,
): Promise<{ seq: number; sequence: number }> {
  const r = await locked(s, user, cohortId, async (program) => {
    const ctx = await scheduleContext(s, user, cohortId, program);
    return run(s, cohortId, clientKey(user.id, "schedule:update", cmd.id), (st) =>
      decideUpdateSession(st, cmd, viewerOf(user), ctx),
    );
  });
  const sequence = r.events[0]?.data.sequence;
  return { seq: r.seq, sequence: typeof sequence === "number" ? sequence : cmd.sequence };
}

export async function cancelSession(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: SessionCancel,
): Promise<{ seq: number }> {
  return locked(s, user, cohortId, (program) =>
    runAs(s, user, cohortId, "schedule:cancel", cmd.id, (st, viewer) =>
      decideCancelSession(st, cmd, viewer, program.zone),
    ),
  );
}

/** [RDY1] A participant's own forms: screening, consent, transport. */
export async function submitScreening(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: { id: string; answers: ScreeningAnswers },
) {
  await cohortContext(s, user, cohortId);
  return runAs(s, user, cohortId, "screening:submit", cmd.id, (st, viewer) => decideScreening(st, cmd, viewer));
}

export async function recordConsent(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: { id: string; version: string },
) {
  await cohortContext(s, user, cohortId);
  return runAs(s, user, cohortId, "consent:record", cmd.id, (st, viewer) => decideConsent(st, cmd, viewer));
}

export async function recordTransport(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: { id: string; driver: string; contact: string; notes: string },
) {
  await cohortContext(s, user, cohortId);
  return runAs(s, user, cohortId, "transport:record", cmd.id, (st, viewer) => decideTransport(st, cmd, viewer));
}

/** [RDY1] Staff: review a screening; record preparation attendance. */
export async function reviewScreening(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: { id: string; participantId: string },
) {
  await cohortContext(s, user, cohortId);
  return runAs(s, user, cohortId, "screening:review", cmd.id, (st, viewer) => decideReview(st, cmd, viewer));
}

export async function recordPreparation(
  s: Services,
  user: UserRecord,
  cohortId: string,
  cmd: { id: string; participantId: string; sessionId: string },
) {
  await cohortContext(s, user, cohortId);
  const now = new Date(s.clock.now()).toISOString();
  return runAs(s, user, cohortId, "preparation:record", cmd.id, (st, viewer) =>
    decidePreparation(st, cmd, viewer, now),
  );
}

export function notStaff(): never {
  throw new AppError(ErrorCode.FORBIDDEN, "Only facilitators and admins can see this.");
}

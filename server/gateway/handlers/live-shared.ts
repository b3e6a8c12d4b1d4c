import type { CohortState } from "../../../shared/domain/cohort.js";
import { LIVE_INDEX_ID } from "../../../shared/domain/live-index.js";
import type { SessionState } from "../../../shared/domain/session.js";
import type { ProgramState } from "../../../shared/domain/program.js";
import { isPending } from "../../../shared/domain/alerts.js";
import {
  noticesFor,
  openNotices,
  outcomePlace,
  sessionPlace,
  type AlertPlace,
  type NoticeContext,
} from "../../../shared/domain/alert-notice.js";
import type { OutcomeState } from "../../../shared/domain/outcome.js";
import type { StoredEvent } from "../../../shared/log.js";
import { DEFAULT_PROFILE, resolveProfile, type RuleProfile } from "../../../shared/profiles/index.js";
import { profileOf } from "../../domain/program-context.js";
import type { AlertNotice } from "../../../shared/protocol/live.js";
import type { Services } from "../../services.js";
import type { AppSocket } from "../types.js";

/**
 * A staff person's own socket room, on every node (through the adapter): where escalations and
 * ratio alerts reach facilitators and program admins who are not looking at the session [LIVE3][LIVE6].
 * Staff sockets join it on connection (app.ts).
 */
export function inboxRoom(userId: string): string {
  return `inbox:${userId}`;
}

/** The program's rule profile for a cohort; an unknown id falls back to the default profile. */
export async function profileForCohort(s: Services, cohort: CohortState): Promise<ProgramRules> {
  if (cohort.programId === null) return { profile: resolveProfile(DEFAULT_PROFILE), admins: [], zone: "UTC" };
  return rulesOf(await s.streams.state("program", cohort.programId));
}

export interface ProgramRules {
  profile: RuleProfile;
  admins: string[];
  zone: string;
}

/** The rules of a program already caught up (a command's `sessionFor` read it in the same trip). */
export function rulesOf(program: ProgramState): ProgramRules {
  return { profile: profileOf(program), admins: program.admins, zone: program.zone };
}

/** Cohort name and staff names for a place's notices, and who is to hear them. */
async function noticeAudience(s: Services, place: AlertPlace): Promise<{ ctx: NoticeContext; staff: string[] } | null> {
  if (place.cohortId === "") return null;
  const cohort = await s.streams.state("cohort", place.cohortId);
  const { admins } = await profileForCohort(s, cohort);
  // Whom each alert is about and who answered it: names staff of the cohort see on its rosters.
  const ids = Object.values(place.alerts).flatMap((a) =>
    [a.participantId, a.subjectId, a.ack?.by ?? null].filter((x): x is string => x !== null),
  );
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const u = await s.users.get(id);
    if (u) names.set(id, u.name);
  }
  return {
    ctx: { cohortName: cohort.name, name: (id) => names.get(id) ?? "someone" },
    staff: [...cohort.facilitators, ...admins],
  };
}

/**
 * [LIVE3][LIVE6] Tell every facilitator of the cohort and every admin of the program about an
 * escalation (or a ratio alert at once), wherever they are connected — and, for an alert they
 * were told about, that it was answered (by whom, when) or resolved, or that its session ended.
 * The notice is derived from the state after the events (shared/domain/alert-notice.ts).
 */
export async function notifyStaff(s: Services, session: SessionState, events: readonly StoredEvent[]): Promise<void> {
  await notifyPlace(s, sessionPlace(session), events);
}

/** [OUT2] The same for a cohort's outcome log: a questionnaire's safety alert reaches staff at once. */
export async function notifyOutcomeStaff(
  s: Services,
  outcome: OutcomeState,
  events: readonly StoredEvent[],
): Promise<void> {
  await notifyPlace(s, outcomePlace(outcome), events);
}

async function notifyPlace(s: Services, place: AlertPlace, events: readonly StoredEvent[]): Promise<void> {
  if (!events.some(mayNotify)) return;
  const audience = await noticeAudience(s, place);
  if (audience === null) return;
  const notices = noticesFor(place, events, audience.ctx);
  if (notices.length === 0) return;
  const targets = audience.staff.map(inboxRoom);
  for (const n of notices) s.io.to(targets).emit("alert:notice", n);
}

/** Cheap pre-check, so a dose or a check-in costs no cohort read. */
function mayNotify(e: StoredEvent): boolean {
  return e.type.startsWith("alert.") || e.type === "session.closed";
}

/**
 * [LIVE6][LIVE3][OUT2] What a staff person missed while disconnected: every notified alert still
 * waiting in the live sessions and questionnaires of their cohorts, as one snapshot to the socket
 * that just connected — only those still waiting, so an alert answered meanwhile never comes back,
 * and the client drops any waiting notice the snapshot no longer has. Without it a facilitator or
 * admin whose node restarted during an escalation would hear nothing until the next reminder.
 */
export async function replayNotices(s: Services, socket: AppSocket): Promise<number> {
  const userId = socket.data.user.id;
  const index = await s.streams.state("index", LIVE_INDEX_ID);
  const places: AlertPlace[] = [];
  for (const sessionId of index.sessions) {
    const session = await s.streams.state("session", sessionId);
    if (session.status === "open") places.push(sessionPlace(session));
  }
  for (const cohortId of index.outcomes) places.push(outcomePlace(await s.streams.state("outcome", cohortId)));
  const notices: AlertNotice[] = [];
  for (const place of places) {
    if (!Object.values(place.alerts).some(isPending)) continue;
    const audience = await noticeAudience(s, place);
    if (audience === null || !audience.staff.includes(userId)) continue;
    notices.push(...openNotices(place, audience.ctx));
  }
  socket.emit("alert:notices", { notices });
  return notices.length;
}

import type { CohortState } from "../../../shared/domain/cohort.js";
import { LIVE_INDEX_ID } from "../../../shared/domain/live-index.js";
import type { SessionState } from "../../../shared/domain/session.js";
import type { ProgramState } from "../../../shared/domain/program.js";
import { pendingAlerts } from "../../../shared/domain/alerts.js";
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

/**
 * [LIVE3][LIVE6] Tell every facilitator of the cohort and every admin of the program about an
 * escalation (or a ratio alert at once), wherever they are connected. Ids and kind only.
 */
export async function notifyStaff(s: Services, session: SessionState, events: readonly StoredEvent[]): Promise<void> {
  const notices: AlertNotice[] = [];
  for (const e of events) {
    const alertId = e.type === "alert.raised" ? e.id : typeof e.data.alertId === "string" ? e.data.alertId : null;
    const alert = alertId === null ? undefined : session.live.alerts[alertId];
    if (!alert) continue;
    const escalation = e.type === "alert.escalated" && typeof e.data.tier === "number" ? e.data.tier : null;
    const reminder = e.type === "alert.reminded" && typeof e.data.count === "number" ? e.data.count : 0;
    const ratioRaised = e.type === "alert.raised" && alert.kind === "ratio";
    if (escalation === null && reminder === 0 && !ratioRaised) continue;
    notices.push({
      sessionId: session.id,
      alertId: alert.id,
      kind: alert.kind,
      tier: escalation ?? alert.tier,
      reminder,
      participantId: alert.participantId,
      raisedAt: alert.raisedAt,
    });
  }
  if (notices.length === 0 || session.cohortId === null) return;
  const cohort = await s.streams.state("cohort", session.cohortId);
  const { admins } = await profileForCohort(s, cohort);
  const targets = [...cohort.facilitators, ...admins].map(inboxRoom);
  for (const n of notices) s.io.to(targets).emit("alert:notice", n);
}

/**
 * [LIVE6][LIVE3] What a staff person missed while disconnected: every escalated (or ratio) alert
 * still waiting in the live sessions of their cohorts, sent to the socket that just connected.
 * Notices are pushes, not history; without this a facilitator or admin whose node restarted
 * during an escalation would hear nothing until the next reminder. Ids and kind only.
 */
export async function replayNotices(s: Services, socket: AppSocket): Promise<number> {
  const userId = socket.data.user.id;
  const index = await s.streams.state("index", LIVE_INDEX_ID);
  let sent = 0;
  for (const sessionId of index.sessions) {
    const session = await s.streams.state("session", sessionId);
    if (session.status !== "open" || session.cohortId === null) continue;
    const waiting = pendingAlerts(session.live.alerts).filter((a) => a.tier > 0 || a.kind === "ratio");
    if (waiting.length === 0) continue;
    const cohort = await s.streams.state("cohort", session.cohortId);
    const { admins } = await profileForCohort(s, cohort);
    if (!cohort.facilitators.includes(userId) && !admins.includes(userId)) continue;
    for (const a of waiting) {
      socket.emit("alert:notice", {
        sessionId,
        alertId: a.id,
        kind: a.kind,
        tier: a.tier,
        reminder: a.reminders,
        participantId: a.participantId,
        raisedAt: a.raisedAt,
      });
      sent++;
    }
  }
  return sent;
}

import type { RuleProfile } from "../profiles/index.js";
import { SYSTEM_ACTOR, decideEscalations, nextAlertCheckAt, resolveId, visibleAlerts } from "./alerts.js";
import { serverId, type StoredEvent } from "../log.js";
import { scope, sessionTouches } from "./session-touches.js";
import { describeRatio, ratioStatus } from "./live-rules.js";
import type { Draft } from "./live-types.js";
import type { SessionState } from "./session.js";

/**
 * What every node's periodic check appends to an open session at `now`, decided from the log
 * alone. Every id is derived from the log (`$escalate:<alertId>:<tier>`, `$ratio:<seq>`,
 * `$break:<seq>`, `$prompt:<round>`), so two nodes deciding at once produce the same ids and the
 * store keeps one of each.
 */
export function decideLiveChecks(s: SessionState, now: number, profile: RuleProfile): Draft[] {
  // An ended session cannot hold a pending alert (session:close refuses then); if one ever did,
  // it keeps escalating rather than going quiet [LIVE6].
  if (s.status === "closed") return decideEscalations(s.live.alerts, now);
  if (s.status !== "open") return [];
  return [
    ...ratioChecks(s, profile),
    ...breakChecks(s, now, profile),
    ...decideEscalations(s.live.alerts, now),
    ...promptChecks(s, now, profile),
  ];
}

/** [LIVE3] Raise a ratio alert when the ratio breaks; resolve it when restored. */
function ratioChecks(s: SessionState, profile: RuleProfile): Draft[] {
  const r = ratioStatus(s.live, profile);
  const open = visibleAlerts(s.live.alerts).filter((a) => a.kind === "ratio");
  if (!r.holds && open.length === 0) {
    // Numbered by how many ratio alerts the session has had: every node deciding this one picks
    // the same id, and unrelated events (check-ins) landing meanwhile do not change it.
    const n = Object.values(s.live.alerts).filter((a) => a.kind === "ratio").length + 1;
    const alertId = serverId("ratio", n);
    return [
      {
        id: alertId,
        type: "alert.raised",
        actor: SYSTEM_ACTOR,
        data: {
          alertId,
          kind: "ratio",
          participantId: null,
          subjectId: null,
          detail: `Ratio broken: ${describeRatio(r)}`,
        },
      },
    ];
  }
  if (r.holds)
    return open.map((a) => ({
      id: resolveId(a.id),
      type: "alert.resolved",
      actor: SYSTEM_ACTOR,
      data: { alertId: a.id, reason: "The ratio is restored." },
    }));
  return [];
}

/** [LIVE4] A break past the profile's limit raises one alert per break. */
function breakChecks(s: SessionState, now: number, profile: RuleProfile): Draft[] {
  const out: Draft[] = [];
  for (const [userId, b] of Object.entries(s.live.breaks)) {
    const alertId = serverId("break", b.seq);
    if (s.live.alerts[alertId]) continue;
    if (now - Date.parse(b.startedAt) > profile.breakMaxMinutes * 60_000) {
      out.push({
        id: alertId,
        type: "alert.raised",
        actor: SYSTEM_ACTOR,
        data: {
          alertId,
          kind: "break",
          participantId: null,
          subjectId: userId,
          detail: `A break has lasted more than ${profile.breakMaxMinutes} minutes.`,
        },
      });
    }
  }
  return out;
}

/** [LIVE7] One gentle prompt per interval since the session opened; a missed round is not repeated. */
function promptChecks(s: SessionState, now: number, profile: RuleProfile): Draft[] {
  if (s.openedAt === null) return [];
  const round = Math.floor((now - Date.parse(s.openedAt)) / (profile.checkinPromptMinutes * 60_000));
  const last = s.live.prompts.at(-1)?.round ?? 0;
  if (round < 1 || round <= last) return [];
  return [{ id: serverId("prompt", round), type: "checkin.prompted", actor: SYSTEM_ACTOR, data: { round } }];
}

/**
 * [LIVE3][LIVE6] Whether an event can make a session's checks due sooner: an alert raised or
 * answered, anything that moves the ratio, the session opening. A plain check-in does not, so
 * a whole room answering a prompt adds nothing to the due index.
 */
export function wakesChecks(e: Pick<StoredEvent, "id" | "type" | "data">): boolean {
  return sessionTouches(e).some((t) => t === scope.whole || t === scope.ratio || t.startsWith("a:"));
}

/**
 * When the session's checks are next due after `now` (ms), or null when nothing ever will be
 * (not open, or ended with nothing pending). Something still to do now (a ratio alert that did
 * not land, say) is due again in a second.
 */
export function nextCheckAt(s: SessionState, now: number, profile: RuleProfile): number | null {
  if (s.status === "none") return null;
  const times: number[] = [];
  if (decideLiveChecks(s, now, profile).length > 0) times.push(now + RETRY_MS);
  const alerts = nextAlertCheckAt(s.live.alerts);
  if (alerts !== null) times.push(alerts);
  if (s.status === "open") {
    for (const [, b] of Object.entries(s.live.breaks)) {
      if (!s.live.alerts[serverId("break", b.seq)])
        times.push(Date.parse(b.startedAt) + profile.breakMaxMinutes * 60_000 + 1);
    }
    if (s.openedAt !== null) {
      const every = profile.checkinPromptMinutes * 60_000;
      const last = s.live.prompts.at(-1)?.round ?? 0;
      const round = Math.max(last, Math.floor((now - Date.parse(s.openedAt)) / every)) + 1;
      times.push(Date.parse(s.openedAt) + round * every);
    }
  }
  const future = times.filter((t) => Number.isFinite(t));
  return future.length === 0 ? null : Math.max(now + 1, Math.min(...future));
}

const RETRY_MS = 1000;

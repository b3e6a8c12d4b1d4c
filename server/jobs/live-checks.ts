import { decideLiveChecks, nextCheckAt, wakesChecks } from "../../shared/domain/live-checks.js";
import { LIVE_INDEX_ID } from "../../shared/domain/live-index.js";
import { nextAlertCheckAt, pendingAlerts } from "../../shared/domain/alerts.js";
import { decideOutcomeChecks } from "../../shared/domain/outcome-decide.js";
import { streamName, type StoredEvent, type StreamKind } from "../../shared/log.js";
import { dueTarget, outcomeDueId } from "../domain/live-listing.js";
import { errorKind } from "../logger.js";
import type { Services } from "../services.js";
import { systemKey } from "../domain/stream-service.js";
import { fanOut } from "../gateway/fanout.js";
import { notifyOutcomeStaff, notifyStaff, profileForCohort } from "../gateway/handlers/live-shared.js";
import { unlist } from "../gateway/handlers/live-close.js";

/**
 * How often each node asks the due index what is due (DESIGN.md: "about once a second"; LIVE3
 * asks for 5 s). Twice a second: a round with nothing due is one small Redis read whatever the
 * number of sessions, and after a store outage the escalations that fell due during it land
 * half a second sooner (measured in `npm run chaos`: the one late escalation was due just before
 * a Redis restart).
 */
export const LIVE_CHECK_MS = 500;

/** Due sessions one round reads, and how many this node checks at once. */
const DUE_BATCH = 200;
const MAX_IN_FLIGHT = 32;
const PARALLEL = 8;
/** Sessions this node is checking now, per app (tests run several apps in one process). */
const checking = new WeakMap<Services, Set<string>>();
/**
 * Every this often a node also walks the whole list: re-schedules every listed session (a due
 * entry lost with Redis's data is re-made) and reconciles presence with the log [PR5]. A backstop
 * only — each node also walks it at start, a session is due again whenever one of its events
 * can change its checks, and presence asks for a reconcile after each transition it logs — so
 * it is rare: walked every 30 s it was ~0.3 Redis commands per idle session per second per node,
 * the largest part of the idle cost (issue 9, target ≤ 0.1 for all nodes together).
 */
export const SWEEP_MS = 5 * 60_000;

/**
 * [LIVE3][LIVE4][LIVE6][LIVE7] One round of the dosing-day checks: only the sessions the due
 * index says are due (an escalation, a reminder, a prompt, a break limit, a ratio to re-check),
 * so a round costs what is due, not how many sessions exist. Every node runs it; the decisions
 * come from the log and the event ids are server-made from it, so each escalation lands exactly
 * once and only the node that appended it broadcasts and notifies. A session whose check fails
 * stays due and is taken again next round, by whichever node gets there.
 */
export async function runLiveChecks(s: Services, opts: { sweep?: boolean; detach?: boolean } = {}): Promise<void> {
  const index = opts.sweep ? await s.streams.state("index", LIVE_INDEX_ID) : null;
  const listed = index?.sessions ?? [];
  const outcomes = (index?.outcomes ?? []).map(outcomeDueId);
  for (const dueId of [...listed, ...outcomes]) await s.stores.due.schedule(dueId, s.clock.now());
  const due = await s.stores.due.due(s.clock.now(), DUE_BATCH);
  const busy = checking.get(s) ?? new Set<string>();
  checking.set(s, busy);
  // Each due session on its own: one slow session (a store hiccup, a long queue) never holds
  // back another's escalation, and the next round starts on time for the rest.
  const runs = due
    .filter(({ id }) => !busy.has(id))
    .slice(0, Math.max(0, MAX_IN_FLIGHT - busy.size))
    .map(async ({ id, at }) => {
      busy.add(id);
      try {
        const target = dueTarget(id);
        const next = target.kind === "session" ? await checkSession(s, target.id) : await checkOutcome(s, target.id);
        await s.stores.due.reschedule(id, at, next);
      } catch (err) {
        // Stays due: taken again next round, by whichever node gets there first.
        s.logger.warn("live check failed", { session: { id }, error: errorKind(err) });
      } finally {
        busy.delete(id);
      }
    });
  const all = Promise.all(runs);
  if (!opts.detach) await all;
  // After every escalation of the round: presence trouble must never delay one. The next
  // round's ratio check decides on the corrected log [LIVE3].
  const reconcile = opts.sweep
    ? listed
    : due.map((d) => dueTarget(d.id)).flatMap((t) => (t.kind === "session" ? [t.id] : []));
  await inParallel(reconcile, async (sessionId) => {
    try {
      await s.presence.reconcile(sessionId);
    } catch (err) {
      s.logger.warn("presence reconcile failed", { session: { id: sessionId }, error: errorKind(err) });
    }
  });
}

async function inParallel<T>(items: readonly T[], f: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL) await Promise.all(items.slice(i, i + PARALLEL).map(f));
}

/**
 * [LIVE6][OUT2] Make a stream's checks due now when one of its events can change them: in a
 * session an alert or the ratio; in a cohort's outcome log an alert (a questionnaire's safety
 * alert). Awaited by every append (app.ts), so the due entry exists before the command is answered.
 */
export async function wakeChecks(
  s: Pick<Services, "stores" | "clock">,
  kind: StreamKind,
  id: string,
  events: readonly StoredEvent[],
): Promise<void> {
  if (kind === "session" && events.some(wakesChecks)) await s.stores.due.schedule(id, s.clock.now());
  if (kind === "outcome" && events.some((e) => e.type.startsWith("alert.")))
    await s.stores.due.schedule(outcomeDueId(id), s.clock.now());
}

/**
 * [OUT2][LIVE6] A cohort's outcome log: its safety alerts escalate at 15 s and 60 s and are
 * reminded every minute after, exactly as a session's — the same decision (decideEscalations),
 * the same server-made ids, so any number of nodes land each once.
 */
async function checkOutcome(s: Services, cohortId: string): Promise<number | null> {
  const state = await s.streams.state("outcome", cohortId);
  const now = s.clock.now();
  const stream = streamName("outcome", cohortId);
  for (const d of decideOutcomeChecks(state, now)) {
    const done = await s.streams.execute(
      "outcome",
      cohortId,
      systemKey(d.id),
      (fresh) => decideOutcomeChecks(fresh, now).filter((x) => x.id === d.id),
      { queued: false },
    );
    fanOut(s.io, stream, done);
    const { events, duplicate } = done;
    if (events.length === 0 || duplicate) continue;
    await notifyOutcomeStaff(s, await s.streams.state("outcome", cohortId), events);
  }
  const next = nextAlertCheckAt((await s.streams.state("outcome", cohortId)).alerts);
  return next === null ? null : Math.max(s.clock.now() + 1, next);
}

/**
 * One session's checks. Each decision is its own command with its server-made id, re-decided on
 * the fresh state inside the write path, so one escalation that another node already appended
 * (a duplicate) or that raced an acknowledgement never holds back the next one [LIVE6].
 */
async function checkSession(s: Services, sessionId: string): Promise<number | null> {
  const state = await s.streams.state("session", sessionId);
  if (state.cohortId === null) return null;
  // An ended session leaves the list — but never while an alert in it still waits [LIVE6]:
  // session:close is refused then, and this keeps escalating if one ever got through.
  if (state.status === "closed" && pendingAlerts(state.live.alerts).length === 0) {
    await unlist(s, sessionId);
    return null;
  }
  const cohort = await s.streams.state("cohort", state.cohortId);
  const { profile } = await profileForCohort(s, cohort);
  const now = s.clock.now();
  const stream = streamName("session", sessionId);
  for (const d of decideLiveChecks(state, now, profile)) {
    const done = await s.streams.execute(
      "session",
      sessionId,
      systemKey(d.id),
      (fresh) => decideLiveChecks(fresh, now, profile).filter((x) => x.id === d.id),
      { queued: false },
    );
    fanOut(s.io, stream, done);
    // A duplicate was appended (and broadcast, and notified) by another node.
    const { events, duplicate } = done;
    if (events.length === 0 || duplicate) continue;
    await notifyStaff(s, await s.streams.state("session", sessionId), events);
  }
  return nextCheckAt(await s.streams.state("session", sessionId), s.clock.now(), profile);
}

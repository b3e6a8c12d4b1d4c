import { firstDosingAt } from "../../../shared/domain/cohort.js";
import { decideAck, decideAdmit, decideBreak, decideSupport } from "../../../shared/domain/live-decide.js";
import { pendingAlerts } from "../../../shared/domain/alerts.js";
import { readinessOf } from "../../../shared/domain/readiness.js";
import { isOnBreak } from "../../../shared/domain/live-rules.js";
import { isStaff } from "../../../shared/domain/roles.js";
import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import { Commands } from "../../../shared/protocol/events.js";
import type { ReadinessView, ReleaseView } from "../../../shared/protocol/live.js";
import { lastEarlierDose } from "../../../shared/domain/live-returning.js";
import { dosingHistory } from "../../domain/dosing-history.js";
import { viewerOf } from "../../domain/directory.js";
import type { Services } from "../../services.js";
import { clientKey } from "../../domain/stream-service.js";
import { command, type FeatureHandlers } from "../handler.js";
import { rulesOf } from "./live-shared.js";
import { runLive } from "./live-run.js";
import { liveRecordHandlers } from "./live-records.js";
import { liveCloseHandlers } from "./live-close.js";

/** Dosing-day commands: support, acknowledgements, breaks, admission, and the staff context. */
export function liveHandlers(
  s: Services,
): FeatureHandlers<
  | "support:request"
  | "alert:ack"
  | "break:set"
  | "participant:admit"
  | "live:context"
  | "session:close"
  | "dose:record"
  | "vitals:record"
  | "adverse:record"
  | "release:record"
> {
  return {
    ...liveRecordHandlers(s),
    ...liveCloseHandlers(s),

    "support:request": command(Commands["support:request"], async (p, socket) => {
      const user = socket.data.user;
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "support:request", p.id), (st) =>
        decideSupport(st, p, viewerOf(user)),
      );
      // The alert is named after the event that raised it.
      const first = run.events[0];
      if (first) return { alertId: first.id, seq: first.seq };
      // A request was already pending (from an earlier press or a check-in): this press joins it.
      const waiting = pendingAlerts(run.state.live.alerts).find(
        (a) => a.kind === "support" && a.participantId === user.id,
      );
      if (!waiting) throw new AppError(ErrorCode.UNAVAILABLE, "The request was not recorded. It is safe to try again.");
      return { alertId: waiting.id, seq: waiting.seq };
    }),

    "alert:ack": command(Commands["alert:ack"], async (p, socket) => {
      const user = socket.data.user;
      // Checked before the log: a retry is answered from the first ack, which names who responded —
      // staff operations a participant must not be able to read by replaying an alert id.
      if (!isStaff(viewerOf(user)))
        throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator or the program admin can acknowledge an alert.");
      // The event id is the alert's (`$ack:<alertId>`), not the command's: two facilitators
      // acknowledging at once land one, and a retry finds the alert answered.
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "alert:ack", p.id), (st) =>
        decideAck(st, p, viewerOf(user)),
      );
      const ack = run.state.live.alerts[p.alertId]?.ack;
      if (!ack) throw new AppError(ErrorCode.RULE_VIOLATION, "This alert was resolved before it was acknowledged.");
      return { alertId: p.alertId, by: ack.by, at: ack.at };
    }),

    "break:set": command(Commands["break:set"], async (p, socket) => {
      const user = socket.data.user;
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "break:set", p.id), (st, ctx) =>
        decideBreak(st, p, viewerOf(user), ctx),
      );
      // The log decides (a retry or a no-op too); presence shows it at once on every node [PR2].
      const onBreak = isOnBreak(run.state.live, user.id);
      await s.presence.showBreak(p.sessionId, user.id, onBreak);
      return { seq: run.events[0]?.seq ?? run.state.seq, onBreak };
    }),

    "participant:admit": command(Commands["participant:admit"], async (p, socket) => {
      const user = socket.data.user;
      const { cohort, program } = await s.directory.sessionFor(user, p.sessionId);
      const { profile } = rulesOf(program);
      const readiness = readinessOf(cohort, p.participantId, profile, firstDosingAt(cohort, p.participantId));
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "participant:admit", p.id), (st, ctx) =>
        decideAdmit(st, p, viewerOf(user), ctx, readiness),
      );
      // Nothing new when already admitted: the ack names the admission already in the log.
      return { seq: run.events[0]?.seq ?? run.state.live.participants[p.participantId]?.admittedSeq ?? run.state.seq };
    }),

    "live:context": command(Commands["live:context"], async (p, socket) => {
      const user = socket.data.user;
      const { cohort, program } = await s.directory.sessionFor(user, p.sessionId);
      // [AC3] Readiness reflects screening answers: staff only.
      if (!isStaff(viewerOf(user))) throw new AppError(ErrorCode.FORBIDDEN, "Only staff see readiness.");
      const { profile } = rulesOf(program);
      const readiness: Record<string, ReadinessView> = {};
      for (const id of cohort.participants) readiness[id] = readinessOf(cohort, id, profile, firstDosingAt(cohort, id));
      // [LIVE10][LIVE2] The plan each release is confirmed against, and whether each is a returning client.
      const history = await dosingHistory(s, program, cohort.participants, p.sessionId);
      const release: Record<string, ReleaseView> = {};
      for (const id of cohort.participants) {
        const t = cohort.records[id]?.transport ?? null;
        release[id] = {
          plan: t ? { driver: t.driver, contact: t.contact, notes: t.notes } : null,
          lastEarlierDose: lastEarlierDose(history[id]),
        };
      }
      return { profile, readiness, release };
    }),
  };
}

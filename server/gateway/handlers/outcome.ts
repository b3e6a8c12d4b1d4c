import { firstDosingAt } from "../../../shared/domain/cohort.js";
import { decideOutcomeAck, decideSubmit, safetyAlertId } from "../../../shared/domain/outcome-decide.js";
import { isStaff } from "../../../shared/domain/roles.js";
import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import { Commands } from "../../../shared/protocol/events.js";
import { bandOf, definitionOf } from "../../../shared/outcomes/score.js";
import { streamName } from "../../../shared/log.js";
import { viewerOf } from "../../domain/directory.js";
import { clientKey } from "../../domain/stream-service.js";
import type { Services } from "../../services.js";
import { fanOut } from "../fanout.js";
import { command, type FeatureHandlers } from "../handler.js";
import { notifyOutcomeStaff, profileForCohort } from "./live-shared.js";

/**
 * [OUT1]–[OUT5] Questionnaires: a participant's submission, and staff answering the safety alert
 * it may raise. Both on the cohort's outcome log (`outcome:<cohortId>`), through the one write path.
 */
export function outcomeHandlers(s: Services): FeatureHandlers<"outcome:submit" | "outcome:ack"> {
  return {
    "outcome:submit": command(Commands["outcome:submit"], async (p, socket) => {
      const user = socket.data.user;
      // Before the log: a staff member can never have a submission answered from it.
      if (user.role !== "participant")
        throw new AppError(ErrorCode.FORBIDDEN, "Only a participant answers their own questionnaires.");
      const cohort = await s.directory.cohortFor(user, p.cohortId);
      const { profile, zone } = await profileForCohort(s, cohort);
      // [OUT2] Listed before the alert can exist: a crash right after the append still escalates.
      if (definitionOf(p.instrument).safetyAlert(p.answers)) await s.listing.ensureOutcome(p.cohortId);
      const ctx = {
        now: s.clock.now(),
        firstDosing: firstDosingAt(cohort, user.id),
        zone,
        enrolled: cohort.participants.includes(user.id),
      };
      const done = await s.streams.execute("outcome", p.cohortId, clientKey(user.id, "outcome:submit", p.id), (st) =>
        decideSubmit(st, p, viewerOf(user), ctx),
      );
      fanOut(s.io, streamName("outcome", p.cohortId), done);
      const state = await s.streams.state("outcome", p.cohortId);
      if (!done.duplicate) await notifyOutcomeStaff(s, state, done.events);
      // A retry is answered from the first submission, as it was scored then.
      const sub = state.submissions.find((x) => x.id === p.id);
      if (!sub)
        throw new AppError(ErrorCode.UNAVAILABLE, "The answers were not recorded. It is safe to send them again.");
      const def = definitionOf(sub.instrument);
      const band = bandOf(def, sub.total);
      return {
        seq: sub.seq,
        submissionId: sub.id,
        total: sub.total,
        band: { code: band.code, label: band.label },
        safety: state.alerts[safetyAlertId(sub.id)] !== undefined,
        crisis: profile.crisisResources,
      };
    }),

    "outcome:ack": command(Commands["outcome:ack"], async (p, socket) => {
      const user = socket.data.user;
      // Checked before the log: a retry is answered from the first ack, which names who responded.
      if (!isStaff(viewerOf(user)))
        throw new AppError(ErrorCode.FORBIDDEN, "Only a facilitator or the program admin can acknowledge an alert.");
      await s.directory.cohortFor(user, p.cohortId);
      const done = await s.streams.execute("outcome", p.cohortId, clientKey(user.id, "outcome:ack", p.id), (st) =>
        decideOutcomeAck(st, p, viewerOf(user)),
      );
      fanOut(s.io, streamName("outcome", p.cohortId), done);
      const state = await s.streams.state("outcome", p.cohortId);
      if (!done.duplicate) await notifyOutcomeStaff(s, state, done.events);
      const ack = state.alerts[p.alertId]?.ack;
      if (!ack) throw new AppError(ErrorCode.RULE_VIOLATION, "This alert was resolved before it was acknowledged.");
      return { alertId: p.alertId, by: ack.by, at: ack.at };
    }),
  };
}

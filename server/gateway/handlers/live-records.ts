import {
  decideAdverse,
  decideDose,
  decideRelease,
  decideVitals,
  type ReleaseFacts,
} from "../../../shared/domain/live-decide.js";
import { dosingHistory } from "../../domain/dosing-history.js";
import { Commands } from "../../../shared/protocol/events.js";
import { AppError, ErrorCode } from "../../../shared/protocol/errors.js";
import type { UserRecord } from "../../auth/users.js";
import { viewerOf } from "../../domain/directory.js";
import type { Services } from "../../services.js";
import { clientKey } from "../../domain/stream-service.js";
import { command, type FeatureHandlers } from "../handler.js";
import { runLive } from "./live-run.js";
import { firstSeq } from "./acks.js";

/**
 * [AC3] Checked before the log is asked: a command id already in the log is answered from its
 * first event without deciding again (LOG2), so the decide's own facilitator check would not run
 * for a participant replaying the id of an event they can see.
 */
function facilitatorOnly(user: UserRecord, what: string): UserRecord {
  if (user.role !== "facilitator") throw new AppError(ErrorCode.FORBIDDEN, `Only a facilitator can ${what}.`);
  return user;
}

/**
 * [LIVE10][LIVE2] What a release is checked against, from the cohort's and the program's logs: the
 * transportation plan on file and the participant's doses in the program's other sessions.
 */
async function releaseFacts(
  s: Services,
  user: UserRecord,
  sessionId: string,
  participantId: string,
): Promise<ReleaseFacts> {
  const { cohort, program } = await s.directory.sessionFor(user, sessionId);
  const history = await dosingHistory(s, program, [participantId], sessionId);
  const transport = cohort.records[participantId]?.transport ?? null;
  return { plan: transport, earlierDoses: history[participantId] ?? [] };
}

/** What facilitators record about a participant: doses, vitals, adverse events, the release. */
export function liveRecordHandlers(
  s: Services,
): FeatureHandlers<"dose:record" | "vitals:record" | "adverse:record" | "release:record"> {
  return {
    "dose:record": command(Commands["dose:record"], async (p, socket) => {
      const user = facilitatorOnly(socket.data.user, "record a dose");
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "dose:record", p.id), (st, ctx) =>
        decideDose(st, p, viewerOf(user), ctx),
      );
      // The total of the participant the recorded dose is about (a retry answers from the log's event).
      const about = run.events[0]?.type === "dose.recorded" ? run.events[0].data.participantId : null;
      return {
        seq: firstSeq(run.events, "dose"),
        totalMg: typeof about === "string" ? (run.state.live.participants[about]?.totalMg ?? 0) : 0,
      };
    }),

    "vitals:record": command(Commands["vitals:record"], async (p, socket) => {
      const user = facilitatorOnly(socket.data.user, "record vitals");
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "vitals:record", p.id), (st, ctx) =>
        decideVitals(st, p, viewerOf(user), ctx),
      );
      return {
        seq: firstSeq(run.events, "vitals"),
        alert: run.events[0] !== undefined && run.state.live.alerts[run.events[0].id] !== undefined,
      };
    }),

    "adverse:record": command(Commands["adverse:record"], async (p, socket) => {
      const user = facilitatorOnly(socket.data.user, "record an adverse event");
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "adverse:record", p.id), (st, ctx) =>
        decideAdverse(st, p, viewerOf(user), ctx),
      );
      return { seq: firstSeq(run.events, "adverse event") };
    }),

    "release:record": command(Commands["release:record"], async (p, socket) => {
      const user = facilitatorOnly(socket.data.user, "release a participant");
      const facts = await releaseFacts(s, user, p.sessionId, p.participantId);
      const run = await runLive(s, user, p.sessionId, clientKey(user.id, "release:record", p.id), (st, ctx) =>
        decideRelease(st, p, viewerOf(user), ctx, facts),
      );
      return { seq: firstSeq(run.events, "release") };
    }),
  };
}

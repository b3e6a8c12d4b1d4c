import { decideAdverse, decideDose, decideRelease, decideVitals } from "../../../shared/domain/live-decide.js";
import { alertIdFrom } from "../../../shared/domain/alerts.js";
import { Commands } from "../../../shared/protocol/events.js";
import { viewerOf } from "../../domain/directory.js";
import type { Services } from "../../services.js";
import { command, type FeatureHandlers } from "../handler.js";
import { firstSeq, runLive } from "./live-run.js";

/** What facilitators record about a participant: doses, vitals, adverse events, the release. */
export function liveRecordHandlers(s: Services): FeatureHandlers<"dose:record" | "vitals:record" | "adverse:record" | "release:record"> {
  return {
    "dose:record": command(Commands["dose:record"], async (p, socket) => {
      const user = socket.data.user;
      const run = await runLive(s, user, p.sessionId, p.id, (st, ctx) => decideDose(st, p, viewerOf(user), ctx));
      return { seq: firstSeq(run, "dose"), totalMg: run.state.live.participants[p.participantId]?.totalMg ?? 0 };
    }),

    "vitals:record": command(Commands["vitals:record"], async (p, socket) => {
      const user = socket.data.user;
      const run = await runLive(s, user, p.sessionId, p.id, (st, ctx) => decideVitals(st, p, viewerOf(user), ctx));
      return { seq: firstSeq(run, "vitals"), alert: run.state.live.alerts[alertIdFrom("vitals", p.id)] !== undefined };
    }),

    "adverse:record": command(Commands["adverse:record"], async (p, socket) => {
      const user = socket.data.user;
      const run = await runLive(s, user, p.sessionId, p.id, (st, ctx) => decideAdverse(st, p, viewerOf(user), ctx));
      return { seq: firstSeq(run, "adverse event") };
    }),

    "release:record": command(Commands["release:record"], async (p, socket) => {
      const user = socket.data.user;
      const run = await runLive(s, user, p.sessionId, p.id, (st, ctx) => decideRelease(st, p, viewerOf(user), ctx));
      return { seq: firstSeq(run, "release") };
    }),
  };
}

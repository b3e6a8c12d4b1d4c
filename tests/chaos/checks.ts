import type { Alert } from "../../shared/domain/alerts.js";
import { emptySession } from "../../shared/domain/session.js";
import { foldEvents, sessionStream, viewOf } from "../../shared/domain/streams.js";
import type { Viewer } from "../../shared/domain/roles.js";
import { isHidden, type StoredEvent } from "../../shared/log.js";
import type { Recorder } from "./actors.js";
import type { SessionFollower } from "./follower.js";

/** What one acked check-in and one client's view must be, each checked against the stream (verify.ts). */

export interface ViewerUnderTest {
  key: string;
  viewer: Viewer;
  follower: SessionFollower | null;
  /** The final sync ended with nothing missing (the view is at the stream's head as of then). */
  settled: boolean;
}

export interface NeedSupportFold {
  hadPending: boolean;
  raised: Alert | undefined;
}

export function checkinProblems(
  e: StoredEvent,
  r: Recorder["checkins"][number],
  ns: NeedSupportFold | undefined,
): string[] {
  const why: string[] = [];
  const d = e.data;
  if (e.type !== "checkin.recorded") why.push(`type ${e.type}`);
  if (e.actor !== r.userId) why.push("actor is not the sender");
  if (d.participantId !== r.userId) why.push("participantId is not the sender");
  if (d.status !== r.status) why.push("status differs");
  if (d.intensity !== r.intensity) why.push("intensity differs");
  if (d.text !== (r.text?.trim() ? r.text.trim() : null)) why.push("text differs");
  if (!("alert" in d)) why.push("no `alert` field (not the one-event check-in)");
  else if (d.alert !== null && typeof d.alert !== "string") why.push("`alert` is neither a string nor null");
  if (r.status !== "need_support") {
    if (typeof d.alert === "string") why.push("`alert` set on a check-in that is not need_support");
    return why;
  }
  const raisedHere =
    ns?.raised !== undefined &&
    ns.raised.seq === e.seq &&
    ns.raised.kind === "support" &&
    ns.raised.participantId === r.userId;
  if (raisedHere) {
    if (typeof d.alert !== "string") why.push("the reducer raised an alert but `alert` is not set");
  } else if (ns?.hadPending) {
    if (d.alert !== null) why.push("`alert` set although the participant's support alert was already pending");
  } else {
    why.push("need_support with no alert: none raised by this event and none pending before it");
  }
  return why;
}

export function viewProblem(
  f: SessionFollower,
  w: ViewerUnderTest,
  events: readonly StoredEvent[],
  epoch: string | null,
  lastAcked: number,
): string | null {
  if (!w.settled) return `the final sync did not complete (holds seq ${f.state.seq})`;
  if (f.epoch !== epoch) return `epoch ${String(f.epoch)} but the stream's is ${String(epoch)}`;
  const upto = f.state.seq;
  if (upto < lastAcked) return `holds seq ${upto}, below the last acked check-in ${lastAcked}`;
  if (upto > events.length) return `holds seq ${upto}, past the stream's head ${events.length}`;
  const seen = events.slice(0, upto).map((e) => viewOf("session", e, w.viewer));
  for (const e of seen) {
    const held = f.ids[e.seq - 1];
    const want = isHidden(e) ? null : e.id;
    if (held !== want) {
      const full = events[e.seq - 1];
      return `at seq ${e.seq} (${full?.type ?? "?"}) holds ${held === undefined ? "nothing" : held === null ? "a hidden position" : "another event"} instead of ${want === null ? "a hidden position" : "the event"}`;
    }
  }
  const expected = foldEvents(sessionStream, emptySession(f.sessionId), seen);
  if (JSON.stringify(expected) !== JSON.stringify(f.state))
    return `the fold differs from the stream's fold up to seq ${upto}`;
  return null;
}

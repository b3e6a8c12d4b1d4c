import { serverId, streamName } from "../../shared/log.js";
import type { Instrument } from "../../shared/outcomes/instruments.js";
import { scoreAnswers } from "../../shared/outcomes/score.js";
import type { Running } from "./harness.js";

const DAY = 24 * 60 * 60 * 1000;

/**
 * A cohort's earlier history for the staff screens' tests: a dosing day `daysAgo` days back for
 * the given participants (as scheduling had put it on the cohort's log) and questionnaires they
 * answered before the test starts. Appended with server ids, the way a past the test did not
 * live through is given to every other e2e test; what the test itself checks goes through the
 * real commands.
 */
export async function seedDosingDay(
  node: Running,
  cohortId: string,
  participants: readonly string[],
  facilitators: readonly string[],
  daysAgo: number,
): Promise<string> {
  const start = new Date(Date.now() - daysAgo * DAY);
  start.setUTCHours(17, 0, 0, 0);
  const end = new Date(start.getTime() + 6 * 60 * 60 * 1000);
  const sessionId = `past-dosing-${cohortId}`;
  await node.app.services.streams.appendSystem(streamName("cohort", cohortId), {
    id: serverId("test", "dosing", cohortId),
    type: "session.scheduled",
    actor: facilitators[0] ?? "system",
    data: {
      sessionId,
      kind: "dosing",
      title: "First dosing day",
      start: start.toISOString(),
      end: end.toISOString(),
      zone: "America/Los_Angeles",
      facilitators: [...facilitators],
      participants: [...participants],
      plannedDoseMg: 25,
      allReturning: false,
    },
  });
  return start.toISOString();
}

/** One earlier submission; `answers` in item order. */
export async function seedSubmission(
  node: Running,
  cohortId: string,
  s: { participantId: string; visitId: string; instrument: Instrument; answers: number[] },
): Promise<void> {
  const score = scoreAnswers(s.instrument, s.answers);
  await node.app.services.streams.appendSystem(streamName("outcome", cohortId), {
    id: serverId("test", "sub", s.participantId.slice(0, 40), s.visitId, s.instrument),
    type: "assessment.submitted",
    actor: s.participantId,
    data: { ...s, total: score.total, band: score.band.code },
  });
}

/** PHQ-9 answers adding up to `total` with item 9 at 0 (no safety alert). */
export function phq9Answers(total: number): number[] {
  const out: number[] = [];
  let left = total;
  for (let i = 0; i < 9; i++) {
    const v = i === 8 ? 0 : Math.min(3, left);
    out.push(v);
    left -= v;
  }
  return out;
}

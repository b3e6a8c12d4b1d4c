import type { ProgramState } from "../../shared/domain/program.js";
import type { DosingHistory } from "../../shared/domain/live-returning.js";
import type { Services } from "../services.js";

/**
 * [SCH7][LIVE2] Each participant's doses in the program's live sessions other than `except`, read
 * from the logs (every cohort of the program, every session opened in it). Used to decide, per
 * participant, whether they are a returning client — at scheduling and at release. Reads scale with
 * the program's sessions, which is fine for these two rare commands; it is never on a hot path.
 */
export async function dosingHistory(
  s: Pick<Services, "streams">,
  program: ProgramState,
  participants: readonly string[],
  except: string | null = null,
): Promise<DosingHistory> {
  const wanted = new Set(participants);
  const out: Record<string, string[]> = {};
  for (const p of wanted) out[p] = [];
  for (const cohortId of program.cohorts) {
    const cohort = await s.streams.state("cohort", cohortId);
    if (!cohort.participants.some((p) => wanted.has(p))) continue;
    for (const { id } of cohort.sessions) {
      if (id === except) continue;
      const session = await s.streams.state("session", id);
      for (const [participantId, live] of Object.entries(session.live.participants)) {
        const mine = out[participantId];
        if (mine) mine.push(...live.doses.map((d) => d.givenAt));
      }
    }
  }
  return out;
}

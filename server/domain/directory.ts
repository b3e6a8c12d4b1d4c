import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { isCohortMember, type CohortState } from "../../shared/domain/cohort.js";
import type { Viewer } from "../../shared/domain/roles.js";
import type { SessionState } from "../../shared/domain/session.js";
import type { ProgramState } from "../../shared/domain/program.js";
import { streamId, streamKind, type StreamName } from "../../shared/log.js";
import type { PublicUser } from "../../shared/protocol/events.js";
import { publicUser, type UserRecord, type Users } from "../auth/users.js";
import type { StreamService } from "./stream-service.js";
import { authorizeCircleStream } from "./circles.js";

export interface CohortSummary {
  id: string;
  name: string;
  /** `closedAt`: when the session ended (its own log's session.closed), or null while live [LIVE6]. */
  sessions: { id: string; title: string; openedAt: string; closedAt: string | null }[];
  /** Integration circles of the cohort (issue 5). */
  circles: { id: string; title: string; startedAt: string }[];
}

/**
 * Who belongs where, read from the server-side roster (the program and cohort logs) [AC4].
 * A room that does not exist and a room the person is not in give the same answer, so the
 * reply does not reveal which rooms exist.
 */
export class Directory {
  constructor(
    private readonly streams: StreamService,
    private readonly users: Users,
  ) {}

  async cohortsOf(user: UserRecord): Promise<CohortState[]> {
    // An admin also sees the cohorts of programs they created (listed in a KV index).
    const programIds = user.role === "admin" ? await this.users.adminProgramIds(user) : [user.programId];
    const perProgram = await Promise.all(
      programIds.map(async (pid) => {
        const program = await this.streams.state("program", pid);
        const cohorts = await Promise.all(program.cohorts.map((id) => this.streams.state("cohort", id)));
        return cohorts.filter((c) => isCohortMember(c, viewerOf(user), program.admins));
      }),
    );
    return perProgram.flat();
  }

  async summaries(user: UserRecord): Promise<CohortSummary[]> {
    return Promise.all(
      (await this.cohortsOf(user)).map(async (c) => ({
        id: c.id,
        name: c.name,
        // Whether each has ended lives in the session's own log (read through the node's cache).
        sessions: await Promise.all(
          c.sessions.map(async (x) => ({ ...x, closedAt: (await this.streams.state("session", x.id)).closedAt })),
        ),
        circles: c.circles.map(({ id, title, startedAt }) => ({ id, title, startedAt })),
      })),
    );
  }

  async cohortFor(user: UserRecord, cohortId: string): Promise<CohortState> {
    return (await this.cohortAndProgram(user, cohortId)).cohort;
  }

  private async cohortAndProgram(
    user: UserRecord,
    cohortId: string,
  ): Promise<{ cohort: CohortState; program: ProgramState }> {
    const cohort = await this.streams.state("cohort", cohortId);
    const program = cohort.programId === null ? null : await this.streams.state("program", cohort.programId);
    if (!program || !isCohortMember(cohort, viewerOf(user), program.admins)) {
      throw new AppError(ErrorCode.NOT_FOUND, "That cohort does not exist or you are not part of it.");
    }
    return { cohort, program };
  }

  /** [AC4] The session, its cohort and program (all just caught up), if this person belongs to the cohort. */
  async sessionFor(user: UserRecord, sessionId: string): Promise<SessionContext> {
    const fast = await this.sessionInOneTrip(user, sessionId);
    if (fast) return fast;
    const session = await this.streams.state("session", sessionId);
    if (session.status === "none" || session.cohortId === null) {
      throw new AppError(ErrorCode.NOT_FOUND, "That session does not exist or you are not part of it.");
    }
    try {
      return { session, ...(await this.cohortAndProgram(user, session.cohortId)) };
    } catch (err) {
      // Only a refusal becomes "not found". A store failure stays a failure (UNAVAILABLE), so a
      // client retries it: a final NOT_FOUND would make a participant's "I need support" give up [LIVE6].
      if (err instanceof AppError)
        throw new AppError(ErrorCode.NOT_FOUND, "That session does not exist or you are not part of it.");
      throw err;
    }
  }

  /**
   * The hot path of every dosing-day command: when this node already knows which cohort and
   * program the session belongs to (neither ever changes once set), the three streams are caught
   * up from the log in one round trip. Null when it does not know yet (the slow path learns it).
   */
  private async sessionInOneTrip(user: UserRecord, sessionId: string): Promise<SessionContext | null> {
    const cohortId = this.streams.cached("session", sessionId)?.cohortId ?? null;
    const programId = cohortId === null ? null : (this.streams.cached("cohort", cohortId)?.programId ?? null);
    if (cohortId === null || programId === null) return null;
    const [session, cohort, program] = await this.streams.states(
      ["session", sessionId],
      ["cohort", cohortId],
      ["program", programId],
    );
    if (session.cohortId !== cohortId || cohort.programId !== programId) return null;
    if (session.status === "none" || !isCohortMember(cohort, viewerOf(user), program.admins)) {
      throw new AppError(ErrorCode.NOT_FOUND, "That session does not exist or you are not part of it.");
    }
    return { session, cohort, program };
  }

  /** [AC4] Whether this person may read a stream at all. */
  async authorizeStream(user: UserRecord, stream: StreamName): Promise<void> {
    const id = streamId(stream);
    const kind = streamKind(stream);
    switch (kind) {
      case "session":
        await this.sessionFor(user, id);
        return;
      case "cohort":
      case "outcome":
        // [AC2] A cohort's outcome log: its staff, and its participants (who see only their own events).
        await this.cohortFor(user, id);
        return;
      case "circle":
      case "notes":
      case "journal":
      case "fnote":
        await authorizeCircleStream(this.streams, this, user, kind, id);
        return;
      case "index":
        // The live-session index is for the server's own jobs; no person reads it.
        throw new AppError(ErrorCode.NOT_FOUND, "That stream does not exist.");
      case "program": {
        const program = await this.streams.state("program", id);
        if (!program.admins.includes(user.id))
          throw new AppError(ErrorCode.NOT_FOUND, "That program does not exist or you are not one of its admins.");
        return;
      }
    }
  }

  /** Names of the cohort's people, for rosters. */
  async people(cohort: CohortState): Promise<PublicUser[]> {
    const ids = [...cohort.facilitators, ...cohort.participants];
    const records = await Promise.all(ids.map((id) => this.users.get(id)));
    return records.filter((u): u is UserRecord => u !== null).map(publicUser);
  }
}

export interface SessionContext {
  session: SessionState;
  cohort: CohortState;
  program: ProgramState;
}

export function viewerOf(user: UserRecord): Viewer {
  return { userId: user.id, role: user.role };
}

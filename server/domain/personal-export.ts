import { patientSystemOf } from "./program-context.js";
import { DateTime } from "luxon";
import { streamName, type StoredEvent, type StreamKind } from "../../shared/log.js";
import { canSee } from "../../shared/domain/roles.js";
import { streamDefs } from "../../shared/domain/streams.js";
import { submissionsOf } from "../../shared/domain/outcome.js";
import type { CohortState } from "../../shared/domain/cohort.js";
import { definitionOf } from "../../shared/outcomes/score.js";
import { outcomeBundle, type ExportedSubmission } from "../../shared/outcomes/fhir.js";
import type { Bundle } from "../../shared/outcomes/fhir-types.js";
import type { ProgramInfo } from "../../shared/protocol/admin-views.js";
import { AppError, ErrorCode } from "../../shared/protocol/errors.js";
import { publicUser, type UserRecord } from "../auth/users.js";
import type { Services } from "../services.js";
import { viewerOf } from "./directory.js";
import { profileOf } from "./program-context.js";

/**
 * [REC2] A participant's own record, to download: the events of their streams that are theirs,
 * their questionnaires (answers, totals, bands), their journal, and how long it is all kept.
 * Read straight from the logs, through the same audience functions that decide what their socket
 * receives, so the export can never hold more than they could already see [AC2][AC3].
 */

const PAGE = 500;

/** Every kept event of a stream, oldest first, read a page at a time. */
async function allEvents(s: Services, kind: StreamKind, id: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await s.log.read(streamName(kind, id), after, PAGE);
    out.push(...page.events);
    const last = page.events.at(-1);
    if (last === undefined || last.seq >= page.head) return out;
    after = last.seq;
  }
}

/**
 * The events that are this participant's: ones they may see AND that are about them — addressed
 * to them alone (their check-ins, screening, consent, submissions, their alert and its answer) or
 * made by them (a talking-piece pass, a shared journal entry). Everything addressed to the whole
 * room (the schedule's `session.opened`, prompts) is the room's, not their record; anything
 * another participant did or is about them is outside their audience and never included.
 */
export function ownEvents(kind: StreamKind, events: readonly StoredEvent[], user: UserRecord): StoredEvent[] {
  const viewer = viewerOf(user);
  return events.filter((e) => {
    const audience = streamDefs[kind].audience(e);
    if (!canSee(audience, viewer)) return false;
    return (audience.kind === "participant" && audience.userId === user.id) || e.actor === user.id;
  });
}

/** The streams a participant's record lives in: per cohort its log, live sessions, circles and outcomes; their journal. */
function streamsOf(cohorts: readonly CohortState[], user: UserRecord): [StreamKind, string][] {
  const out: [StreamKind, string][] = [];
  for (const c of cohorts) {
    out.push(["cohort", c.id], ["outcome", c.id]);
    for (const x of c.sessions) out.push(["session", x.id]);
    for (const x of c.circles) out.push(["circle", x.id]);
  }
  out.push(["journal", user.id]);
  return out;
}

export interface QuestionnaireRecord {
  cohortId: string;
  submissionId: string;
  visitId: string;
  instrument: string;
  title: string;
  at: string;
  total: number;
  maxTotal: number;
  band: { code: string; label: string };
  answers: { linkId: string; question: string; value: number; answer: string | null }[];
}

function questionnaireRecord(x: ExportedSubmission): QuestionnaireRecord {
  const { cohortId, submission: s } = x;
  const def = definitionOf(s.instrument);
  const band = def.bands.find((b) => b.code === s.band);
  return {
    cohortId,
    submissionId: s.id,
    visitId: s.visitId,
    instrument: s.instrument,
    title: def.title,
    at: s.at,
    total: s.total,
    maxTotal: def.maxTotal,
    band: { code: s.band, label: band?.label ?? s.band },
    answers: def.items.map((item, i) => {
      const value = s.answers[i] ?? -1;
      return {
        linkId: item.linkId,
        question: item.text,
        value,
        answer: item.options.find((o) => o.value === value)?.label ?? null,
      };
    }),
  };
}

function onlyParticipants(user: UserRecord): void {
  if (user.role !== "participant")
    throw new AppError(ErrorCode.FORBIDDEN, "Only participants have a personal record to export.");
}

/** [OUT7] A participant's submissions in every cohort they are enrolled in. */
async function mySubmissions(s: Services, cohorts: readonly CohortState[], user: UserRecord) {
  const out: ExportedSubmission[] = [];
  for (const c of cohorts) {
    const outcome = await s.streams.state("outcome", c.id);
    for (const submission of submissionsOf(outcome, user.id)) out.push({ cohortId: c.id, submission });
  }
  return out;
}

export interface PersonalExport {
  format: "holdspace.personal-export";
  version: 1;
  exportedAt: string;
  person: ReturnType<typeof publicUser>;
  program: ProgramInfo;
  /** [REC2] The profile's retention, counted from the most recent entry of the record. */
  retention: { years: number; keptUntil: string | null; rule: string };
  cohorts: { id: string; name: string }[];
  questionnaires: QuestionnaireRecord[];
  journal: { entryId: string; text: string; circleId: string | null; at: string }[];
  streams: { stream: string; events: StoredEvent[] }[];
}

/** [REC2] The signed-in participant's own record. */
export async function personalExport(s: Services, user: UserRecord): Promise<PersonalExport> {
  onlyParticipants(user);
  const cohorts = await s.directory.cohortsOf(user);
  const program = await s.streams.state("program", user.programId);
  const profile = profileOf(program);
  const streams: PersonalExport["streams"] = [];
  for (const [kind, id] of streamsOf(cohorts, user)) {
    const events = ownEvents(kind, await allEvents(s, kind, id), user);
    if (events.length > 0) streams.push({ stream: streamName(kind, id), events });
  }
  const latest = streams
    .flatMap((x) => x.events.map((e) => e.at))
    .sort()
    .at(-1);
  const journal = await s.streams.state("journal", user.id);
  const submissions = await mySubmissions(s, cohorts, user);
  return {
    format: "holdspace.personal-export",
    version: 1,
    exportedAt: new Date(s.clock.now()).toISOString(),
    person: publicUser(user),
    program: {
      id: program.id,
      name: program.name,
      zone: program.zone,
      profile: program.profile,
      profileName: profile.name,
      patientIdSystem: patientSystemOf(program),
    },
    retention: {
      years: profile.retentionYears,
      keptUntil:
        latest === undefined
          ? null
          : DateTime.fromISO(latest, { zone: "utc" }).plus({ years: profile.retentionYears }).toISO(),
      rule: `Records are kept ${profile.retentionYears} years after the most recent entry (${profile.name}).`,
    },
    cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })),
    questionnaires: submissions.map(questionnaireRecord),
    journal: journal.entries.map(({ entryId, text, circleId, at }) => ({ entryId, text, circleId, at })),
    streams,
  };
}

/** [OUT7][REC2] The signed-in participant's questionnaires as a FHIR R4 Bundle. */
export async function myFhirBundle(s: Services, user: UserRecord): Promise<Bundle> {
  onlyParticipants(user);
  const cohorts = await s.directory.cohortsOf(user);
  const program = await s.streams.state("program", user.programId);
  const who = { system: patientSystemOf(program), value: user.id, name: user.name };
  return outcomeBundle(who, await mySubmissions(s, cohorts, user), new Date(s.clock.now()).toISOString());
}

/**
 * [OUT7][AC2] One participant's questionnaires, for a facilitator of their cohort or the program's
 * admin. A participant is refused whatever the cohort (so the answer says nothing of it); a cohort
 * the person is not staff of answers exactly as one that does not exist.
 */
export async function participantFhirBundle(
  s: Services,
  user: UserRecord,
  cohortId: string,
  participantId: string,
): Promise<Bundle> {
  if (user.role === "participant")
    throw new AppError(
      ErrorCode.FORBIDDEN,
      "Only the cohort's facilitators and the program's admins can export a participant's record.",
    );
  const cohort = await s.directory.cohortFor(user, cohortId);
  if (!cohort.participants.includes(participantId))
    throw new AppError(ErrorCode.NOT_FOUND, "That participant is not in this cohort.");
  const person = await s.users.get(participantId);
  const outcome = await s.streams.state("outcome", cohort.id);
  const submissions = submissionsOf(outcome, participantId).map((submission) => ({ cohortId: cohort.id, submission }));
  const program = await s.streams.state("program", cohort.programId ?? person?.programId ?? "");
  const who = { system: patientSystemOf(program), value: participantId, name: person?.name ?? null };
  return outcomeBundle(who, submissions, new Date(s.clock.now()).toISOString());
}

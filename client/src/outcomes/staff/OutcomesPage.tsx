import { lazy, Suspense, useEffect, useMemo, useState } from "react";
import { firstDosingAt } from "../../../../shared/domain/cohort.js";
import type { OutcomeState } from "../../../../shared/domain/outcome.js";
import { CohortOverview, type Person } from "../../../../shared/protocol/admin-views.js";
import type { Instrument } from "../../../../shared/outcomes/instruments.js";
import { dueItems, visitKey } from "../../../../shared/outcomes/schedule.js";
import { definitionOf } from "../../../../shared/outcomes/score.js";
import { http } from "../../admin/http.js";
import { useCohortStream } from "../../admin/useCohortStream.js";
import { PageHeading } from "../../PageHeading.js";
import { dateTime, useNow } from "../../time.js";
import { cohortSeries } from "./chart-data.js";
import { ChartTable } from "./ChartTable.js";
import { DueGrid } from "./DueGrid.js";
import { OutcomeSummary } from "./OutcomeSummary.js";
import { SafetyAlerts } from "./SafetyAlerts.js";
import { ScheduleEditor } from "./ScheduleEditor.js";
import { useOutcomeStream } from "../useOutcomeStream.js";
import "../../admin/admin.css";
import "./outcomes.css";

// recharts is large: only a staff page that draws the chart loads it [OUT6].
const CohortChart = lazy(() => import("./CohortChart.js"));

/**
 * /cohort/:cohortId/outcomes, for the cohort's facilitators and its program's admins: the
 * questionnaires' safety alerts first [OUT2], then what is due per participant [OUT5], how each
 * is doing [OUT4] and the cohort chart with its table [OUT6] — all live from the cohort's
 * outcome log and its cohort stream (roster, first dosing); admins also edit the schedule.
 */
export function OutcomesPage(props: { cohortId: string; me: { id: string; name: string; role: string } }) {
  const { cohortId, me } = props;
  const admin = me.role === "admin";
  const cohort = useCohortStream(cohortId);
  const outcome = useOutcomeStream(cohortId);
  const now = useNow(30_000);
  const [overview, setOverview] = useState<CohortOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [instrument, setInstrument] = useState<Instrument | null>(null);
  const roster = cohort.state.participants.length + cohort.state.facilitators.length;

  useEffect(() => {
    void http("GET", `/api/cohorts/${encodeURIComponent(cohortId)}`, CohortOverview).then((r) =>
      r.ok ? setOverview(r.data) : setError(r.error.message),
    );
  }, [cohortId, roster]);

  const o = outcome.state;
  const people = useMemo(() => new Map((overview?.people ?? []).map((p) => [p.id, p])), [overview]);
  // Facilitators and participants are on the cohort's roster; an admin who acts is this person or
  // another of the program's admins, whose names the cohort's overview does not carry.
  const name = (id: string) => people.get(id)?.name ?? (id === me.id ? me.name : "A program admin");
  const participants = cohort.state.participants
    .map((id) => people.get(id))
    .filter((p): p is Person => p !== undefined);
  const alerts = Object.values(o.alerts)
    .filter((a) => a.kind === "selfharm")
    .sort((a, b) => b.seq - a.seq);

  if (!overview)
    return (
      <main className="page">
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
      </main>
    );

  const zone = overview.program.zone;
  const shown =
    instrument !== null && o.schedule.instruments.includes(instrument) ? instrument : o.schedule.instruments[0];
  const due = participants.map((p) => {
    const done = new Map(
      o.submissions.filter((s) => s.participantId === p.id).map((s) => [visitKey(s.visitId, s.instrument), s.id]),
    );
    const first = firstDosingAt(cohort.state, p.id);
    return { person: p, firstDosing: first, items: dueItems(o.schedule, first, zone, now, done) };
  });

  return (
    <main className="page outcomes-page" data-testid="outcomes-page" data-ready={outcome.ready && cohort.ready}>
      <PageHeading title={`Outcomes · ${overview.cohort.name}`}>Outcomes · {overview.cohort.name}</PageHeading>
      <p className="muted">
        {participants.length} participants · {overview.program.name} · times in {zone}
      </p>
      {outcome.error && (
        <p className="form-error" role="alert">
          {outcome.error}
        </p>
      )}
      <SafetyAlerts cohortId={cohortId} alerts={alerts} name={name} now={now} />

      <section className="card" aria-labelledby="due-h">
        <h2 id="due-h">Questionnaires due</h2>
        <p className="muted small">
          {o.scheduleSet
            ? `Schedule set by ${name(o.scheduleSet.by)} on ${dateTime(o.scheduleSet.at, zone)}.`
            : "The default schedule: baseline before the first dosing, then days 1, 7, 14, 28 and 42 after it."}{" "}
          Each visit is due for {o.schedule.windowDays} days, then overdue.
        </p>
        {admin && !editing && (
          <button type="button" onClick={() => setEditing(true)} data-testid="schedule-edit">
            Change the schedule
          </button>
        )}
        {admin && editing && (
          <ScheduleEditor cohortId={cohortId} schedule={o.schedule} onDone={() => setEditing(false)} />
        )}
        <DueGrid schedule={o.schedule} rows={due} zone={zone} />
      </section>

      {shown !== undefined && (
        <section className="card" aria-labelledby="course-h">
          <h2 id="course-h">How people are doing</h2>
          {o.schedule.instruments.length > 1 && (
            <div className="toolbar" role="group" aria-label="Questionnaire">
              {o.schedule.instruments.map((i) => (
                <button
                  key={i}
                  type="button"
                  aria-pressed={i === shown}
                  onClick={() => setInstrument(i)}
                  data-testid={`show-${i}`}
                >
                  {definitionOf(i).shortTitle}
                </button>
              ))}
            </div>
          )}
          <OutcomeSummary
            schedule={o.schedule}
            instrument={shown}
            participants={participants}
            submissions={o.submissions}
          />
          <h3>The cohort by visit</h3>
          <CohortView instrument={shown} participants={participants} state={o} />
        </section>
      )}
    </main>
  );
}

function CohortView(props: { instrument: Instrument; participants: readonly Person[]; state: OutcomeState }) {
  const { instrument, participants, state } = props;
  const def = definitionOf(instrument);
  const points = cohortSeries(
    state.schedule,
    instrument,
    state.submissions,
    participants.map((p) => p.id),
  );
  const [table, setTable] = useState(false);
  return (
    <>
      <p className="muted small">
        {def.shortTitle}: the thick line is the median, the shaded band the middle half of the scores, each dashed line
        one person; the background shows the severity bands.
      </p>
      <Suspense fallback={<p className="muted">Loading the chart…</p>}>
        <CohortChart def={def} points={points} participants={participants} />
      </Suspense>
      <button type="button" className="quiet small" aria-expanded={table} onClick={() => setTable(!table)}>
        {table ? "Hide the numbers" : "Show the numbers as a table"}
      </button>
      {/* Always in the page for screen readers; shown on request to everyone else. */}
      <div className={table ? "" : "sr-only"} data-testid="chart-table-wrap">
        <ChartTable points={points} participants={participants} title={def.shortTitle} />
      </div>
    </>
  );
}

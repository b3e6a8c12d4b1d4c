import { lazy, Suspense } from "react";
import type { CohortSummary, Me } from "../api.js";
import { definitionOf } from "../../../shared/outcomes/score.js";
import { PageHeading } from "../PageHeading.js";
import { useNow } from "../time.js";
import { DueList } from "./DueList.js";
import { ScoreTable } from "./ScoreTable.js";
import { useCohortDue } from "./useDue.js";
import "./outcomes.css";

// [OUT6] recharts is loaded only when a chart is shown.
const ScoreChart = lazy(() => import("./ScoreChart.js").then((m) => ({ default: m.ScoreChart })));

/**
 * /my/questionnaires — everything a participant has to answer or has answered, their own chart
 * and table per questionnaire [OUT6], and their record to download [REC2]. The outcome log
 * sends a participant only their own submissions, so this page cannot show anyone else's.
 */
export function MyQuestionnaires(props: { me: Me }) {
  const { me } = props;
  return (
    <main className="page dim" data-testid="my-questionnaires">
      <PageHeading title="My questionnaires" />
      {me.cohorts.length === 0 && <p className="muted">You are not part of any cohort yet.</p>}
      {me.cohorts.map((c) => (
        <CohortOutcomes key={c.id} cohort={c} userId={me.user.id} />
      ))}
      <section className="card" aria-labelledby="q-export-title">
        <h2 id="q-export-title">Your record</h2>
        <p className="muted">
          Download everything Holdspace keeps about you: your questionnaires and scores, your journal and what happened
          in your sessions. The second file is in the format health records use (FHIR), for your doctor or clinic.
        </p>
        <div className="q-downloads">
          <a href="/api/me/export" download data-testid="export-json">
            My record (JSON)
          </a>
          <a href="/api/me/export/fhir" download data-testid="export-fhir">
            For my health record (FHIR)
          </a>
        </div>
      </section>
    </main>
  );
}

function CohortOutcomes(props: { cohort: CohortSummary; userId: string }) {
  const { cohort, userId } = props;
  const due = useCohortDue(cohort.id, userId);
  const now = useNow(60_000);
  const visits = new Map(due.outcome.schedule.visits.map((v) => [v.id, v.label]));
  const visitLabel = (id: string): string => visits.get(id) ?? id;
  const instruments = [...new Set([...due.outcome.schedule.instruments, ...due.submissions.map((s) => s.instrument)])];
  return (
    <>
      <section className="card" aria-labelledby={`q-due-${cohort.id}`}>
        <h2 id={`q-due-${cohort.id}`}>To answer · {cohort.name}</h2>
        {due.ready ? (
          <DueList cohortId={cohort.id} userId={userId} items={due.items} zone={due.zone} upcoming={100} />
        ) : (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
      </section>
      {instruments.map((instrument) => {
        const def = definitionOf(instrument);
        const mine = due.submissions.filter((s) => s.instrument === instrument);
        const id = `q-scores-${cohort.id}-${instrument}`;
        return (
          <section key={instrument} className="card" aria-labelledby={id} data-testid={`scores-${instrument}`}>
            <h2 id={id}>My {def.shortTitle} scores</h2>
            {mine.length === 0 ? (
              <p className="muted">Nothing answered yet. Your chart appears here after your first {def.shortTitle}.</p>
            ) : (
              <>
                <Suspense
                  fallback={
                    <p className="muted" role="status">
                      Loading the chart…
                    </p>
                  }
                >
                  <ScoreChart def={def} submissions={mine} zone={due.zone} now={now} />
                </Suspense>
                <ScoreTable def={def} submissions={mine} zone={due.zone} visitLabel={visitLabel} />
              </>
            )}
          </section>
        );
      })}
    </>
  );
}

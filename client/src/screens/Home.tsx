import { lazy, Suspense, useEffect } from "react";
import { Link } from "wouter";
import type { CohortSummary, Me } from "../api.js";
import { dateTime } from "../time.js";
import { StartSessionForm } from "./StartSessionForm.js";
import { CircleList } from "../circle/CircleList.js";
import "./home.css";
import { PageHeading } from "../PageHeading.js";

// [OUT5] What is due, loaded apart: the schedule arithmetic (luxon) stays out of the first screen.
const HomeDue = lazy(() => import("../outcomes/HomeDue.js").then((m) => ({ default: m.HomeDue })));

/** The person's cohorts and their sessions; facilitators can start a live session per cohort. */
export function Home(props: { me: Me; refresh: () => Promise<void> }) {
  const { me, refresh } = props;

  // New sessions, and sessions that ended, appear when the person comes back to this page or to
  // the tab (no live cohort feed yet).
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    const onVisible = (): void => {
      if (document.visibilityState === "visible") void refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh]);

  return (
    <main className="page">
      <PageHeading title="Your sessions" />
      {me.user.role === "participant" && (
        <p>
          <Link href="/journal">My journal</Link>
        </p>
      )}
      {me.cohorts.length === 0 && <p className="muted">You are not part of any cohort yet.</p>}
      {me.user.role === "participant" && (
        <Suspense fallback={null}>
          <HomeDue me={me} />
        </Suspense>
      )}
      {me.cohorts.map((c) => (
        <Cohort key={c.id} cohort={c} canStart={me.user.role === "facilitator"} />
      ))}
    </main>
  );
}

function Cohort(props: { cohort: CohortSummary; canStart: boolean }) {
  const { cohort } = props;
  // Newest first: the session happening now is the one people look for.
  const sessions = [...cohort.sessions].sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  return (
    <section className="card" data-testid={`cohort-${cohort.id}`} aria-labelledby={`cohort-title-${cohort.id}`}>
      <h2 id={`cohort-title-${cohort.id}`}>{cohort.name}</h2>
      {sessions.length === 0 ? (
        <p className="muted">No live sessions yet.</p>
      ) : (
        <ul className="session-list">
          {sessions.map((s) => (
            <li key={s.id}>
              <Link href={`/session/${encodeURIComponent(s.id)}`} data-testid={`session-link-${s.id}`}>
                {s.title}
              </Link>
              {s.closedAt ? (
                <span className="muted" data-testid={`session-ended-${s.id}`}>
                  {" "}
                  · <strong className="ended-tag">ended</strong> {dateTime(s.closedAt)}
                </span>
              ) : (
                <span className="muted">
                  {" "}
                  · <strong className="live-tag">live</strong>, started {dateTime(s.openedAt)}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.canStart && <StartSessionForm cohortId={cohort.id} />}
      <CircleList cohortId={cohort.id} circles={cohort.circles} canStart={props.canStart} />
    </section>
  );
}

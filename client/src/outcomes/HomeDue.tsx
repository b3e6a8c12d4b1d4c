import { Link } from "wouter";
import type { CohortSummary, Me } from "../api.js";
import { DueList } from "./DueList.js";
import { useCohortDue } from "./useDue.js";
import "./outcomes.css";

/**
 * [OUT5] The home screen's "due" section for a participant, one card per cohort. Loaded apart
 * from the home screen (it brings the schedule arithmetic and luxon), so the first screen's
 * bundle stays as it was.
 */
export function HomeDue(props: { me: Me }) {
  return (
    <>
      {props.me.cohorts.map((c) => (
        <CohortDue key={c.id} cohort={c} userId={props.me.user.id} />
      ))}
    </>
  );
}

function CohortDue(props: { cohort: CohortSummary; userId: string }) {
  const { cohort } = props;
  const due = useCohortDue(cohort.id, props.userId);
  const title = `due-title-${cohort.id}`;
  return (
    <section className="card" aria-labelledby={title} data-testid={`due-${cohort.id}`}>
      <h2 id={title}>Questionnaires{props.cohort.name ? ` · ${cohort.name}` : ""}</h2>
      {due.ready ? (
        <DueList cohortId={cohort.id} userId={props.userId} items={due.items} zone={due.zone} upcoming={2} />
      ) : (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      <p>
        <Link href="/my/questionnaires">All my questionnaires and my chart</Link>
      </p>
    </section>
  );
}

import { TableScroll } from "./TableScroll.js";
import type { Submission } from "../../../../shared/domain/outcome.js";
import type { Person } from "../../../../shared/protocol/admin-views.js";
import type { Instrument } from "../../../../shared/outcomes/instruments.js";
import type { AssessmentSchedule } from "../../../../shared/outcomes/schedule.js";
import { bandOf, definitionOf } from "../../../../shared/outcomes/score.js";
import { courseOf, courseWords, type CourseSummary } from "./summary-local.js";

function yesNo(v: boolean | null): string {
  return v === null ? "—" : v ? "Yes" : "No";
}

function signed(n: number | null): string {
  if (n === null) return "—";
  return n > 0 ? `+${n}` : String(n);
}

function withBand(instrument: Instrument, total: number | null): string {
  return total === null ? "—" : `${total} (${bandOf(definitionOf(instrument), total).label})`;
}

/** "2 of 3 with a score after baseline" — the cohort's line under the table [OUT4]. */
function cohortLine(courses: readonly CourseSummary[]): string {
  const judged = courses.filter((c) => c.response !== null);
  if (judged.length === 0) return "No one has a score after their baseline yet.";
  const resp = judged.filter((c) => c.response).length;
  const rem = judged.filter((c) => c.remission).length;
  const of = `of ${judged.length} with a baseline and a later score`;
  return `Cohort: ${resp} ${of} responded (a drop of at least 50 %), ${rem} in remission.`;
}

/**
 * [OUT4] Per participant and questionnaire: baseline, latest, change, response and remission —
 * as numbers with their band, and the same course in a sentence; the cohort's count below.
 */
export function OutcomeSummary(props: {
  schedule: AssessmentSchedule;
  instrument: Instrument;
  participants: readonly Person[];
  submissions: readonly Submission[];
}) {
  const { schedule, instrument, participants, submissions } = props;
  const def = definitionOf(instrument);
  const rows = participants.map((p) => ({
    person: p,
    course: courseOf(
      schedule,
      instrument,
      submissions.filter((s) => s.participantId === p.id),
    ),
  }));
  return (
    <>
      <TableScroll label={`${def.shortTitle} by participant`}>
        <table className="outcome-table" data-testid={`summary-${instrument}`}>
          <caption className="muted small">
            {def.shortTitle}: response is a drop of at least 50 % from baseline; remission is {def.remissionAtMost} or
            less.
          </caption>
          <thead>
            <tr>
              <th scope="col">Participant</th>
              <th scope="col">Baseline</th>
              <th scope="col">Latest</th>
              <th scope="col">Change</th>
              <th scope="col">Response</th>
              <th scope="col">Remission</th>
              <th scope="col">In words</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ person, course: c }) => (
              <tr key={person.id} data-testid={`summary-row-${instrument}-${person.id}`}>
                <th scope="row">{person.name}</th>
                <td>{withBand(instrument, c.baseline)}</td>
                <td>{withBand(instrument, c.latest)}</td>
                <td className="change">
                  {signed(c.change)}
                  {c.changeShare !== null && ` (${Math.round(c.changeShare * 100)} %)`}
                </td>
                <td>{yesNo(c.response)}</td>
                <td>{yesNo(c.remission)}</td>
                <td className="small">{courseWords(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="small" data-testid={`cohort-line-${instrument}`}>
        {cohortLine(rows.map((r) => r.course))}
      </p>
    </>
  );
}

import type { Submission } from "../../../../shared/domain/outcome.js";
import type { Person } from "../../../../shared/protocol/admin-views.js";
import type { Instrument } from "../../../../shared/outcomes/instruments.js";
import type { AssessmentSchedule } from "../../../../shared/outcomes/schedule.js";
import { definitionOf } from "../../../../shared/outcomes/score.js";
import { summarize, summarizeCohort, type Point } from "../../../../shared/outcomes/summary.js";
import { TableScroll } from "./TableScroll.js";

function yesNo(v: boolean | null): string {
  return v === null ? "—" : v ? "Yes" : "No";
}

function signed(n: number | null): string {
  if (n === null) return "—";
  return n > 0 ? `+${n}` : String(n);
}

function withBand(p: Point | null): string {
  return p === null ? "—" : `${p.total} (${p.band.label})`;
}

/**
 * [OUT4] Per participant and questionnaire: baseline, latest, change, response and remission —
 * as numbers with their band, and the same course in a sentence (shared/outcomes/summary.ts, as
 * the participant's page and the export say it); the cohort's counts below.
 */
export function OutcomeSummary(props: {
  schedule: AssessmentSchedule;
  instrument: Instrument;
  participants: readonly Person[];
  submissions: readonly Submission[];
}) {
  const { schedule, instrument, participants, submissions } = props;
  const def = definitionOf(instrument);
  const onRoster = new Set(participants.map((p) => p.id));
  const cohort = summarizeCohort(
    submissions.filter((s) => onRoster.has(s.participantId)),
    schedule,
    instrument,
  );
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
            {participants.map((person) => {
              const c = summarize(submissions, schedule, person.id, instrument);
              return (
                <tr key={person.id} data-testid={`summary-row-${instrument}-${person.id}`}>
                  <th scope="row">{person.name}</th>
                  <td>{withBand(c.baseline)}</td>
                  <td>{withBand(c.latest)}</td>
                  <td className="change">
                    {signed(c.change)}
                    {c.percentChange !== null && ` (${Math.round(c.percentChange)} %)`}
                  </td>
                  <td>{yesNo(c.response)}</td>
                  <td>{yesNo(c.remission)}</td>
                  <td className="small">{c.words}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <p className="small" data-testid={`cohort-line-${instrument}`}>
        {cohort.words}
      </p>
    </>
  );
}

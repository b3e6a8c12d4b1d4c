import type { Submission } from "../../../shared/domain/outcome.js";
import type { QuestionnaireDef } from "../../../shared/outcomes/instruments.js";
import { dateTime } from "../time.js";

/** [OUT6] The chart's text alternative: a real table, one row per answered questionnaire. */
export function ScoreTable(props: {
  def: QuestionnaireDef;
  submissions: Submission[];
  zone: string;
  visitLabel: (visitId: string) => string;
}) {
  const { def, zone } = props;
  return (
    <div className="q-table-wrap">
      <table className="q-table" data-testid={`table-${def.instrument}`}>
        <caption>
          Your {def.shortTitle} scores over time (0 to {def.maxTotal}; lower is better)
        </caption>
        <thead>
          <tr>
            <th scope="col">Visit</th>
            <th scope="col">Date</th>
            <th scope="col">Score</th>
            <th scope="col">What it means</th>
          </tr>
        </thead>
        <tbody>
          {props.submissions.map((s) => (
            <tr key={s.id}>
              <th scope="row">{props.visitLabel(s.visitId)}</th>
              <td>{dateTime(s.at, zone)}</td>
              <td>{s.total}</td>
              <td>{def.bands.find((b) => b.code === s.band)?.label ?? s.band}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { TableScroll } from "./TableScroll.js";
import type { Person } from "../../../../shared/protocol/admin-views.js";
import { fmt, type VisitPoint } from "./chart-data.js";

/**
 * [OUT6] The chart's text alternative: every number the chart draws, per visit — median, spread
 * (quartiles), range and each participant's score. Shown to everyone under a disclosure; screen
 * readers reach it like any table.
 */
export function ChartTable(props: { points: readonly VisitPoint[]; participants: readonly Person[]; title: string }) {
  const { points, participants } = props;
  return (
    <TableScroll label={`${props.title} by visit`}>
      <table className="outcome-table" data-testid="chart-table">
        <caption className="muted small">{props.title}: the numbers behind the chart</caption>
        <thead>
          <tr>
            <th scope="col">Visit</th>
            <th scope="col">Answered</th>
            <th scope="col">Median</th>
            <th scope="col">Middle half</th>
            <th scope="col">Range</th>
            {participants.map((p) => (
              <th scope="col" key={p.id}>
                {p.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points.map((v) => (
            <tr key={v.visitId}>
              <th scope="row">{v.label}</th>
              <td>{v.n}</td>
              <td>{fmt(v.median)}</td>
              <td>{v.spread ? `${fmt(v.spread[0])}–${fmt(v.spread[1])}` : "—"}</td>
              <td>{v.min === null ? "—" : `${fmt(v.min)}–${fmt(v.max)}`}</td>
              {participants.map((p) => (
                <td key={p.id}>{fmt(v.scores[p.id] ?? null)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

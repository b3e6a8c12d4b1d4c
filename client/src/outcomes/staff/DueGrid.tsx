import { TableScroll } from "./TableScroll.js";
import type { Person } from "../../../../shared/protocol/admin-views.js";
import type { AssessmentSchedule, DueItem, VisitStatus } from "../../../../shared/outcomes/schedule.js";
import { definitionOf } from "../../../../shared/outcomes/score.js";
import { dateTime } from "../../time.js";

/** A status in words and a mark that is not only a colour (dim room, colour blindness). */
const STATUS: Record<VisitStatus, { mark: string; word: string }> = {
  done: { mark: "✓", word: "Done" },
  due: { mark: "●", word: "Due" },
  overdue: { mark: "!", word: "Overdue" },
  upcoming: { mark: "·", word: "Later" },
  missed: { mark: "–", word: "Missed" },
};

export interface ParticipantDue {
  person: Person;
  firstDosing: string | null;
  items: DueItem[];
}

function title(it: DueItem, zone: string): string {
  const name = definitionOf(it.instrument).shortTitle;
  const when =
    it.status === "upcoming" && it.opensAt
      ? `, opens ${dateTime(it.opensAt, zone)}`
      : (it.status === "due" || it.status === "overdue") && it.dueBy
        ? `, due by ${dateTime(it.dueBy, zone)}`
        : "";
  return `${it.label} ${name}: ${STATUS[it.status].word}${when}`;
}

/**
 * [OUT5] Due, overdue and done per participant, visit and questionnaire: one row per participant,
 * one column per visit, one mark per questionnaire in it. Marks carry a word for screen readers
 * and a tooltip with the date; the counts at the row's end say what needs chasing.
 */
export function DueGrid(props: { schedule: AssessmentSchedule; rows: readonly ParticipantDue[]; zone: string }) {
  const { schedule, rows, zone } = props;
  return (
    <TableScroll label="Questionnaires due, by participant and visit">
      <table className="due-grid" data-testid="due-grid">
        <caption className="muted small">
          ✓ done · ● due · ! overdue · · later · – missed. Columns are visits; each shows{" "}
          {schedule.instruments.map((i) => definitionOf(i).shortTitle).join(" then ")}.
        </caption>
        <thead>
          <tr>
            <th scope="col">Participant</th>
            {schedule.visits.map((v) => (
              <th scope="col" key={v.id}>
                {v.label}
              </th>
            ))}
            <th scope="col">To chase</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const overdue = r.items.filter((i) => i.status === "overdue").length;
            const due = r.items.filter((i) => i.status === "due").length;
            return (
              <tr key={r.person.id} data-testid={`due-row-${r.person.id}`}>
                <th scope="row">{r.person.name}</th>
                {schedule.visits.map((v) => (
                  <td key={v.id}>
                    {r.items
                      .filter((i) => i.visitId === v.id)
                      .map((i) => (
                        <span
                          key={i.instrument}
                          className={`due-mark ${i.status}`}
                          title={title(i, zone)}
                          data-status={i.status}
                          data-testid={`due-${r.person.id}-${i.visitId}-${i.instrument}`}
                        >
                          <span aria-hidden="true">{STATUS[i.status].mark}</span>
                          <span className="sr-only">{title(i, zone)}</span>
                        </span>
                      ))}
                  </td>
                ))}
                <td className={overdue > 0 ? "chase overdue" : "chase"}>
                  {overdue === 0 && due === 0
                    ? "Nothing"
                    : [overdue > 0 ? `${overdue} overdue` : "", due > 0 ? `${due} due` : ""].filter(Boolean).join(", ")}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}

import { Link } from "wouter";
import type { DueItem } from "../../../shared/outcomes/schedule.js";
import { definitionOf } from "../../../shared/outcomes/score.js";
import { dateTime, dayHeading } from "../time.js";
import { startedHere } from "./draft.js";

export function questionnaireHref(cohortId: string, d: DueItem): string {
  return `/my/questionnaires/${encodeURIComponent(cohortId)}/${encodeURIComponent(d.visitId)}/${d.instrument}`;
}

/** When it stops being due, in words: the day before `dueBy` (visits), or the first dosing (baseline). */
function dueWords(d: DueItem, zone: string): string {
  if (d.dueBy === null) return "Before your first dosing day";
  if (d.opensAt === null) return `Before your first dosing, ${dateTime(d.dueBy, zone)}`;
  return `Until ${dayHeading(Date.parse(d.dueBy) - 1, zone)}`;
}

/**
 * [OUT5] Due and overdue questionnaires, each with a button to start it (or resume it when it
 * was begun on this phone), then the upcoming ones with the day they open.
 */
export function DueList(props: { cohortId: string; userId: string; items: DueItem[]; zone: string; upcoming: number }) {
  const { cohortId, zone } = props;
  const open = props.items.filter((d) => d.status === "due" || d.status === "overdue");
  const upcoming = props.items.filter((d) => d.status === "upcoming").slice(0, props.upcoming);
  return (
    <>
      {open.length === 0 ? (
        <p className="muted" data-testid="due-none">
          Nothing to answer right now.
        </p>
      ) : (
        <ul className="due-list" data-testid="due-open">
          {open.map((d) => {
            const def = definitionOf(d.instrument);
            const resume = startedHere(
              { userId: props.userId, cohortId, visitId: d.visitId, instrument: d.instrument },
              def.items.length,
            );
            return (
              <li key={`${d.visitId}/${d.instrument}`}>
                <span>
                  <strong>
                    {def.shortTitle} · {d.label}
                  </strong>{" "}
                  <span className={d.status === "overdue" ? "due-tag overdue" : "due-tag"}>
                    {d.status === "overdue" ? "Overdue" : "Due"}
                  </span>
                  <br />
                  <span className="muted small">{d.status === "overdue" ? "Still open" : dueWords(d, zone)}</span>
                </span>
                <Link className="due-start" href={questionnaireHref(cohortId, d)}>
                  {resume ? "Resume" : "Start"}
                  <span className="sr-only">
                    {" "}
                    the {def.shortTitle} for {d.label}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      {upcoming.length > 0 && (
        <>
          <h3 className="due-sub">Coming up</h3>
          <ul className="due-list" data-testid="due-upcoming">
            {upcoming.map((d) => (
              <li key={`${d.visitId}/${d.instrument}`}>
                <span>
                  {definitionOf(d.instrument).shortTitle} · {d.label}
                </span>
                <span className="muted small">
                  {d.opensAt ? `Opens ${dayHeading(d.opensAt, zone)}` : "Once your first dosing day is set"}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

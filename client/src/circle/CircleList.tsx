import { Link } from "wouter";
import { dateTime } from "../time.js";
import { StartCircleForm } from "./StartCircleForm.js";
import "../screens/home.css";

/** The cohort's integration circles on the home screen; facilitators can start one. */
export function CircleList(props: {
  cohortId: string;
  circles: { id: string; title: string; startedAt: string }[];
  canStart: boolean;
}) {
  const circles = [...props.circles].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (
    <div className="circle-list" data-testid={`circles-${props.cohortId}`}>
      <h3>Integration circles</h3>
      {circles.length === 0 ? (
        <p className="muted">No circles yet.</p>
      ) : (
        <ul className="session-list">
          {circles.map((c) => (
            <li key={c.id}>
              <Link href={`/circle/${encodeURIComponent(c.id)}`} data-testid={`circle-link-${c.id}`}>
                {c.title}
              </Link>
              <span className="muted"> · started {dateTime(c.startedAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {props.canStart && <StartCircleForm cohortId={props.cohortId} />}
    </div>
  );
}

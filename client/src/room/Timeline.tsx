import type { Checkin, TimelineEntry } from "../../../shared/domain/session.js";
import { clock } from "../time.js";
import { STATUS_LABEL, describeTimeline } from "./labels.js";
import "./room.css";

/** The session's history, newest first, with people's names instead of ids. */
export function Timeline(props: {
  entries: TimelineEntry[];
  lastCheckin: Record<string, Checkin>;
  names: Map<string, string>;
}) {
  const name = (id: string): string => props.names.get(id) ?? "Someone";
  const entries = [...props.entries].reverse();
  if (entries.length === 0) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((e) => {
        // The reducer keeps only each person's latest check-in; when this entry is it, say how they are.
        const latest = e.subject ? props.lastCheckin[e.subject] : undefined;
        const shown = e.type === "checkin.recorded" && latest?.seq === e.seq ? latest : undefined;
        const detail = shown ? `: ${STATUS_LABEL[shown.status]}` : "";
        return (
          <li
            key={e.seq}
            data-testid={`timeline-entry-${e.seq}`}
            data-type={e.type}
            className={shown?.status === "need_support" ? "urgent" : undefined}
          >
            <time dateTime={e.at}>{clock(e.at)}</time>{" "}
            {describeTimeline(e.type, name(e.actor), e.subject ? name(e.subject) : null)}
            {detail}
          </li>
        );
      })}
    </ol>
  );
}

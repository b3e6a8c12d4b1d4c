import { useState } from "react";
import type { Alert, Alerts } from "../../../shared/domain/alerts.js";
import type { Checkin, TimelineEntry } from "../../../shared/domain/session.js";
import { clock } from "../time.js";
import { MOVEMENT_TYPES, STATUS_LABEL, describeAlertEntry, describeTimeline } from "./labels.js";
import "./room.css";
import "./alerts.css";

/**
 * The session's history, newest first, with people's names instead of ids. Alert lines say what
 * and who, and how it ended ("Chloe asked for support — answered by Jonah 10:40"); arrivals and
 * departures can be hidden.
 */
export function Timeline(props: {
  entries: TimelineEntry[];
  lastCheckin: Record<string, Checkin>;
  names: Map<string, string>;
  alerts: Alerts;
}) {
  const [hideMoves, setHideMoves] = useState(false);
  const name = (id: string): string => props.names.get(id) ?? (id === "system" ? "Holdspace" : "Someone");
  // An alert is named after the event that raised it, so its seq finds it from that entry.
  const raisedAt = new Map<number, Alert>(Object.values(props.alerts).map((a) => [a.seq, a]));
  const all = [...props.entries].reverse();
  const entries = hideMoves ? all.filter((e) => !MOVEMENT_TYPES.has(e.type)) : all;
  const moves = all.length - all.filter((e) => !MOVEMENT_TYPES.has(e.type)).length;
  return (
    <>
      <label className="check timeline-filter">
        <input
          type="checkbox"
          checked={hideMoves}
          onChange={(ev) => {
            setHideMoves(ev.target.checked);
          }}
        />{" "}
        Hide arrivals and departures{moves > 0 ? ` (${moves})` : ""}
      </label>
      {entries.length === 0 ? (
        <p className="muted">
          {all.length === 0 ? "Nothing has happened yet." : "Only arrivals and departures so far."}
        </p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {entries.map((e) => {
            const raised = raisedAt.get(e.seq);
            const about = raised ?? (e.alertId === undefined ? undefined : props.alerts[e.alertId]);
            // The reducer keeps only each person's latest check-in; when this entry is it, say how they are.
            const latest = e.subject ? props.lastCheckin[e.subject] : undefined;
            const shown = e.type === "checkin.recorded" && latest?.seq === e.seq ? latest : undefined;
            const text = about
              ? describeAlertEntry(e, about, raised !== undefined, name, (iso) => clock(iso))
              : `${describeTimeline(e.type, name(e.actor), e.subject ? name(e.subject) : null)}${shown ? `: ${STATUS_LABEL[shown.status]}` : ""}`;
            return (
              <li
                key={e.seq}
                data-testid={`timeline-entry-${e.seq}`}
                data-type={e.type}
                className={raised && raised.ack === null && raised.resolved === null ? "urgent" : undefined}
              >
                <time dateTime={e.at}>{clock(e.at)}</time> {text}
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

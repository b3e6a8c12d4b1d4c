import { useMemo, useState } from "react";
import { DateTime } from "luxon";
import type { ScheduleItem } from "../../../shared/protocol/admin-views.js";
import "./admin.css";
import "./schedule.css";

const KIND: Record<ScheduleItem["kind"], string> = {
  preparation: "Preparation (individual)",
  dosing: "Group dosing",
  circle: "Integration circle",
};

export function viewerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * [SCH1] The schedule in the program's zone, with a switch to the viewer's own; every time is
 * shown with its zone named, so nobody has to guess which clock a time is on.
 */
export function ScheduleView(props: {
  sessions: ScheduleItem[];
  programZone: string;
  names?: Map<string, string>;
  testId?: string;
}) {
  const mine = viewerZone();
  const [zone, setZone] = useState(props.programZone);
  const [mode, setMode] = useState<"agenda" | "week">("agenda");
  const [weekStart, setWeekStart] = useState(() => DateTime.now().setZone(props.programZone).startOf("week"));
  const inZone = (iso: string) => DateTime.fromISO(iso, { zone });
  const week = useMemo(() => weekStart.setZone(zone, { keepLocalTime: true }), [weekStart, zone]);

  const item = (s: ScheduleItem) => (
    <li key={s.id} className={`sched-item kind-${s.kind}`} data-testid={`sched-${s.id}`}>
      <span className="sched-time">
        {inZone(s.start).toFormat("HH:mm")}–{inZone(s.end).toFormat("HH:mm")}{" "}
        <abbr title={zone}>{inZone(s.start).toFormat("ZZZZ")}</abbr>
      </span>
      <span className="sched-title">
        <strong>{s.title}</strong> <span className="muted">· {KIND[s.kind]}</span>
        {s.plannedDoseMg !== null && <span className="muted"> · planned {s.plannedDoseMg} mg</span>}
        {s.shifted && (
          <span className="badge" title="This date's time fell in a daylight-saving gap">
            moved forward 1 h (clock change)
          </span>
        )}
      </span>
      <a
        className="small"
        href={`/api/calendar/${encodeURIComponent(s.cohortId)}/${encodeURIComponent(s.id)}.ics`}
        download
      >
        Add to calendar
      </a>
    </li>
  );

  return (
    <section className="schedule" data-testid={props.testId ?? "schedule"} data-zone={zone}>
      <div className="toolbar" role="group" aria-label="Schedule view">
        <button
          type="button"
          aria-pressed={zone === props.programZone}
          onClick={() => setZone(props.programZone)}
          data-testid="zone-program"
        >
          Program time ({props.programZone})
        </button>
        {mine !== props.programZone && (
          <button type="button" aria-pressed={zone === mine} onClick={() => setZone(mine)} data-testid="zone-mine">
            My time ({mine})
          </button>
        )}
        <span className="spacer" />
        <button type="button" aria-pressed={mode === "agenda"} onClick={() => setMode("agenda")}>
          Agenda
        </button>
        <button type="button" aria-pressed={mode === "week"} onClick={() => setMode("week")} data-testid="view-week">
          Week
        </button>
      </div>
      <p className="muted small" data-testid="zone-shown">
        Times shown in {zone}.
      </p>
      {props.sessions.length === 0 && <p className="muted">Nothing scheduled yet.</p>}
      {mode === "agenda" ? (
        <ol className="agenda">
          {groupByDay(props.sessions, zone).map(([day, list]) => (
            <li key={day}>
              <h3>{DateTime.fromISO(day).toFormat("cccc d LLLL yyyy")}</h3>
              <ul className="sched-list">{list.map(item)}</ul>
            </li>
          ))}
        </ol>
      ) : (
        <div>
          <div className="toolbar">
            <button type="button" onClick={() => setWeekStart((w) => w.minus({ weeks: 1 }))}>
              ← Previous week
            </button>
            <strong>Week of {week.toFormat("d LLL yyyy")}</strong>
            <button type="button" onClick={() => setWeekStart((w) => w.plus({ weeks: 1 }))}>
              Next week →
            </button>
          </div>
          <div className="week-grid">
            {Array.from({ length: 7 }, (_, i) => week.plus({ days: i })).map((d) => {
              const key = d.toISODate() ?? "";
              const list = props.sessions.filter((s) => inZone(s.start).toISODate() === key);
              return (
                <div key={key} className="week-day">
                  <h3>{d.toFormat("ccc d")}</h3>
                  <ul className="sched-list">{list.map(item)}</ul>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}

function groupByDay(sessions: ScheduleItem[], zone: string): [string, ScheduleItem[]][] {
  const map = new Map<string, ScheduleItem[]>();
  for (const s of [...sessions].sort((a, b) => a.start.localeCompare(b.start))) {
    const day = DateTime.fromISO(s.start, { zone }).toISODate() ?? s.start.slice(0, 10);
    map.set(day, [...(map.get(day) ?? []), s]);
  }
  return [...map.entries()];
}

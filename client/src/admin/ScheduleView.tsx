import { useMemo, useState, type ReactNode } from "react";
import { DateTime } from "luxon";
import type { ScheduleItem } from "../../../shared/protocol/admin-views.js";
import { dayHeading, hoursRange, localDate, timeRange } from "../time.js";
import { useZoneChoice } from "./zone-choice.js";
import "./admin.css";
import "./schedule.css";

const KIND: Record<ScheduleItem["kind"], string> = {
  preparation: "Preparation (individual)",
  dosing: "Group dosing",
  circle: "Integration circle",
};

/** A schedule day (YYYY-MM-DD) as a short column heading, "Mon 2 Mar". */
function shortDay(date: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" })
    .format(new Date(`${date}T12:00:00Z`))
    .replace(",", "");
}

/** Who a session is for and who leads it, by name: a preparation session is one person's [SCH8]. */
function peopleLine(s: ScheduleItem, names: Map<string, string> | undefined): string | null {
  if (!names) return null;
  const name = (id: string) => names.get(id) ?? "someone";
  const leads = s.facilitators.map(name).join(", ");
  if (s.kind === "preparation") return `For ${s.participants.map(name).join(", ")} · led by ${leads}`;
  return `${s.participants.length} ${s.participants.length === 1 ? "participant" : "participants"} · led by ${leads}`;
}

/**
 * [SCH1] A schedule, opened in the viewer's own zone with the program's one switch away (the
 * choice is remembered); every time comes from client/src/time.ts with its zone named.
 */
export function ScheduleView(props: {
  sessions: ScheduleItem[];
  programZone: string;
  names?: Map<string, string>;
  testId?: string;
  /** Admins: what each session offers besides "Add to calendar" (edit, cancel). */
  actions?: (s: ScheduleItem) => ReactNode;
}) {
  const { zone, mine, choose } = useZoneChoice(props.programZone);
  const [mode, setMode] = useState<"agenda" | "week">("agenda");
  const [weekOffset, setWeekOffset] = useState(0);
  const days = useMemo(() => {
    const monday = DateTime.now().setZone(zone).startOf("week").plus({ weeks: weekOffset });
    return Array.from({ length: 7 }, (_, i) => monday.plus({ days: i }).toISODate() ?? "");
  }, [zone, weekOffset]);

  const item = (s: ScheduleItem) => {
    const who = peopleLine(s, props.names);
    return (
      <li
        key={s.id}
        className={`sched-item kind-${s.kind}${s.status === "cancelled" ? " sched-cancelled" : ""}`}
        data-testid={`sched-${s.id}`}
        data-status={s.status}
      >
        <span className="sched-time">
          {mode === "week" ? hoursRange(s.start, s.end, zone) : timeRange(s.start, s.end, zone)}
        </span>
        <span className="sched-title">
          <strong>{s.title}</strong> <span className="muted">· {KIND[s.kind]}</span>
          {s.plannedDoseMg !== null && <span className="muted"> · planned {s.plannedDoseMg} mg</span>}
          {who && <span className="sched-people">{who}</span>}
          {s.status === "cancelled" && <span className="badge cancelled-badge">Cancelled</span>}
          {s.shifted && (
            <span className="badge" title="This date's time fell in a daylight-saving gap">
              moved forward 1 h (clock change)
            </span>
          )}
        </span>
        {s.status === "scheduled" && (
          <span className="sched-actions">
            <a
              className="small"
              href={`/api/calendar/${encodeURIComponent(s.cohortId)}/${encodeURIComponent(s.id)}.ics`}
              download
            >
              Add to calendar
            </a>
            {props.actions?.(s)}
          </span>
        )}
      </li>
    );
  };

  return (
    <section className="schedule" data-testid={props.testId ?? "schedule"} data-zone={zone}>
      <div className="toolbar" role="group" aria-label="Schedule view">
        <button type="button" aria-pressed={zone === mine} onClick={() => choose("mine")} data-testid="zone-mine">
          My time ({mine})
        </button>
        {mine !== props.programZone && (
          <button
            type="button"
            aria-pressed={zone !== mine}
            onClick={() => choose("program")}
            data-testid="zone-program"
          >
            Program time ({props.programZone})
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
        Times shown in {zone === mine ? "your time zone" : "the program's time zone"}, {zone}.
      </p>
      {props.sessions.length === 0 && <p className="muted">Nothing scheduled yet.</p>}
      {mode === "agenda" ? (
        <ol className="agenda">
          {groupByDay(props.sessions, zone).map(([day, list]) => (
            <li key={day}>
              <h3>{list[0] ? dayHeading(list[0].start, zone) : day}</h3>
              <ul className="sched-list">{list.map(item)}</ul>
            </li>
          ))}
        </ol>
      ) : (
        <div>
          <div className="toolbar">
            <button type="button" onClick={() => setWeekOffset((w) => w - 1)}>
              ← Previous week
            </button>
            <strong>Week of {shortDay(days[0] ?? "")}</strong>
            <button type="button" onClick={() => setWeekOffset((w) => w + 1)}>
              Next week →
            </button>
          </div>
          <div className="week-grid" data-testid="week-grid">
            {days.map((key) => {
              const list = props.sessions.filter((s) => localDate(s.start, zone) === key);
              return (
                <div key={key} className="week-day" data-testid={`week-day-${key}`}>
                  <h3>{shortDay(key)}</h3>
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
    const day = localDate(s.start, zone);
    map.set(day, [...(map.get(day) ?? []), s]);
  }
  return [...map.entries()];
}

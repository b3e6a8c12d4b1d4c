import { useEffect, useState } from "react";
import { navigate } from "wouter/use-browser-location";
import { MySchedule, type ScheduleItem } from "../../../shared/protocol/admin-views.js";
import { http } from "../admin/http.js";
import { sendCommand } from "../live/command.js";
import { serverNow, useConnection } from "../live/socket.js";
import { dateTime, timeRange } from "../time.js";

/** How early a scheduled dosing session can be started: the room is set up on the day. */
const SOON_MS = 24 * 3_600_000;

/** The facilitator's own dosing sessions in this cohort that have not ended, soonest first. */
function mine(sessions: readonly ScheduleItem[], cohortId: string, now: number): ScheduleItem[] {
  return sessions
    .filter((s) => s.cohortId === cohortId && s.kind === "dosing" && Date.parse(s.end) > now)
    .sort((a, b) => a.start.localeCompare(b.start));
}

/**
 * A facilitator starts the live room from one of their scheduled dosing sessions (today or in the
 * next 24 h), so the room runs on the schedule's title, people and times — not on a typed title.
 */
export function StartSessionForm(props: { cohortId: string }) {
  const { cohortId } = props;
  const [sessions, setSessions] = useState<ScheduleItem[] | null>(null);
  const [chosen, setChosen] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { connected } = useConnection();

  useEffect(() => {
    void http("GET", "/api/me/schedule", MySchedule).then((r) =>
      r.ok ? setSessions(mine(r.data.sessions, cohortId, serverNow())) : setError(r.error.message),
    );
  }, [cohortId]);

  const now = serverNow();
  const startable = (sessions ?? []).filter((s) => Date.parse(s.start) - now <= SOON_MS);
  const next = (sessions ?? []).find((s) => Date.parse(s.start) - now > SOON_MS);
  const picked = startable.find((s) => s.id === chosen) ?? startable[0];

  async function start(): Promise<void> {
    if (!picked) return;
    setError(null);
    setBusy(true);
    // Retried with the same id until acknowledged, so a flaky network never opens two rooms.
    const ack = await sendCommand("session:open", (id) => ({ id, cohortId, scheduledId: picked.id })).result;
    setBusy(false);
    if (ack.ok) navigate(`/session/${encodeURIComponent(ack.data.sessionId)}`);
    else setError(ack.error.message);
  }

  if (sessions === null) return error ? <p className="field-error">{error}</p> : null;
  if (!picked)
    return (
      <p className="muted" data-testid={`start-session-none-${cohortId}`}>
        No dosing session of yours is scheduled in the next 24 hours.
        {next && ` Your next one is “${next.title}”, ${dateTime(next.start)}.`}
      </p>
    );
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
      data-testid={`start-session-form-${cohortId}`}
    >
      <label className="field">
        <span>Scheduled dosing session</span>
        <select value={picked.id} onChange={(e) => setChosen(e.target.value)}>
          {startable.map((s) => (
            <option key={s.id} value={s.id}>
              {`${s.title} · ${timeRange(s.start, s.end)} · ${s.participants.length} ${s.participants.length === 1 ? "participant" : "participants"}`}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? (connected ? "Starting…" : "Waiting for connection…") : "Start live room"}
      </button>
      {error && (
        <p className="field-error" role="alert" data-testid={`start-session-error-${cohortId}`}>
          {error}
        </p>
      )}
    </form>
  );
}

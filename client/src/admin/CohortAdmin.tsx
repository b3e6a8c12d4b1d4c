import { useEffect, useState } from "react";
import { Link } from "wouter";
import { z } from "zod";
import {
  CohortOverview,
  ProgramOverview,
  type Person,
  type ScheduleItem,
} from "../../../shared/protocol/admin-views.js";
import { SeriesForm, SessionForm } from "../forms/ScheduleForms.js";
import { dateTime, timeRange } from "../time.js";
import { commandId, http } from "./http.js";
import { ReadinessBoard } from "./ReadinessBoard.js";
import { ScheduleView } from "./ScheduleView.js";
import { useCohortStream } from "./useCohortStream.js";
import "./admin.css";
import { PageHeading } from "../PageHeading.js";

const Invite = z.object({ token: z.string(), path: z.string(), expiresAt: z.string() });

/**
 * /admin/cohort/:id (admins) and /cohort/:id (facilitators): the cohort's schedule and its
 * readiness board, live from the cohort's stream; admins also assign, invite and schedule.
 */
export function CohortAdmin(props: { cohortId: string; admin: boolean }) {
  const { cohortId, admin } = props;
  const stream = useCohortStream(cohortId);
  const [overview, setOverview] = useState<CohortOverview | null>(null);
  const [programFacs, setProgramFacs] = useState<Person[]>([]);
  const [invite, setInvite] = useState<z.infer<typeof Invite> | null>(null);
  const [tab, setTab] = useState<"session" | "series" | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const roster = stream.state.participants.length + stream.state.facilitators.length;

  useEffect(() => {
    void http("GET", `/api/cohorts/${encodeURIComponent(cohortId)}`, CohortOverview).then((r) =>
      r.ok ? setOverview(r.data) : setError(r.error.message),
    );
  }, [cohortId, roster]);
  useEffect(() => {
    if (!admin || !overview) return;
    void http("GET", `/api/admin/programs/${encodeURIComponent(overview.program.id)}`, ProgramOverview).then(
      (r) => r.ok && setProgramFacs(r.data.facilitators),
    );
  }, [admin, overview]);

  if (error && !overview)
    return (
      <main className="page">
        <p className="form-error" role="alert">
          {error}
        </p>
      </main>
    );
  if (!overview)
    return (
      <main className="page">
        <p className="muted" role="status">
          Loading…
        </p>
      </main>
    );
  const people = new Map(overview.people.map((p) => [p.id, p]));
  const names = new Map(overview.people.map((p) => [p.id, p.name]));
  const facilitators = stream.state.facilitators
    .map((id) => people.get(id))
    .filter((p): p is Person => p !== undefined);
  const participants = stream.state.participants
    .map((id) => people.get(id))
    .filter((p): p is Person => p !== undefined);
  // Cancelled sessions stay on the cohort's schedule, marked so, for whoever had them planned.
  const schedule: ScheduleItem[] = stream.ready
    ? [
        ...stream.state.schedule.map((s) => ({ ...s, status: "scheduled" as const })),
        ...stream.state.cancelled.map((s) => ({ ...s, status: "cancelled" as const })),
      ].map((s) => ({ ...s, cohortId, cohortName: stream.state.name }))
    : overview.schedule;

  const editingItem = schedule.find((x) => x.id === editing && x.status === "scheduled");

  async function newInvite(): Promise<void> {
    const r = await http("POST", `/api/admin/cohorts/${encodeURIComponent(cohortId)}/invites`, Invite, {
      id: commandId(),
      ttlHours: 168,
    });
    if (r.ok) setInvite(r.data);
    else setError(r.error.message);
  }
  async function assign(userId: string): Promise<void> {
    const r = await http(
      "POST",
      `/api/admin/cohorts/${encodeURIComponent(cohortId)}/facilitators`,
      z.object({ seq: z.number() }),
      { id: commandId(), userId },
    );
    if (!r.ok) setError(r.error.message);
  }

  return (
    <main className="page" data-testid="cohort-admin">
      <PageHeading title={`Cohort · ${overview.cohort.name}`}>{overview.cohort.name}</PageHeading>
      <p className="muted">
        {stream.state.participants.length} of {overview.cohort.capacity} places taken · {overview.program.name} ·
        program time zone {overview.program.zone}
      </p>
      <p>
        <Link href={`/cohort/${encodeURIComponent(cohortId)}/outcomes`} data-testid="outcomes-link">
          Questionnaires and outcomes
        </Link>
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {admin && (
        <div className="admin-grid">
          <section className="card">
            <h2>Facilitators</h2>
            <p>{facilitators.map((f) => f.name).join(", ") || <span className="muted">None assigned yet.</span>}</p>
            {programFacs
              .filter((f) => !stream.state.facilitators.includes(f.id))
              .map((f) => (
                <button key={f.id} type="button" onClick={() => void assign(f.id)}>
                  Assign {f.name}
                </button>
              ))}
          </section>
          <section className="card">
            <h2>Enrolment link</h2>
            <p className="muted small">
              Each link works once and for 7 days. The person chooses their own name and password.
            </p>
            <button type="button" onClick={() => void newInvite()} data-testid="invite-create">
              Create an enrolment link
            </button>
            {invite && (
              <p>
                <input
                  readOnly
                  value={`${window.location.origin}${invite.path}`}
                  aria-label="Enrolment link"
                  data-testid="invite-url"
                  onFocus={(e) => e.target.select()}
                />
                <span className="muted small">Expires {dateTime(invite.expiresAt)}</span>
              </p>
            )}
          </section>
        </div>
      )}
      <section className="card">
        <h2>Readiness</h2>
        <ReadinessBoard cohortId={cohortId} />
      </section>
      <section className="card">
        <h2>Schedule</h2>
        {admin && (
          <div className="toolbar">
            <button
              type="button"
              aria-pressed={tab === "session"}
              onClick={() => setTab(tab === "session" ? null : "session")}
              data-testid="open-session-form"
            >
              Schedule a session
            </button>
            <button
              type="button"
              aria-pressed={tab === "series"}
              onClick={() => setTab(tab === "series" ? null : "series")}
              data-testid="open-series-form"
            >
              Weekly circles
            </button>
          </div>
        )}
        {admin && tab === "session" && (
          <SessionForm
            cohortId={cohortId}
            zone={overview.program.zone}
            facilitators={facilitators}
            participants={participants}
            onDone={() => setTab(null)}
          />
        )}
        {admin && tab === "series" && (
          <SeriesForm
            cohortId={cohortId}
            zone={overview.program.zone}
            facilitators={facilitators}
            participants={participants}
            onDone={() => setTab(null)}
            onCreated={(summary) => {
              setCreated(summary);
              setTab(null);
            }}
          />
        )}
        {created && (
          <p className="notice" role="status" data-testid="series-summary">
            Created: {created}.
          </p>
        )}
        {admin && editingItem && (
          <section className="card edit-card" aria-labelledby="edit-heading">
            <h3 id="edit-heading">
              Change “{editingItem.title}” · {timeRange(editingItem.start, editingItem.end, overview.program.zone)}
            </h3>
            <p className="muted small">
              Times below are in the program’s zone, {overview.program.zone}. Everyone’s calendar feed is updated.
            </p>
            <SessionForm
              key={`${editingItem.id}-${editingItem.sequence}`}
              cohortId={cohortId}
              zone={overview.program.zone}
              facilitators={facilitators}
              participants={participants}
              editing={editingItem}
              onDone={() => setEditing(null)}
            />
          </section>
        )}
        <ScheduleView
          sessions={schedule}
          programZone={overview.program.zone}
          names={names}
          actions={
            admin
              ? (x) => (
                  <button
                    type="button"
                    className="small"
                    aria-expanded={editing === x.id}
                    aria-label={`Change or cancel ${x.title}, ${timeRange(x.start, x.end)}`}
                    onClick={() => setEditing(editing === x.id ? null : x.id)}
                  >
                    {editing === x.id ? "Close" : "Change…"}
                  </button>
                )
              : undefined
          }
        />
      </section>
    </main>
  );
}

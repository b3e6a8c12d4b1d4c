import { useState } from "react";
import { isPending, type Alert } from "../../../../shared/domain/alerts.js";
import { sendCommand } from "../../live/command.js";
import { ago, clock } from "../../time.js";
import { useAlertSound } from "../../room/sound.js";
import "../../room/alerts.css";

/** Answered alerts stay listed this long, so the room sees who took it. */
const SHOW_ANSWERED_MS = 24 * 60 * 60 * 1000;

/**
 * [OUT2][LIVE6] The questionnaire safety alerts of this cohort, at the top of the page: each
 * pending one with "I'm on it" (any facilitator's acknowledgement stops the escalation), and the
 * answered ones of the last day saying who answered and when.
 */
export function SafetyAlerts(props: {
  cohortId: string;
  alerts: readonly Alert[];
  name: (id: string) => string;
  now: number;
}) {
  const pending = props.alerts.filter(isPending);
  const answered = props.alerts.filter((a) => a.ack !== null && props.now - Date.parse(a.ack.at) < SHOW_ANSWERED_MS);
  const shown = [...pending, ...answered];
  // The strip's notice stands aside on this page (AlertNotices), so this list chimes in its place.
  useAlertSound(
    pending.map((a) => a.id),
    pending.some((a) => a.tier > 0),
  );
  return (
    <section className="alerts outcome-alerts" aria-labelledby="outcome-alerts-h" data-testid="outcome-alerts">
      <div className="alerts-head">
        <h2 id="outcome-alerts-h">Safety alerts from questionnaires</h2>
        <span
          className={pending.length > 0 ? "alerts-count urgent" : "alerts-count"}
          role="status"
          data-count={pending.length}
        >
          {pending.length === 0 ? "None waiting" : `${pending.length} waiting for a response`}
        </span>
      </div>
      {shown.length > 0 && (
        <ul className="alert-list">
          {shown.map((a) => (
            <AlertRow key={a.id} cohortId={props.cohortId} alert={a} name={props.name} now={props.now} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertRow(props: { cohortId: string; alert: Alert; name: (id: string) => string; now: number }) {
  const { alert: a } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = isPending(a);
  const escalated = pending && a.tier > 0;
  const who = a.participantId === null ? "A participant" : props.name(a.participantId);

  function acknowledge(): void {
    setBusy(true);
    setError(null);
    void sendCommand("outcome:ack", (id) => ({ id, cohortId: props.cohortId, alertId: a.id })).result.then((r) => {
      setBusy(false);
      if (!r.ok) setError(r.error.message);
    });
  }

  return (
    <li
      className={escalated ? "alert-row pending escalated" : pending ? "alert-row pending" : "alert-row acked"}
      data-testid={`outcome-alert-${a.id}`}
      data-state={pending ? "pending" : "acknowledged"}
      data-tier={a.tier}
    >
      {escalated && (
        <p className="alert-escalated">
          <span aria-hidden="true">⚠⚠ </span>NO RESPONSE YET; everyone has been alerted{a.tier > 1 ? " again" : ""}
        </p>
      )}
      <div className="alert-what">
        <strong>
          <span aria-hidden="true">{pending ? "⚠ " : "✓ "}</span>
          {who} reported thoughts of self-harm on a questionnaire
        </strong>
        <span className="muted small">
          {" "}
          · {clock(a.raisedAt)} ({ago(a.raisedAt, props.now)})
        </span>
        <p className="small alert-detail">{a.detail}</p>
        {a.ack && (
          <p className="small" data-testid={`outcome-alert-ack-${a.id}`}>
            {props.name(a.ack.by)} responded at {clock(a.ack.at)}.
          </p>
        )}
      </div>
      {pending && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={acknowledge}
          data-testid={`outcome-ack-${a.id}`}
        >
          {busy ? "Sending…" : "I'm on it"}
        </button>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

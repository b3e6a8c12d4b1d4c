import { useEffect, useRef, useState, type RefObject } from "react";
import { isPending, visibleAlerts, type Alert, type Alerts } from "../../../shared/domain/alerts.js";
import { sendCommand } from "../live/command.js";
import { ago, clock } from "../time.js";
import { ALERT_LABEL } from "./labels.js";
import { announce } from "../live/announce.js";
import { useAlertSound } from "./sound.js";
import "./alerts.css";

const RECENT_MS = 5 * 60_000;

/** Whether the element is on screen; true until measured (and where IntersectionObserver is missing). */
function useOnScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [onScreen, setOnScreen] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const io = new IntersectionObserver((entries) => {
      setOnScreen(entries.some((e) => e.isIntersecting));
    });
    io.observe(el);
    return () => {
      io.disconnect();
    };
  }, [ref]);
  return onScreen;
}

/**
 * One sentence per change through the one live region (announce.ts): a new or escalated alert
 * interrupts, an answer waits for a pause. Keyed, so a re-render never repeats one.
 */
function useAnnounceAlerts(shown: readonly Alert[], name: (id: string) => string): void {
  // After every render, cheaply: each sentence is keyed, so only what is new is spoken.
  useEffect(() => {
    for (const a of shown) {
      const about = a.participantId ?? a.subjectId;
      const what = `${ALERT_LABEL[a.kind]}${about ? `: ${name(about)}` : ""}`;
      if (a.ack) announce(`${what} — answered by ${name(a.ack.by)} at ${clock(a.ack.at)}.`, "polite", `${a.id}:ack`);
      else if (a.tier > 0)
        announce(`${what} — no response yet; everyone has been alerted.`, "assertive", `${a.id}:${a.tier}`);
      else announce(`${what}.`, "assertive", `${a.id}:raised`);
    }
  });
}

/**
 * [LIVE6] Open alerts at the top of the facilitator's screen, loud until someone acknowledges:
 * words and an icon (never colour alone), a chime once sound is enabled, one big button each.
 * An acknowledgement by any facilitator, on any node, clears it here through the log.
 */
export function AlertsPanel(props: { sessionId: string; alerts: Alerts; name: (id: string) => string; now: number }) {
  // Answered support and vitals alerts stay a few minutes, so everyone sees who responded.
  const recent = Object.values(props.alerts).filter(
    (a) =>
      a.ack !== null &&
      a.resolved === null &&
      (a.kind === "support" || a.kind === "vitals") &&
      props.now - Date.parse(a.ack.at) < RECENT_MS,
  );
  const shown = [...visibleAlerts(props.alerts), ...recent].sort((a, b) => b.seq - a.seq);
  const pending = shown.filter(isPending);
  const escalated = pending.some((a) => a.tier > 0);
  // The chime sounds only once sound is on; the waiting alerts make the header's sound prompt urgent.
  useAlertSound(
    pending.map((a) => a.id),
    escalated,
  );
  useAnnounceAlerts(shown, props.name);
  const panel = useRef<HTMLElement>(null);
  const onScreen = useOnScreen(panel);
  return (
    <section className="alerts" aria-label="Alerts" data-testid="alerts" ref={panel}>
      {pending.length > 0 && !onScreen && (
        // Scrolled down to the tiles or the timeline: a waiting alert must still be in view.
        <button
          type="button"
          className={escalated ? "alerts-float escalated" : "alerts-float"}
          onClick={() => panel.current?.scrollIntoView({ block: "start" })}
          data-testid="alerts-float"
        >
          ⚠ {pending.length} alert{pending.length === 1 ? "" : "s"} waiting for a response
          {escalated ? " — NO RESPONSE YET" : ""} · Show
        </button>
      )}
      <div className="alerts-head">
        <span
          className={pending.length > 0 ? "alerts-count urgent" : "alerts-count"}
          data-testid="alerts-count"
          data-count={pending.length}
        >
          {pending.length === 0
            ? "No open alerts"
            : `${pending.length} alert${pending.length === 1 ? "" : "s"} waiting for a response`}
        </span>
      </div>
      {shown.length > 0 && (
        <ul className="alert-list">
          {shown.map((a) => (
            <AlertRow key={a.id} sessionId={props.sessionId} alert={a} name={props.name} now={props.now} />
          ))}
        </ul>
      )}
    </section>
  );
}

function AlertRow(props: { sessionId: string; alert: Alert; name: (id: string) => string; now: number }) {
  const { alert: a } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const about = a.participantId ?? a.subjectId;
  const pending = isPending(a);
  const escalated = pending && a.tier > 0;
  const waitedMin = Math.floor((props.now - Date.parse(a.raisedAt)) / 60_000);

  function acknowledge(): void {
    setBusy(true);
    setError(null);
    void sendCommand("alert:ack", (id) => ({ id, sessionId: props.sessionId, alertId: a.id })).result.then((r) => {
      setBusy(false);
      if (!r.ok) setError(r.error.message);
    });
  }

  return (
    <li
      className={escalated ? "alert-row pending escalated" : pending ? "alert-row pending" : "alert-row acked"}
      data-testid={`alert-${a.id}`}
      data-kind={a.kind}
      data-state={pending ? "pending" : "acknowledged"}
      data-tier={a.tier}
    >
      {escalated && (
        <p className="alert-escalated" data-testid={`alert-escalated-${a.id}`}>
          <span aria-hidden="true">⚠⚠ </span>NO RESPONSE YET
          {waitedMin >= 1 ? ` — waiting ${waitedMin} min` : " — over 15 s"}; everyone has been alerted
          {a.tier > 1 ? " again" : ""}
        </p>
      )}
      <div className="alert-what">
        <strong>
          <span aria-hidden="true">{pending ? "⚠ " : "✓ "}</span>
          {ALERT_LABEL[a.kind]}
          {about && `: ${props.name(about)}`}
        </strong>
        <span className="muted small">
          {" "}
          · raised {clock(a.raisedAt)} ({ago(a.raisedAt, props.now)})
        </span>
        {a.kind !== "support" && <p className="small alert-detail">{a.detail}</p>}
        {a.ack && (
          <p className="small" data-testid={`alert-ack-${a.id}`}>
            {props.name(a.ack.by)} responded at {clock(a.ack.at)}
            {a.kind === "ratio" || a.kind === "break" ? " — stays here until it is resolved." : "."}
          </p>
        )}
      </div>
      {pending && (
        <button type="button" className="primary" disabled={busy} onClick={acknowledge} data-testid={`ack-${a.id}`}>
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

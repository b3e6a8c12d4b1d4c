import { useEffect, useRef, useState } from "react";
import type { Alert } from "../../../shared/domain/alerts.js";
import { sendCommand } from "../live/command.js";
import { clock } from "../time.js";
import { supportView } from "./support-status.js";
import "./participant.css";

/** Where an unacknowledged request waits across a reload, so it is retried with the same id [LIVE6]. */
const storageKey = (sessionId: string): string => `holdspace:support:${sessionId}`;

function stored(sessionId: string): string | null {
  try {
    return localStorage.getItem(storageKey(sessionId));
  } catch {
    return null; // storage blocked (private mode): the request still retries while the page is open
  }
}

function remember(sessionId: string, id: string | null): void {
  try {
    if (id === null) localStorage.removeItem(storageKey(sessionId));
    else localStorage.setItem(storageKey(sessionId), id);
  } catch {
    // As above: nothing to keep it in; retrying in memory still works.
  }
}

/**
 * [LIVE6] One large "I need support" button. It says *sent* only once the server has the request
 * (its ack, or the request in the session's log), keeps retrying with the same id through dropped
 * connections, server errors and reloads, and once a facilitator answers it says who is coming.
 * If it cannot get through for a while, or the server refuses it for good, it tells the person to
 * call out to a facilitator instead of leaving them waiting on a phone (support-status.ts).
 * Once the phone no longer reaches anyone (released, or the session ended) the button is off and
 * says so, with whom to call instead — a button that looks live but reaches nobody is worse.
 */
export function SupportButton(props: {
  sessionId: string;
  mine: Alert | null;
  name: (id: string) => string;
  /** [LIVE10][LIVE6] Released or ended: the button is off and this line says what to do instead. */
  over: string | null;
}) {
  const { sessionId, mine } = props;
  const [sending, setSending] = useState<string | null>(() => stored(sessionId));
  const [error, setError] = useState<string | null>(null);
  // The server's ack: enough to say "sent" even before the alert's event reaches this tab.
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const started = useRef<string | null>(null);
  const [since, setSince] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (sending === null || started.current === sending) return;
    started.current = sending;
    remember(sessionId, sending);
    void sendCommand("support:request", (id) => ({ id, sessionId }), { id: sending }).result.then((r) => {
      remember(sessionId, null);
      setSending(null);
      if (r.ok) setConfirmed(r.data.alertId);
      else setError(r.error.message);
    });
  }, [sending, sessionId]);

  useEffect(() => {
    // While a request is on its way, re-render each second so "not through yet" appears on time.
    if (sending === null) return;
    const t = setInterval(() => {
      setNow(Date.now());
    }, 1000);
    return () => {
      clearInterval(t);
    };
  }, [sending]);

  const answered = mine?.ack ? mine : null;
  const pending =
    (mine !== null && mine.ack === null && mine.resolved === null) ||
    (confirmed !== null && answered?.id !== confirmed);
  const view = supportView({
    sending: sending !== null,
    sendingForMs: sending !== null ? Math.max(0, now - since) : 0,
    pending,
    answered: answered?.ack ? { by: props.name(answered.ack.by), at: clock(answered.ack.at) } : null,
    failed: error,
    over: props.over,
  });

  function press(): void {
    if (sending !== null || pending || props.over) return; // on its way, with the facilitators, or over
    setError(null);
    setSince(Date.now());
    setNow(Date.now());
    setSending(crypto.randomUUID());
  }

  return (
    <section className="support" aria-label="Ask for support">
      <button
        type="button"
        className="support-button"
        onClick={press}
        disabled={props.over !== null}
        aria-describedby={props.over !== null ? "support-hint" : undefined}
        data-testid="support-button"
      >
        I need support
      </button>
      <p
        className={`support-state ${view.state}`}
        role="status"
        aria-live="assertive"
        data-testid="support-state"
        data-state={view.state}
      >
        {view.state === "acknowledged" || (view.state === "closed" && view.text) ? (
          <span data-testid="support-responder">{view.text}</span>
        ) : (
          view.text
        )}
      </p>
      {view.hint && (
        <p
          id="support-hint"
          className={view.state === "failed" ? "support-hint urgent" : "support-hint"}
          role={view.state === "closed" ? undefined : "alert"}
          data-testid="support-hint"
        >
          {view.hint}
        </p>
      )}
    </section>
  );
}

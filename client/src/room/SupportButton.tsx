import { useEffect, useRef, useState } from "react";
import type { Alert } from "../../../shared/domain/alerts.js";
import { sendCommand } from "../live/command.js";
import { clock } from "../time.js";

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
 * connections and reloads, and once a facilitator answers it says who is coming.
 */
export function SupportButton(props: { sessionId: string; mine: Alert | null; name: (id: string) => string; disabled: boolean }) {
  const { sessionId, mine } = props;
  const [sending, setSending] = useState<string | null>(() => stored(sessionId));
  const [error, setError] = useState<string | null>(null);
  // The server's ack: enough to say "sent" even before the alert's event reaches this tab.
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const started = useRef<string | null>(null);

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

  const answered = mine?.ack ? mine : null;
  const pending = (mine !== null && mine.ack === null && mine.resolved === null) || (confirmed !== null && answered?.id !== confirmed);
  const state = sending !== null && !pending ? "sending" : pending ? "sent" : answered ? "acknowledged" : "idle";

  function press(): void {
    setError(null);
    if (sending !== null || pending) return; // already on its way, or already with the facilitators
    setSending(crypto.randomUUID());
  }

  return (
    <section className="support" aria-label="Ask for support">
      <button type="button" className="support-button" onClick={press} disabled={props.disabled} data-testid="support-button">
        I need support
      </button>
      <p className={`support-state ${state}`} role="status" aria-live="assertive" data-testid="support-state" data-state={state}>
        {state === "sending" && "Sending… it keeps trying until it gets through."}
        {state === "sent" && "Sent. The facilitators have been told; someone will come to you."}
        {state === "acknowledged" && mine?.ack && (
          <span data-testid="support-responder">
            {props.name(mine.ack.by)} is coming to you (answered at {clock(mine.ack.at)}).
          </span>
        )}
      </p>
      {error && <p className="form-error" role="alert">Not sent: {error}</p>}
    </section>
  );
}

import { useState } from "react";
import { openItems } from "../../../shared/domain/live-close.js";
import type { SessionState } from "../../../shared/domain/session.js";
import { sendCommand } from "../live/command.js";
import { clock } from "../time.js";
import "./room.css";

/**
 * [LIVE6][LIVE10] "End session" at the end of the day, for facilitators. Asks first, then sends
 * `session:close`; the server decides (it refuses while anyone admitted is not released or an
 * alert waits) and its sentence is shown as it is. Once the session has ended this shows when
 * and by whom, live from the log, on every facilitator's screen.
 */
export function EndSession(props: { sessionId: string; state: SessionState; name: (id: string) => string }) {
  const { sessionId, state } = props;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  if (state.status === "closed") {
    return (
      <section className="end-session ended" aria-label="Session ended" data-testid="end-session-done">
        <p>
          <strong>This session has ended.</strong>{" "}
          {state.closedAt && state.closedBy
            ? `Ended at ${clock(state.closedAt)} by ${props.name(state.closedBy)}.`
            : null}
        </p>
      </section>
    );
  }
  if (state.status !== "open") return null;

  const items = openItems(state);
  const open = items.unreleased.length + items.alerts.length;

  function confirm(): void {
    setBusy(true);
    setRefusal(null);
    void sendCommand("session:close", (id) => ({ id, sessionId })).result.then((r) => {
      setBusy(false);
      setAsking(false);
      if (!r.ok) setRefusal(r.error.message);
    });
  }

  return (
    <section className="end-session" aria-labelledby="end-session-h">
      <h2 id="end-session-h">End of the day</h2>
      {!asking && (
        <button
          type="button"
          onClick={() => {
            setAsking(true);
            setRefusal(null);
          }}
          data-testid="end-session"
        >
          End session…
        </button>
      )}
      {asking && (
        <div className="end-confirm" role="group" aria-label="Confirm ending the session" data-testid="end-confirm">
          <p>
            End this session for everyone? Check-ins and “I need support” stop, and every screen will say the session
            has ended.
            {open > 0 && (
              <span className="muted">
                {" "}
                As far as this screen knows, {open} thing{open === 1 ? " is" : "s are"} still open; the server will
                check.
              </span>
            )}
          </p>
          <div className="staff-actions">
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={confirm}
              data-testid="end-session-confirm"
            >
              {busy ? "Ending…" : "Yes, end the session"}
            </button>
            <button
              type="button"
              className="quiet"
              disabled={busy}
              onClick={() => {
                setAsking(false);
              }}
              data-testid="end-session-cancel"
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {refusal && (
        <p className="form-error" role="alert" data-testid="end-session-error">
          Not ended. {refusal}
        </p>
      )}
    </section>
  );
}

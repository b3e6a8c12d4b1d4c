import { useState, type SubmitEvent } from "react";
import { navigate } from "wouter/use-browser-location";
import { sendCommand } from "../live/command.js";
import { useConnection } from "../live/socket.js";

/** A facilitator opens a live session room for a cohort, then goes straight into it. */
export function StartSessionForm(props: { cohortId: string }) {
  const { cohortId } = props;
  const [title, setTitle] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { connected } = useConnection();

  async function submit(e: SubmitEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    const clean = title.trim();
    if (!clean) {
      setError("Give the session a title.");
      return;
    }
    setError(null);
    setBusy(true);
    // Retried with the same id until acknowledged, so a flaky network never opens two rooms.
    const ack = await sendCommand("session:open", (id) => ({ id, cohortId, title: clean })).result;
    setBusy(false);
    if (ack.ok) navigate(`/session/${encodeURIComponent(ack.data.sessionId)}`);
    else setError(ack.error.message);
  }

  return (
    <form
      className="inline-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid={`start-session-form-${cohortId}`}
    >
      <label className="field">
        <span>Start live session</span>
        <input
          type="text"
          placeholder="Session title, e.g. Dosing session 1"
          maxLength={120}
          value={title}
          onChange={(e) => {
            setTitle(e.target.value);
          }}
          aria-invalid={error ? true : undefined}
          data-testid={`start-session-title-${cohortId}`}
        />
      </label>
      <button type="submit" className="primary" disabled={busy} data-testid={`start-session-submit-${cohortId}`}>
        {busy ? (connected ? "Starting…" : "Waiting for connection…") : "Start live session"}
      </button>
      {error && (
        <p className="field-error" role="alert" data-testid={`start-session-error-${cohortId}`}>
          {error}
        </p>
      )}
    </form>
  );
}

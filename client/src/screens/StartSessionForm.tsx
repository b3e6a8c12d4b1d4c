import { useState } from "react";
import { navigate } from "wouter/use-browser-location";
import { StartForm } from "../forms/StartForm.js";
import { sendCommand } from "../live/command.js";
import { useConnection } from "../live/socket.js";

/** A facilitator opens a live session room for a cohort, then goes straight into it. */
export function StartSessionForm(props: { cohortId: string }) {
  const { cohortId } = props;
  const [title, setTitle] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { connected } = useConnection();

  async function start(): Promise<void> {
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
    <StartForm
      testIdPrefix="start-session"
      cohortId={cohortId}
      label="Start live session"
      placeholder="Session title, e.g. Dosing session 1"
      title={title}
      onTitle={setTitle}
      markInvalid
      busy={busy}
      button={busy ? (connected ? "Starting…" : "Waiting for connection…") : "Start live session"}
      error={error}
      errorTestId={`start-session-error-${cohortId}`}
      onStart={() => void start()}
    />
  );
}

import { useState } from "react";
import { navigate } from "wouter/use-browser-location";
import { StartForm } from "../forms/StartForm.js";
import { sendCommand } from "../live/command.js";

/** A facilitator starts an integration circle for a cohort and goes straight into it. */
export function StartCircleForm(props: { cohortId: string }) {
  const { cohortId } = props;
  const [title, setTitle] = useState("");
  const [minutes, setMinutes] = useState(5);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function start(): Promise<void> {
    const clean = title.trim();
    if (!clean) {
      setError("Give the circle a title.");
      return;
    }
    setBusy(true);
    const ack = await sendCommand("circle:start", (id) => ({ id, cohortId, title: clean, shareMinutes: minutes }))
      .result;
    setBusy(false);
    if (ack.ok) navigate(`/circle/${encodeURIComponent(ack.data.circleId)}`);
    else setError(ack.error.message);
  }
  return (
    <StartForm
      testIdPrefix="start-circle"
      cohortId={cohortId}
      label="Start integration circle"
      placeholder="Circle title, e.g. Integration circle 1"
      title={title}
      onTitle={setTitle}
      busy={busy}
      button={busy ? "Starting…" : "Start circle"}
      error={error}
      onStart={() => void start()}
    >
      <label className="field narrow-field">
        <span>Minutes per share</span>
        <input
          type="number"
          min={1}
          max={30}
          value={minutes}
          onChange={(e) => {
            setMinutes(Math.max(1, Math.min(30, Number(e.target.value) || 5)));
          }}
        />
      </label>
    </StartForm>
  );
}

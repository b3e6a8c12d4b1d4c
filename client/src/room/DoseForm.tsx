import { useState } from "react";
import { DOSE_BACKDATE_HOURS } from "../../../shared/domain/live-decide.js";
import { serverNow } from "../live/socket.js";
import { clock, dateTime } from "../time.js";
import { num, submitter } from "./form-parts.js";

/** "2026-12-02T09:30" for a datetime-local input, in this browser's zone. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * [LIVE1] A dose: mg and when it was given. Empty time means now; a dose given before the session
 * was opened in the app is entered with its date and time (within DOSE_BACKDATE_HOURS of the
 * opening — the server checks and says the bounds in words).
 */
export function DoseFields(props: {
  first: boolean;
  openedAt: string | null;
  onSubmit: (f: { mg: number; kind: "primary" | "secondary"; givenAt: string | null }) => void;
}) {
  const [mg, setMg] = useState("");
  const [time, setTime] = useState("");
  const kind = props.first ? "primary" : "secondary";
  const now = serverNow();
  const min = props.openedAt ? Date.parse(props.openedAt) - DOSE_BACKDATE_HOURS * 3600_000 : null;
  const given = time ? new Date(time) : null;
  return (
    <form
      className="inline-form"
      onSubmit={submitter(() => {
        // A datetime-local value is a wall time in this browser's zone, which is how it was typed.
        props.onSubmit({ mg: num(mg), kind, givenAt: given ? given.toISOString() : null });
      })}
    >
      <label className="field">
        <span>Psilocybin (mg), {kind} dose</span>
        <input
          type="number"
          step="0.01"
          min="0"
          inputMode="decimal"
          value={mg}
          onChange={(e) => {
            setMg(e.target.value);
          }}
          data-testid="dose-mg"
          required
        />
      </label>
      <label className="field">
        <span>Given at (leave empty for now)</span>
        <input
          type="datetime-local"
          value={time}
          max={localInput(now)}
          min={min === null ? undefined : localInput(min)}
          onChange={(e) => {
            setTime(e.target.value);
          }}
          data-testid="dose-time"
          aria-describedby="dose-time-hint"
        />
      </label>
      <button type="submit" className="primary" data-testid="dose-submit">
        Record dose
      </button>
      <p id="dose-time-hint" className="muted small form-hint" data-testid="dose-time-hint">
        {given && !Number.isNaN(given.getTime())
          ? `Recorded as given ${dateTime(given)}.`
          : `Given before the session was opened in the app? Enter when — up to ${DOSE_BACKDATE_HOURS} h before it opened${props.openedAt ? ` (${clock(props.openedAt)})` : ""}.`}
      </p>
    </form>
  );
}

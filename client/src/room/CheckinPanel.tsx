import { useState } from "react";
import { CHECKIN_LABEL, CHECKIN_TEXT_MAX, type CheckinStatus } from "../../../shared/domain/checkin.js";
import { sendCommand } from "../live/command.js";
import { useConnection } from "../live/socket.js";
import { clock } from "../time.js";
import "./participant.css";

type Phase = { kind: "sending" } | { kind: "sent"; at: Date } | { kind: "failed"; message: string };
interface Send {
  id: string;
  status: CheckinStatus;
  phase: Phase;
}

/** "Need support" is the big button above (SupportButton): one way to ask, not two look-alikes. */
const STATUSES: readonly CheckinStatus[] = ["ok", "struggling"];
const INTENSITIES = Array.from({ length: 11 }, (_, i) => i);

/**
 * Three big buttons; each one sends at once. Intensity and a note are optional extras.
 * [LIVE6] "Sent" appears only after the server's ack; until then it says "Sending…" and the
 * command keeps retrying with the same id.
 */
export function CheckinPanel(props: { sessionId: string; disabled: boolean }) {
  const { sessionId } = props;
  const [intensity, setIntensity] = useState<number | null>(null);
  const [text, setText] = useState("");
  const [last, setLast] = useState<Send | null>(null);
  const { connected } = useConnection();

  function send(status: CheckinStatus): void {
    // A tap on the status already on its way adds nothing but a duplicate.
    if (last?.phase.kind === "sending" && last.status === status) return;
    const note = text.trim() ? text.trim() : null;
    const cmd = sendCommand("checkin:send", (id) => ({ id, sessionId, status, intensity, text: note }));
    setLast({ id: cmd.id, status, phase: { kind: "sending" } });
    setIntensity(null);
    setText("");
    void cmd.result.then((ack) => {
      const phase: Phase = ack.ok ? { kind: "sent", at: new Date() } : { kind: "failed", message: ack.error.message };
      // Only the newest check-in speaks; an older one finishing late must not overwrite it.
      setLast((cur) => (cur?.id === cmd.id ? { ...cur, phase } : cur));
      // Give the note back if the server refused it, so nothing typed is lost.
      if (!ack.ok && note) setText((t) => t || note);
    });
  }

  return (
    <section className="checkin-panel" aria-labelledby="checkin-h" data-testid="checkin-panel">
      <h2 id="checkin-h">How are you right now?</h2>
      <div className="status-buttons">
        {STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`big status-${s}`}
            disabled={props.disabled}
            onClick={() => {
              send(s);
            }}
            data-testid={`checkin-${s}`}
          >
            {CHECKIN_LABEL[s]}
          </button>
        ))}
      </div>
      <SendState send={last} connected={connected} />
      <details className="extras">
        <summary>Add how strong it feels, or a few words</summary>
        <fieldset className="intensity">
          <legend>How strong, 0 to 10 (optional)</legend>
          {INTENSITIES.map((n) => (
            <button
              key={n}
              type="button"
              aria-pressed={intensity === n}
              onClick={() => {
                setIntensity(intensity === n ? null : n);
              }}
              data-testid={`intensity-${n}`}
            >
              {n}
            </button>
          ))}
        </fieldset>
        <label className="field">
          <span>A few words (optional)</span>
          <textarea
            rows={3}
            maxLength={CHECKIN_TEXT_MAX}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
            }}
            data-testid="checkin-text"
          />
          <span className="muted small">{CHECKIN_TEXT_MAX - text.length} characters left</span>
        </label>
      </details>
    </section>
  );
}

function SendState(props: { send: Send | null; connected: boolean }) {
  const { send } = props;
  const label = send ? CHECKIN_LABEL[send.status] : "";
  let message = "";
  if (send?.phase.kind === "sending")
    message = props.connected ? `Sending “${label}”…` : `Sending “${label}”… waiting for the connection to come back.`;
  if (send?.phase.kind === "sent") {
    const when = clock(send.phase.at);
    message =
      send.status === "need_support"
        ? `Sent at ${when}. The facilitators have been told and will come to you.`
        : `Sent “${label}” at ${when}.`;
  }
  if (send?.phase.kind === "failed") message = `Not sent: ${send.phase.message}`;
  return (
    <p
      className={`send-state ${send?.phase.kind ?? "idle"}`}
      role="status"
      aria-live="polite"
      data-testid="checkin-state"
      data-state={send?.phase.kind ?? "idle"}
    >
      {message}
    </p>
  );
}

import { useState } from "react";
import { journalStream } from "../../../shared/domain/streams.js";
import { streamName } from "../../../shared/log.js";
import { sendCommand } from "../live/command.js";
import { useStream } from "../live/useStream.js";
import { useCatchUpOnConnect } from "./useCatchUp.js";
import "./circle.css";

/** [CIR5] The participant's private journal; an entry reaches the circle only when they share it. */
export function Journal(props: { circleId: string; meId: string; shared: ReadonlySet<string> }) {
  const { circleId, meId, shared } = props;
  const journal = useStream(journalStream, streamName("journal", meId));
  const { follower } = journal;
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useCatchUpOnConnect(follower);

  async function save(): Promise<void> {
    if (!text.trim()) {
      setError("Write something first.");
      return;
    }
    setBusy(true);
    const ack = await sendCommand("journal:write", (id) => ({ id, text, circleId })).result;
    setBusy(false);
    if (ack.ok) {
      setText("");
      setError(null);
    } else setError(ack.error.message);
  }

  async function share(entryId: string): Promise<void> {
    const ack = await sendCommand("journal:share", (id) => ({ id, entryId, circleId })).result;
    setError(ack.ok ? null : ack.error.message);
  }

  return (
    <section className="card" aria-labelledby="journal-title" data-testid="journal">
      <h2 id="journal-title">My journal</h2>
      <p className="muted small">
        Private to you. Nobody else sees an entry unless you choose to share it with the circle.
      </p>
      <textarea
        aria-label="New journal entry"
        rows={4}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
        }}
        data-testid="journal-text"
      />
      <button type="button" className="primary" disabled={busy} onClick={() => void save()} data-testid="journal-save">
        Save to my journal
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <ul className="journal-list">
        {[...journal.state.entries].reverse().map((e) => (
          <li key={e.entryId} data-testid={`journal-entry-${e.entryId}`}>
            <p className="note">{e.text}</p>
            {shared.has(e.entryId) ? (
              <span className="muted small">Shared with the circle</span>
            ) : (
              <button type="button" className="quiet" onClick={() => void share(e.entryId)}>
                Share with the circle
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

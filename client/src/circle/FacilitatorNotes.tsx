import { useState } from "react";
import { fnoteHistory } from "../../../shared/domain/circle-facilitator.js";
import { fnoteStream } from "../../../shared/domain/streams.js";
import { streamName } from "../../../shared/log.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import { sendCommand } from "../live/command.js";
import { useStream } from "../live/useStream.js";
import { dateTime } from "../time.js";
import { useCatchUpOnConnect } from "./useCatchUp.js";

/**
 * [CIR6][AC3] The group process note and a note per participant, for the cohort's facilitators
 * only. Each save adds a dated entry under its author's name — nothing overwrites what another
 * facilitator wrote — and the note's history is the list of its entries. Switching "About" with
 * words not yet saved asks first, so a draft is never dropped by a stray choice.
 */
export function FacilitatorNotes(props: { circleId: string; participants: PublicUser[]; people: PublicUser[] }) {
  const { circleId, participants, people } = props;
  const notes = useStream(fnoteStream, streamName("fnote", circleId));
  useCatchUpOnConnect(notes.follower);
  const [about, setAbout] = useState<string>("");
  const [draft, setDraft] = useState("");
  const [pending, setPending] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const name = (id: string) => people.find((p) => p.id === id)?.name ?? "Someone";
  const label = (value: string) => (value === "" ? "the group process" : name(value));
  const history = fnoteHistory(notes.state, about === "" ? null : about);

  async function save(): Promise<boolean> {
    if (!draft.trim()) {
      setMsg("Write the note first.");
      return false;
    }
    setBusy(true);
    const ack = await sendCommand("fnote:save", (id) => ({
      id,
      circleId,
      about: about === "" ? null : about,
      text: draft,
    })).result;
    setBusy(false);
    setMsg(ack.ok ? "Saved." : ack.error.message);
    if (ack.ok) setDraft("");
    return ack.ok;
  }

  function switchTo(value: string): void {
    setAbout(value);
    setDraft("");
    setPending(null);
    setMsg(null);
  }

  return (
    <section className="card staff-only" aria-labelledby="fnotes-title" data-testid="facilitator-notes">
      <h2 id="fnotes-title">
        Facilitator notes <span className="badge">facilitators only</span>
      </h2>
      <label className="field">
        {/* Named by the span alone: a wrapping label's name would take in every option's text. */}
        <span id={`fnote-about-${circleId}`}>About</span>
        <select
          aria-labelledby={`fnote-about-${circleId}`}
          value={about}
          onChange={(e) => {
            if (draft.trim() === "") switchTo(e.target.value);
            else setPending(e.target.value);
          }}
          data-testid="fnote-about"
        >
          <option value="">The group process</option>
          {participants.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {pending !== null && (
        <div className="share-confirm" role="alert" data-testid="fnote-unsaved">
          <p>
            Your note about {label(about)} is not saved yet. Save it before switching to {label(pending)}?
          </p>
          <div className="button-row">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() =>
                void save().then((ok) => {
                  if (ok) switchTo(pending);
                })
              }
            >
              Save and switch
            </button>
            <button type="button" onClick={() => switchTo(pending)}>
              Discard and switch
            </button>
            <button type="button" className="quiet" onClick={() => setPending(null)}>
              Keep writing
            </button>
          </div>
        </div>
      )}
      <textarea
        aria-label={`New note about ${label(about)}`}
        rows={4}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          setMsg(null);
        }}
        data-testid="fnote-text"
      />
      <button type="button" disabled={busy} onClick={() => void save()} data-testid="fnote-save">
        Add note
      </button>
      {msg && (
        <p className="muted small" role="status">
          {msg}
        </p>
      )}
      <h3 className="fnote-history-title">Notes about {label(about)}</h3>
      {history.length === 0 ? (
        <p className="muted small">Nothing written yet.</p>
      ) : (
        <ul className="journal-list" data-testid="fnote-history">
          {history.map((n) => (
            <li key={n.entryId} data-testid="fnote-entry">
              <span className="muted small">
                {name(n.by)} · <time dateTime={n.at}>{dateTime(n.at)}</time>
              </span>
              <p className="note">{n.text}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

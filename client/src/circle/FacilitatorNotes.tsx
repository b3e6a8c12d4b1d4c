import { useState } from "react";
import { fnoteStream } from "../../../shared/domain/streams.js";
import { streamName } from "../../../shared/log.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import { sendCommand } from "../live/command.js";
import { useStream } from "../live/useStream.js";
import { useCatchUpOnConnect } from "./useCatchUp.js";

/** [CIR6][AC3] The group process note and a note per participant, for the cohort's facilitators only. */
export function FacilitatorNotes(props: { circleId: string; participants: PublicUser[] }) {
  const { circleId, participants } = props;
  const notes = useStream(fnoteStream, streamName("fnote", circleId));
  const { follower } = notes;
  const [about, setAbout] = useState<string>("");
  const [draft, setDraft] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);

  useCatchUpOnConnect(follower);

  const current = about === "" ? notes.state.group : (notes.state.perParticipant[about] ?? null);
  const text = draft ?? current?.text ?? "";

  async function save(): Promise<void> {
    const ack = await sendCommand("fnote:save", (id) => ({ id, circleId, about: about === "" ? null : about, text }))
      .result;
    setMsg(ack.ok ? "Saved." : ack.error.message);
    if (ack.ok) setDraft(null);
  }

  return (
    <section className="card staff-only" aria-labelledby="fnotes-title" data-testid="facilitator-notes">
      <h2 id="fnotes-title">
        Facilitator notes <span className="badge">facilitators only</span>
      </h2>
      <label className="field">
        <span>About</span>
        <select
          value={about}
          onChange={(e) => {
            setAbout(e.target.value);
            setDraft(null);
            setMsg(null);
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
      <textarea
        aria-label="Facilitator note"
        rows={5}
        value={text}
        onChange={(e) => {
          setDraft(e.target.value);
        }}
        data-testid="fnote-text"
      />
      <button type="button" onClick={() => void save()} data-testid="fnote-save">
        Save note
      </button>
      {msg && (
        <p className="muted small" role="status">
          {msg}
        </p>
      )}
    </section>
  );
}

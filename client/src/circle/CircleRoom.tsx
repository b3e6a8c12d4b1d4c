import { useState } from "react";
import { isRoundOver, isThere } from "../../../shared/domain/circle.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import { sendCommand } from "../live/command.js";
import { Agreement } from "./Agreement.js";
import { FacilitatorNotes } from "./FacilitatorNotes.js";
import { Journal } from "./Journal.js";
import { NotesEditor } from "./NotesEditor.js";
import { SeatRing } from "./SeatRing.js";
import { ShareTimer } from "./ShareTimer.js";
import { circleNow, useServerClock } from "./serverClock.js";
import { useCircleRoom } from "./useCircleRoom.js";
import { dateTime } from "../time.js";
import "./circle.css";
import { PageHeading } from "../PageHeading.js";

/** The integration circle room, for participants (often on a phone) and facilitators. */
export function CircleRoom(props: { circleId: string; me: PublicUser }) {
  const { circleId, me } = props;
  const room = useCircleRoom(circleId);
  useServerClock();
  const [error, setError] = useState<string | null>(null);
  const { state } = room;
  const staff = me.role === "facilitator";

  if (room.error && !room.ready)
    return (
      <main className="page">
        <p role="alert">{room.error}</p>
      </main>
    );
  if (room.needsAgreement)
    return (
      <main className="page narrow-page">
        <Agreement circleId={circleId} onAccepted={room.agreed} />
      </main>
    );
  if (!room.ready || !state.exists)
    return (
      <p className="page center muted" role="status">
        Opening the circle…
      </p>
    );

  const name = (id: string) => room.people.find((p) => p.id === id)?.name ?? "Someone";
  const participants = room.people.filter((p) => p.role === "participant");
  const holding = state.holder === me.id && !state.ended;
  const roundOver = isRoundOver(state, circleNow());

  async function piece(action: "pass" | "finish" | "hand" | "take", to?: string): Promise<void> {
    const ack = await sendCommand("circle:piece", (id) => ({ id, circleId, action, ...(to ? { to } : {}) })).result;
    setError(ack.ok ? null : ack.error.message);
  }
  async function facilitate(cmd: "circle:lock" | "circle:end"): Promise<void> {
    const ack = await sendCommand(cmd, (id) => ({ id, circleId })).result;
    setError(ack.ok ? null : ack.error.message);
  }

  return (
    <main className="page circle-room" data-testid="circle-room" data-role={staff ? "staff" : "participant"}>
      <div className="room-head">
        <PageHeading title={`Circle room · ${state.title}`}>{state.title}</PageHeading>
        <span className="muted">
          Round {state.round}
          {state.ended ? " · ended" : roundOver ? " · round complete" : ""}
        </span>
      </div>
      <div className="circle-grid">
        <section className="card circle-main" aria-label="Talking piece">
          <SeatRing state={state} people={room.people} meId={me.id} />
          <ShareTimer state={state} />
          {holding && (
            <div className="piece-actions">
              <button
                type="button"
                className="primary circle-btn"
                onClick={() => void piece("finish")}
                data-testid="piece-finish"
              >
                I&apos;m finished
              </button>
              <button type="button" className="circle-btn" onClick={() => void piece("pass")} data-testid="piece-pass">
                Pass
              </button>
            </div>
          )}
          {staff && !state.ended && (
            <div className="staff-actions">
              <label className="field">
                <span>Hand the piece to</span>
                <select
                  value=""
                  onChange={(e) => {
                    if (e.target.value) void piece("hand", e.target.value);
                  }}
                  data-testid="piece-hand"
                >
                  <option value="">Choose…</option>
                  {state.seats.map((id) => (
                    <option key={id} value={id} disabled={!isThere(state, id)}>
                      {name(id)}
                      {isThere(state, id) ? "" : " (not here)"}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => void piece("take")} data-testid="piece-take">
                Take the piece back
              </button>
              <button
                type="button"
                onClick={() => void facilitate("circle:lock")}
                disabled={state.locked}
                data-testid="notes-lock"
              >
                {state.locked ? "Notes locked" : "Lock notes"}
              </button>
              <button type="button" onClick={() => void facilitate("circle:end")} data-testid="circle-end">
                End circle
              </button>
            </div>
          )}
          {error && (
            <p className="form-error" role="alert" data-testid="circle-error">
              {error}
            </p>
          )}
        </section>
        <div className="circle-side">
          <NotesEditor
            circleId={circleId}
            locked={state.locked}
            canEdit={!state.ended}
            me={{ id: me.id, name: me.name }}
          />
          {state.shared.length > 0 && (
            <section className="card" aria-labelledby="shared-title" data-testid="shared-entries">
              <h2 id="shared-title">Shared with the circle</h2>
              <ul className="journal-list">
                {state.shared.map((s) => (
                  <li key={s.entryId}>
                    <p className="note">{s.text}</p>
                    <span className="muted small">
                      — {name(s.userId)}, <time dateTime={s.at}>{dateTime(s.at)}</time>
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {me.role === "participant" && (
            <Journal
              circleId={circleId}
              circleTitle={state.title}
              meId={me.id}
              shared={new Set(state.shared.filter((s) => s.userId === me.id).map((s) => s.entryId))}
            />
          )}
          {staff && <FacilitatorNotes circleId={circleId} participants={participants} people={room.people} />}
        </div>
      </div>
    </main>
  );
}

import type { User } from "../api.js";
import { CHECKIN_LABEL } from "../../../shared/domain/checkin.js";
import type { SessionRoom } from "../live/useSessionRoom.js";
import { ago, useNow } from "../time.js";
import { CheckinPanel } from "./CheckinPanel.js";
import { presenceOf } from "./labels.js";
import { PresenceBadge } from "./PresenceBadge.js";

/** The participant's screen: check in, and see who is here. Dim, large, few choices. */
export function ParticipantRoom(props: { room: SessionRoom; sessionId: string; me: User }) {
  const { room, me } = props;
  const now = useNow(30_000);
  const mine = room.state.lastCheckin[me.id];
  const open = room.state.status === "open";

  return (
    <div className="participant">
      {room.ready && !open && <p className="muted">Check-ins open when the facilitator starts the session.</p>}
      <CheckinPanel sessionId={props.sessionId} disabled={!room.ready || !open} />
      {mine && (
        <p className="muted" data-testid="my-last-checkin" data-status={mine.status}>
          Your last check-in: {CHECKIN_LABEL[mine.status]}, {ago(mine.at, now)}.
        </p>
      )}
      <section aria-labelledby="people-h">
        <h2 id="people-h">In this session</h2>
        <ul className="roster" data-testid="room-people">
          {room.people.map((p) => {
            const state = presenceOf(room.presence, p.id);
            return (
              <li key={p.id} className={`person presence-${state}`} data-testid={`person-${p.id}`}>
                <span className="name">
                  {p.name}
                  {p.id === me.id && <span className="muted"> (you)</span>}
                  {p.role !== "participant" && <span className="muted"> · {p.role === "admin" ? "program admin" : "facilitator"}</span>}
                </span>
                <PresenceBadge userId={p.id} state={state} />
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}

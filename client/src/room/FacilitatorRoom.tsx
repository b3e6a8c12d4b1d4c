import type { Checkin } from "../../../shared/domain/session.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import type { SessionRoom } from "../live/useSessionRoom.js";
import { useNow } from "../time.js";
import { presenceOf } from "./labels.js";
import { PresenceBadge } from "./PresenceBadge.js";
import { ParticipantTile } from "./ParticipantTile.js";
import { Timeline } from "./Timeline.js";

/** Who needs attention first: need_support, then struggling, then everyone else by name. */
function urgency(c: Checkin | undefined): number {
  if (c?.status === "need_support") return 0;
  if (c?.status === "struggling") return 1;
  return 2;
}

/** The facilitator's screen: participant tiles, the facilitator roster, the timeline. */
export function FacilitatorRoom(props: { room: SessionRoom }) {
  const { room } = props;
  const now = useNow();
  const names = new Map(room.people.map((p) => [p.id, p.name]));
  const participants = room.people.filter((p) => p.role === "participant");
  const staff = room.people.filter((p) => p.role !== "participant");
  const ordered = [...participants].sort(
    (a, b) => urgency(room.state.lastCheckin[a.id]) - urgency(room.state.lastCheckin[b.id]) || a.name.localeCompare(b.name),
  );
  const needing = participants.filter((p) => room.state.lastCheckin[p.id]?.status === "need_support");

  return (
    <div className="facilitator">
      {needing.length > 0 && (
        <p className="alert-banner" role="alert" data-testid="need-support-banner">
          Needs support now: {needing.map((p) => p.name).join(", ")}
        </p>
      )}
      <section aria-labelledby="participants-h">
        <h2 id="participants-h">
          Participants <span className="muted">({participants.length})</span>
        </h2>
        {participants.length === 0 && <p className="muted">No participants on this session's roster.</p>}
        <ul className="tiles" data-testid="roster-participants">
          {ordered.map((p) => (
            <ParticipantTile key={p.id} person={p} presence={presenceOf(room.presence, p.id)} checkin={room.state.lastCheckin[p.id]} now={now} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="staff-h">
        <h2 id="staff-h">Facilitators</h2>
        <StaffRoster staff={staff} room={room} />
      </section>
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <Timeline entries={room.state.timeline} lastCheckin={room.state.lastCheckin} names={names} />
      </section>
    </div>
  );
}

function StaffRoster(props: { staff: PublicUser[]; room: SessionRoom }) {
  return (
    <ul className="roster" data-testid="roster-facilitators">
      {props.staff.map((p) => {
        const state = presenceOf(props.room.presence, p.id);
        return (
          <li key={p.id} className={`person presence-${state}`} data-testid={`facilitator-${p.id}`}>
            <span className="name">{p.name}</span>
            <PresenceBadge userId={p.id} state={state} />
          </li>
        );
      })}
    </ul>
  );
}

import type { Checkin } from "../../../shared/domain/session.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import type { PresenceState } from "../../../shared/protocol/presence.js";
import { ago, clock } from "../time.js";
import { STATUS_LABEL } from "./labels.js";
import { PresenceBadge } from "./PresenceBadge.js";

/** One participant at a glance: name, presence in words, and their latest check-in with its age. */
export function ParticipantTile(props: { person: PublicUser; presence: PresenceState; checkin: Checkin | undefined; now: number }) {
  const { person, presence, checkin, now } = props;
  const status = checkin?.status ?? "none";
  return (
    <li className={`tile status-${status} presence-${presence}`} data-testid={`tile-${person.id}`} data-status={status} data-presence={presence}>
      <div className="tile-head">
        <span className="name">{person.name}</span>
        <PresenceBadge userId={person.id} state={presence} />
      </div>
      <div className="checkin" data-testid={`checkin-${person.id}`} data-status={status}>
        {checkin ? (
          <>
            <span className="status-label">
              {checkin.status === "need_support" && <span aria-hidden="true">⚠ </span>}
              {STATUS_LABEL[checkin.status]}
            </span>
            {checkin.intensity !== null && <span className="intensity"> · intensity {checkin.intensity}/10</span>}
            {checkin.text && <p className="note">“{checkin.text}”</p>}
            <time className="age muted" dateTime={checkin.at} title={clock(checkin.at)} data-testid={`checkin-age-${person.id}`}>
              {ago(checkin.at, now)}
            </time>
          </>
        ) : (
          <span className="muted">No check-in yet</span>
        )}
      </div>
    </li>
  );
}

import type { User } from "../api.js";
import { CHECKIN_LABEL } from "../../../shared/domain/checkin.js";
import type { SessionRoom } from "../live/useSessionRoom.js";
import { ago, useNow } from "../time.js";
import { unansweredPrompts } from "../../../shared/domain/live-rules.js";
import { CheckinPanel } from "./CheckinPanel.js";
import { SupportButton } from "./SupportButton.js";
import { presenceOf } from "./labels.js";
import { PresenceBadge } from "./PresenceBadge.js";
import "./room.css";
import "./participant.css";

/** The participant's screen: check in, and see who is here. Dim, large, few choices. */
export function ParticipantRoom(props: { room: SessionRoom; sessionId: string; me: User }) {
  const { room, me } = props;
  const now = useNow(30_000);
  const mine = room.state.lastCheckin[me.id];
  const open = room.state.status === "open";
  // The participant's reducer only ever holds their own alerts [AC3]; the newest support one speaks.
  const latestSupport =
    Object.values(room.state.live.alerts)
      .filter((a) => a.kind === "support" && a.participantId === me.id)
      .sort((a, b) => b.seq - a.seq)[0] ?? null;
  const prompted = open && unansweredPrompts(room.state.live, me.id, mine?.seq ?? null) > 0;
  const names = new Map(room.people.map((p) => [p.id, p.name]));
  const name = (id: string): string => names.get(id) ?? "A facilitator";

  return (
    <div className="participant">
      {room.ready && room.state.status === "none" && (
        <p className="muted">Check-ins open when the facilitator starts the session.</p>
      )}
      {room.state.status === "closed" && (
        <p className="session-ended" role="status" data-testid="session-ended">
          This session has ended. If you need someone, call out or wave to a facilitator.
        </p>
      )}
      {/* [LIVE6] Never disabled (not while joining, offline or before the start): a press either
          reaches the facilitators or tells the person, in words, to call out to one. */}
      <SupportButton sessionId={props.sessionId} mine={latestSupport} name={name} />
      {prompted && (
        <p className="prompt" data-testid="checkin-prompt">
          Checking in gently: how are you doing? Tap one below whenever you like.
        </p>
      )}
      {/* Once ended there is nothing to check in to; the banner above says what to do instead. */}
      {room.state.status !== "closed" && <CheckinPanel sessionId={props.sessionId} disabled={!room.ready || !open} />}
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
                  {p.role !== "participant" && (
                    <span className="muted"> · {p.role === "admin" ? "program admin" : "facilitator"}</span>
                  )}
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

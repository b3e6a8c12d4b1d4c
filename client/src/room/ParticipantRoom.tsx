import type { User } from "../api.js";
import { CHECKIN_LABEL } from "../../../shared/domain/checkin.js";
import { WHAT_TO_DO_INSTEAD } from "../../../shared/domain/session.js";
import type { SessionRoom } from "../live/useSessionRoom.js";
import { ago, clock, useNow } from "../time.js";
import { unansweredPrompts } from "../../../shared/domain/live-rules.js";
import { CheckinPanel } from "./CheckinPanel.js";
import { SupportButton } from "./SupportButton.js";
import { useSignOutGuard } from "./live-guard.js";
import { presenceOf } from "./labels.js";
import { PresenceBadge } from "./PresenceBadge.js";
import "./room.css";
import "./participant.css";

/** [LIVE6] Said once the session has ended, above the (disabled) support button. */
const ENDED = "“I need support” no longer reaches anyone now that the session has ended.";
/** [LIVE10] Said once this person has been released. */
const RELEASED = "“I need support” no longer reaches the facilitators now that you are released.";

/**
 * The participant's screen: check in, and see who is here. Dim, large, few choices. Once they are
 * released [LIVE10] or the session has ended [LIVE6], it says so (and how they are getting home),
 * stops offering check-ins, switches "I need support" off with whom to turn to instead, and stops
 * its clocks.
 */
export function ParticipantRoom(props: { room: SessionRoom; sessionId: string; me: User }) {
  const { room, me } = props;
  const ticking = useNow(30_000);
  const closedAt = room.state.closedAt;
  const now = closedAt ? Math.min(ticking, Date.parse(closedAt)) : ticking;
  const mine = room.state.lastCheckin[me.id];
  const open = room.state.status === "open";
  const ended = room.state.status === "closed";
  const home = room.state.live.participants[me.id]?.goingHome ?? null;
  // The participant's reducer only ever holds their own alerts [AC3]; the newest support one speaks.
  const latestSupport =
    Object.values(room.state.live.alerts)
      .filter((a) => a.kind === "support" && a.participantId === me.id)
      .sort((a, b) => b.seq - a.seq)[0] ?? null;
  const prompted = open && home === null && unansweredPrompts(room.state.live, me.id, mine?.seq ?? null) > 0;
  const names = new Map(room.people.map((p) => [p.id, p.name]));
  const name = (id: string): string => names.get(id) ?? "A facilitator";
  const over = ended ? `${ENDED} ${WHAT_TO_DO_INSTEAD}` : home ? `${RELEASED} ${WHAT_TO_DO_INSTEAD}` : null;
  useSignOutGuard(
    open && home === null
      ? "Signed out, this phone can no longer send “I need support” or check-ins until you sign in again."
      : null,
  );

  return (
    <div className="participant">
      {room.ready && room.state.status === "none" && (
        <p className="muted">Check-ins open when the facilitator starts the session.</p>
      )}
      {ended && (
        <p className="session-ended" role="status" data-testid="session-ended">
          This session has ended{closedAt ? ` at ${clock(closedAt)}` : ""}. Thank you for being here.
        </p>
      )}
      {home && (
        <section className="released-card" aria-labelledby="released-h" data-testid="released">
          <h2 id="released-h">You have been released</h2>
          <p data-testid="released-ride">
            <strong>{home.transportBy}</strong> is taking you home
            {home.asPlanned ? ", as in your plan." : " — a change from your plan, arranged with the facilitators."}
          </p>
          <p className="muted">Released at {clock(home.at)}. Take it slowly; rest when you get home.</p>
        </section>
      )}
      {/* [LIVE6] Live (not while joining, offline or before the start): a press either reaches the
          facilitators or tells the person, in words, to call out. Off only once nobody is there to
          answer it (released, ended), with a line that says whom to turn to instead. */}
      <SupportButton sessionId={props.sessionId} mine={latestSupport} name={name} over={over} />
      {prompted && (
        <p className="prompt" data-testid="checkin-prompt">
          Checking in gently: how are you doing? Tap one below whenever you like.
        </p>
      )}
      {/* Released or ended: there is nothing to check in to; the lines above say what to do instead. */}
      {!ended && home === null && <CheckinPanel sessionId={props.sessionId} disabled={!room.ready || !open} />}
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

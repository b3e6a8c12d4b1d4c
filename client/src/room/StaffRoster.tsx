import { useState } from "react";
import { describeRatio, ratioStatus } from "../../../shared/domain/live-rules.js";
import type { RuleProfile } from "../../../shared/profiles/index.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import type { User } from "../api.js";
import { sendCommand } from "../live/command.js";
import type { SessionRoom } from "../live/useSessionRoom.js";
import { ago } from "../time.js";
import { presenceOf } from "./labels.js";
import { PresenceBadge } from "./PresenceBadge.js";
import "./room.css";

/**
 * [LIVE3][LIVE4] Facilitators with in-room / on-break state, the live ratio in words, and the
 * viewer's own break button — which the server refuses when the ratio would not hold without them.
 */
export function StaffRoster(props: {
  staff: PublicUser[];
  room: SessionRoom;
  me: User;
  profile: RuleProfile | null;
  now: number;
}) {
  const { room, me } = props;
  const live = room.state.live;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ratio = props.profile ? ratioStatus(live, props.profile) : null;
  const myBreak = live.breaks[me.id];

  function toggleBreak(): void {
    setBusy(true);
    setError(null);
    void sendCommand("break:set", (id) => ({ id, sessionId: room.state.id, onBreak: !myBreak })).result.then((r) => {
      setBusy(false);
      if (!r.ok) setError(r.error.message);
    });
  }

  return (
    <>
      {ratio && (
        <p className={ratio.holds ? "ratio ok" : "ratio broken"} data-testid="ratio" data-holds={ratio.holds}>
          <strong>{ratio.holds ? "Ratio holds" : "⚠ Ratio broken"}</strong> · {describeRatio(ratio)}
        </p>
      )}
      <ul className="roster" data-testid="roster-facilitators">
        {props.staff.map((p) => {
          const state = presenceOf(room.presence, p.id);
          const onBreak = live.breaks[p.id];
          const inRoom = live.facilitatorsInRoom.includes(p.id);
          return (
            <li key={p.id} className={`person presence-${state}`} data-testid={`facilitator-${p.id}`}>
              <span className="name">
                {p.name}
                {p.role === "admin" && <span className="muted"> · program admin</span>}
                {p.role === "facilitator" && (
                  <span className="muted small" data-testid={`room-state-${p.id}`}>
                    {" "}
                    ·{" "}
                    {onBreak
                      ? `on break since ${ago(onBreak.startedAt, props.now)}`
                      : inRoom
                        ? "in the room"
                        : "not in the room"}
                  </span>
                )}
              </span>
              <PresenceBadge userId={p.id} state={state} />
            </li>
          );
        })}
      </ul>
      {me.role === "facilitator" && (
        <div className="tile-actions">
          <button type="button" disabled={busy} onClick={toggleBreak} data-testid="break-toggle">
            {myBreak ? "I'm back from my break" : "Take a break"}
          </button>
          {error && (
            <p className="form-error" role="alert" data-testid="break-error">
              {error}
            </p>
          )}
        </div>
      )}
    </>
  );
}

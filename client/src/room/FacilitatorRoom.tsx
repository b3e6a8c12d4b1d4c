import { useState } from "react";
import { isPending } from "../../../shared/domain/alerts.js";
import { needsLookIn } from "../../../shared/domain/live-rules.js";
import type { Checkin } from "../../../shared/domain/session.js";
import type { User } from "../api.js";
import { sendCommand } from "../live/command.js";
import type { SessionRoom } from "../live/useSessionRoom.js";
import { useNow } from "../time.js";
import { AlertsPanel } from "./AlertsPanel.js";
import { EndSession } from "./EndSession.js";
import { presenceOf } from "./labels.js";
import { ParticipantTile, type TileAction } from "./ParticipantTile.js";
import { RecordForm, type FormTarget } from "./RecordForms.js";
import { StaffRoster } from "./StaffRoster.js";
import { Timeline } from "./Timeline.js";
import { useLiveContext } from "./useLiveContext.js";
import { earliestFor } from "./release-time.js";
import { useSignOutGuard } from "./live-guard.js";
import "./room.css";

/** Who needs attention first: an open alert, need_support, struggling, then everyone else by name. */
function urgency(c: Checkin | undefined, alerting: boolean): number {
  if (alerting) return 0;
  if (c?.status === "need_support") return 1;
  if (c?.status === "struggling") return 2;
  return 3;
}

/** The facilitator's screen: alerts, participant tiles, the facilitator roster and ratio, the timeline. */
export function FacilitatorRoom(props: { room: SessionRoom; me: User }) {
  const { room } = props;
  const sessionId = room.state.id;
  const now = useNow(5_000);
  const [target, setTarget] = useState<FormTarget | null>(null);
  const [admitError, setAdmitError] = useState<string | null>(null);
  const closed = room.state.status === "closed";
  useSignOutGuard(
    room.state.status === "open" ? "Signed out, this device stops showing and sounding this session's alerts." : null,
  );
  const admissions = Object.values(room.state.live.participants).filter((p) => p.admittedSeq !== null).length;
  const ctx = useLiveContext(sessionId, room.ready, admissions);
  const names = new Map(room.people.map((p) => [p.id, p.name]));
  const name = (id: string): string => names.get(id) ?? (id === "system" ? "Holdspace" : "Someone");
  const participants = room.people.filter((p) => p.role === "participant");
  const staff = room.people.filter((p) => p.role !== "participant");
  const alerts = Object.values(room.state.live.alerts).filter(isPending);
  const alertsOf = (id: string) => alerts.filter((a) => a.participantId === id);
  const ordered = [...participants].sort(
    (a, b) =>
      urgency(room.state.lastCheckin[a.id], alertsOf(a.id).length > 0) -
        urgency(room.state.lastCheckin[b.id], alertsOf(b.id).length > 0) || a.name.localeCompare(b.name),
  );

  function act(participantId: string, action: TileAction): void {
    setAdmitError(null);
    if (action === "admit") {
      void sendCommand("participant:admit", (id) => ({ id, sessionId, participantId })).result.then((r) => {
        if (!r.ok) setAdmitError(r.error.message);
      });
      return;
    }
    setTarget({ action, participantId, name: name(participantId) });
  }

  // Ended: said first, and the record buttons go (the server would refuse them) [LIVE6].
  return (
    <div className={closed ? "facilitator ended" : "facilitator"}>
      {closed && <EndSession sessionId={sessionId} state={room.state} name={name} />}
      <AlertsPanel sessionId={sessionId} alerts={room.state.live.alerts} name={name} now={now} />
      {admitError && (
        <p className="form-error" role="alert" data-testid="admit-error">
          {admitError}
        </p>
      )}
      {target && (
        <RecordForm
          sessionId={sessionId}
          target={target}
          live={room.state.live.participants[target.participantId]}
          context={{
            release: ctx.release[target.participantId],
            earliest: earliestFor(
              room.state.live.participants[target.participantId],
              ctx.profile,
              ctx.release[target.participantId],
            ).at,
            openedAt: room.state.openedAt,
            now,
          }}
          onDone={() => {
            setTarget(null);
          }}
        />
      )}
      <section aria-labelledby="participants-h">
        <h2 id="participants-h">
          Participants <span className="muted">({participants.length})</span>
        </h2>
        {participants.length === 0 && <p className="muted">No participants on this session's roster.</p>}
        <ul className="tiles" data-testid="roster-participants">
          {ordered.map((p) => (
            <ParticipantTile
              key={p.id}
              person={p}
              presence={presenceOf(room.presence, p.id)}
              checkin={room.state.lastCheckin[p.id]}
              live={room.state.live.participants[p.id]}
              profile={ctx.profile}
              readiness={ctx.readiness[p.id]}
              releaseView={ctx.release[p.id]}
              endedAt={room.state.closedAt}
              alerts={alertsOf(p.id)}
              lookIn={
                ctx.profile
                  ? needsLookIn(room.state.live, p.id, room.state.lastCheckin[p.id]?.seq ?? null, ctx.profile)
                  : false
              }
              now={now}
              onAction={(a) => {
                act(p.id, a);
              }}
            />
          ))}
        </ul>
      </section>
      <section aria-labelledby="staff-h">
        <h2 id="staff-h">Facilitators</h2>
        <StaffRoster staff={staff} room={room} me={props.me} profile={ctx.profile} now={now} />
      </section>
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <Timeline
          entries={room.state.timeline}
          lastCheckin={room.state.lastCheckin}
          names={names}
          alerts={room.state.live.alerts}
        />
      </section>
      {!closed && <EndSession sessionId={sessionId} state={room.state} name={name} />}
    </div>
  );
}

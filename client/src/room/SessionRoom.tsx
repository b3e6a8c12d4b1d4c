import { Link } from "wouter";
import type { User } from "../api.js";
import { useSessionRoom } from "../live/useSessionRoom.js";
import { FacilitatorRoom } from "./FacilitatorRoom.js";
import { ParticipantRoom } from "./ParticipantRoom.js";
import "./room.css";
import { PageHeading } from "../PageHeading.js";

/** /session/:id — joins the live room and shows the view for the person's role. */
export function SessionRoom(props: { sessionId: string; me: User }) {
  const room = useSessionRoom(props.sessionId);
  const participant = props.me.role === "participant";

  if (room.error && !room.ready) {
    return (
      <main className="page">
        <p className="form-error" role="alert" data-testid="room-error">
          {room.error}
        </p>
        <Link href="/">Back to your sessions</Link>
      </main>
    );
  }

  return (
    <main
      className={participant ? "page room dim" : "page room"}
      data-testid="session-room"
      data-role={participant ? "participant" : "staff"}
    >
      <div className="room-head">
        <PageHeading
          title={`${participant ? "Session" : "Facilitator room"} · ${room.state.title || "Live session"}`}
          testId="session-title"
        >
          {room.state.title || "Live session"}
        </PageHeading>
        <span className="muted" data-testid="session-status" data-status={room.state.status}>
          {!room.ready ? "Joining…" : room.state.status === "closed" ? "Ended" : "Live"}
        </span>
      </div>
      {room.ready && !room.connected && (
        <p className="banner" role="status" data-testid="room-reconnecting">
          Connection lost — reconnecting…
        </p>
      )}
      {participant ? (
        <ParticipantRoom room={room} sessionId={props.sessionId} me={props.me} />
      ) : (
        <FacilitatorRoom room={room} me={props.me} />
      )}
    </main>
  );
}

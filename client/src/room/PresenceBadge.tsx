import type { PresenceState } from "../../../shared/protocol/presence.js";
import { PRESENCE_LABEL } from "./labels.js";
import "./room.css";

/** A person's presence as a word and a dot — never color alone, for a dim room and for color blindness. */
export function PresenceBadge(props: { userId: string; state: PresenceState }) {
  return (
    <span className="presence" data-testid={`presence-${props.userId}`} data-state={props.state}>
      <span className="dot" aria-hidden="true" />
      {PRESENCE_LABEL[props.state]}
    </span>
  );
}

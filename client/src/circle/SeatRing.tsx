import { nextSeat, type CircleState } from "../../../shared/domain/circle.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import "./circle.css";

/** [CIR2] The seats round the circle; the holder and the next seat are named in words, not colour alone. */
export function SeatRing(props: { state: CircleState; people: PublicUser[]; meId: string }) {
  const { state, people, meId } = props;
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? "Someone";
  const next = state.holder === null ? null : nextSeat(state.seats, state.holder);
  const n = state.seats.length;
  return (
    <div className="ring-wrap">
      <ol className="ring" aria-label="Seats in the circle, in order" data-testid="seat-ring">
        {state.seats.map((id, i) => {
          // Seats on a circle, the first at the top, going clockwise.
          const angle = (i / Math.max(n, 1)) * 2 * Math.PI - Math.PI / 2;
          const style = { left: `${50 + 40 * Math.cos(angle)}%`, top: `${50 + 40 * Math.sin(angle)}%` };
          const role = id === state.holder ? "holder" : id === next ? "next" : "seat";
          return (
            <li key={id} className={`seat seat-${role}`} style={style} data-testid={`seat-${id}`} data-role={role}>
              <span className="seat-name">
                {name(id)}
                {id === meId ? " (you)" : ""}
              </span>
              {role === "holder" && <span className="seat-tag">holds the piece</span>}
              {role === "next" && <span className="seat-tag">next</span>}
            </li>
          );
        })}
      </ol>
      <p className="ring-center" role="status" data-testid="piece-status">
        {state.ended
          ? "The circle has ended."
          : state.holder === null
            ? "The round is complete."
            : state.holder === meId
              ? "You hold the piece."
              : `${name(state.holder)} holds the piece.`}
      </p>
    </div>
  );
}

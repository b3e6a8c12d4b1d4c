import { isThere, nextSeat, type CircleState } from "../../../shared/domain/circle.js";
import type { PublicUser } from "../../../shared/protocol/events.js";
import "./circle.css";

/**
 * [CIR2] The seats round the circle. Who is there comes from the circle's stream (the server's
 * presence, logged), not from this screen: seats whose person is not in the room are greyed and
 * say so in words, and "next" skips them as the piece will. Holder and next are named in words,
 * not colour alone.
 */
export function SeatRing(props: { state: CircleState; people: PublicUser[]; meId: string }) {
  const { state, people, meId } = props;
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? "Someone";
  const there = (id: string) => isThere(state, id);
  const next = state.holder === null ? null : nextSeat(state.seats, state.holder, there);
  const n = state.seats.length;
  const here = state.seats.filter(there).length;
  return (
    <div className="ring-wrap">
      <ol className="ring" aria-label="Seats in the circle, in order" data-testid="seat-ring">
        {state.seats.map((id, i) => {
          // Seats on a circle, the first at the top, going clockwise.
          const angle = (i / Math.max(n, 1)) * 2 * Math.PI - Math.PI / 2;
          const style = { left: `${50 + 38 * Math.cos(angle)}%`, top: `${50 + 40 * Math.sin(angle)}%` };
          const role = id === state.holder ? "holder" : id === next && next !== state.holder ? "next" : "seat";
          const present = there(id);
          return (
            <li
              key={id}
              className={`seat seat-${role}${present ? "" : " seat-absent"}`}
              style={style}
              data-testid={`seat-${id}`}
              data-role={role}
              data-present={present ? "yes" : "no"}
            >
              <span className="seat-name">
                {name(id)}
                {id === meId ? " (you)" : ""}
              </span>
              {role === "holder" && <span className="seat-tag">holds the piece</span>}
              {role === "next" && <span className="seat-tag">next</span>}
              {!present && <span className="seat-tag">not here</span>}
            </li>
          );
        })}
      </ol>
      <div className="ring-center">
        <p role="status" data-testid="piece-status">
          {state.ended
            ? "The circle has ended."
            : state.holder === null
              ? "The round is complete."
              : state.holder === meId
                ? "You hold the piece."
                : `${name(state.holder)} holds the piece.`}
        </p>
        {state.tracksPresence && (
          <p className="muted small" data-testid="ring-presence">
            {here} of {n} here
          </p>
        )}
      </div>
    </div>
  );
}

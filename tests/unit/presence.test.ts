import { describe, expect, it } from "vitest";
import { peopleStates, personState, type ConnectionEntry } from "../../shared/protocol/presence.js";

const now = 1_000_000;
const entry = (
  connId: string,
  state: ConnectionEntry["state"],
  expiresAt = now + 20_000,
  userId = "u1",
): ConnectionEntry => ({ userId, nodeId: "n1", connId, state, expiresAt });

describe("presence folding", () => {
  it("[PR1] a person is online while any tab is online", () => {
    expect(personState([entry("a", "online"), entry("b", "away")], now, false)).toBe("online");
    expect(personState([entry("a", "away"), entry("b", "away")], now, false)).toBe("away");
  });
  it("[PR2] a dropped connection counts during its grace and not after", () => {
    expect(personState([entry("a", "disconnected", now + 1)], now, false)).toBe("online");
    expect(personState([entry("a", "disconnected", now)], now, false)).toBe("offline");
    expect(personState([], now, false)).toBe("offline");
  });
  it("[PR2] a facilitator on break shows on_break while connected", () => {
    expect(personState([entry("a", "online")], now, true)).toBe("on_break");
    expect(personState([], now, true)).toBe("offline");
  });
  it("[PR1] states are per person, not per socket", () => {
    const states = peopleStates([entry("a", "online"), entry("b", "online"), entry("c", "away", now + 5, "u2")], now);
    expect([...states]).toEqual([
      ["u1", "online"],
      ["u2", "away"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { noticesFor, openNotices, sessionPlace } from "../../shared/domain/alert-notice.js";
import { decideAck, decideSupport } from "../../shared/domain/live-decide.js";
import { decideLiveChecks } from "../../shared/domain/live-checks.js";
import type { Draft } from "../../shared/domain/live-types.js";
import { decideOpenSession, emptySession, reduceSession, type SessionState } from "../../shared/domain/session.js";
import type { StoredEvent } from "../../shared/log.js";
import { oregon2025 } from "../../shared/profiles/oregon-2025.js";
import type { AlertNotice } from "../../shared/protocol/live.js";
import { applyNotice, applySnapshot, expire, EMPTY_BOOK, CLEAR_AFTER_MS } from "../../client/src/room/notice-store.js";
import { T0, fac, p1 } from "../support/live-log.js";

const names = new Map([
  ["f1", "Jonah"],
  ["p1", "Chloe"],
]);
const ctx = { cohortName: "Spring cohort", name: (id: string) => names.get(id) ?? "someone" };

/** A session log that keeps the stored events, so notices can be derived from them. */
class Stream {
  state: SessionState = emptySession("s1");
  now = T0;
  apply(drafts: Draft[]): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const d of drafts) {
      const e: StoredEvent = { ...d, seq: this.state.seq + 1, epoch: "e1", at: new Date(this.now).toISOString() };
      this.state = reduceSession(this.state, e);
      out.push(e);
    }
    return out;
  }
}

function withSupport(): { s: Stream; alertId: string } {
  const s = new Stream();
  s.apply(decideOpenSession(s.state, { id: "open", cohortId: "c1", title: "Dosing day" }, fac));
  s.apply(decideSupport(s.state, { id: "help-1" }, p1));
  return { s, alertId: "help-1" };
}

describe("alert notices, derived from the alert's state", () => {
  it("[LIVE6] an escalation names the session and cohort and waits; not before it escalates", () => {
    const { s, alertId } = withSupport();
    expect(noticesFor(sessionPlace(s.state), [], ctx)).toEqual([]);
    s.now = T0 + 15_000;
    const events = s.apply(decideLiveChecks(s.state, s.now, oregon2025));
    expect(noticesFor(sessionPlace(s.state), events, ctx)).toEqual([
      expect.objectContaining({
        alertId,
        state: "waiting",
        tier: 1,
        sessionTitle: "Dosing day",
        cohortName: "Spring cohort",
        about: "Chloe",
        answered: null,
      }),
    ]);
  });

  it("[LIVE6] an escalation that raced an acknowledgement is announced as answered, never as 'no response'", () => {
    const { s, alertId } = withSupport();
    s.now = T0 + 15_000;
    // Decided before the ack, notified after it: the notice comes from the state after both.
    const escalation = s.apply(decideLiveChecks(s.state, s.now, oregon2025));
    s.apply(decideAck(s.state, { alertId }, fac));
    const [n] = noticesFor(sessionPlace(s.state), escalation, ctx);
    expect(n).toMatchObject({ state: "answered", answered: { by: "Jonah", at: new Date(s.now).toISOString() } });
    expect(openNotices(sessionPlace(s.state), ctx)).toEqual([]);
  });

  it("[LIVE6] when the session ends, a notified alert that was answered closes as ended", () => {
    const { s, alertId } = withSupport();
    s.now = T0 + 15_000;
    s.apply(decideLiveChecks(s.state, s.now, oregon2025));
    s.apply(decideAck(s.state, { alertId }, fac));
    const closed = s.apply([{ id: "close", type: "session.closed", actor: "f1", data: { closedBy: "f1" } }]);
    expect(noticesFor(sessionPlace(s.state), closed, ctx).map((n) => `${n.alertId} ${n.state}`)).toEqual([
      `${alertId} ended`,
    ]);
  });

  it("[LIVE6] an alert answered before it escalated never makes a notice at all", () => {
    const { s, alertId } = withSupport();
    const acked = s.apply(decideAck(s.state, { alertId }, fac));
    expect(noticesFor(sessionPlace(s.state), acked, ctx)).toEqual([]);
  });
});

describe("the tab's notices follow the server's", () => {
  const base: AlertNotice = {
    source: "session",
    sessionId: "s1",
    cohortId: "c1",
    alertId: "a1",
    kind: "support",
    tier: 1,
    reminder: 0,
    participantId: "p1",
    about: "Chloe",
    raisedAt: new Date(T0).toISOString(),
    sessionTitle: "Dosing day",
    cohortName: "Spring cohort",
    state: "waiting",
    answered: null,
    closedAt: null,
  };
  const answered: AlertNotice = {
    ...base,
    state: "answered",
    answered: { by: "Jonah", at: base.raisedAt },
    closedAt: base.raisedAt,
  };

  it("[LIVE6] once answered, a late 'waiting' push about the same alert changes nothing, and it clears after a while", () => {
    let book = applyNotice(EMPTY_BOOK, base, 0);
    book = applyNotice(book, answered, 1000);
    book = applyNotice(book, { ...base, tier: 2 }, 2000);
    expect([...book.held.values()].map((h) => h.notice.state)).toEqual(["answered"]);
    expect(expire(book, 1000 + CLEAR_AFTER_MS - 1).held.size).toBe(1);
    expect(expire(book, 1000 + CLEAR_AFTER_MS).held.size).toBe(0);
  });

  it("[LIVE6] a reconnect's snapshot drops waiting notices it no longer lists; a closing push about an unknown alert shows nothing", () => {
    let book = applyNotice(EMPTY_BOOK, base, 0);
    book = applyNotice(book, { ...base, alertId: "a2" }, 0);
    book = applySnapshot(book, [{ ...base, alertId: "a2", tier: 2 }]);
    expect([...book.held.values()].map((h) => `${h.notice.alertId} ${h.notice.tier}`)).toEqual(["a2 2"]);
    expect(applyNotice(EMPTY_BOOK, { ...answered, alertId: "a9" }, 0).held.size).toBe(0);
  });

  it("[LIVE3] an answered ratio alert stays until its ratio is restored", () => {
    const ratio = { ...base, kind: "ratio" as const, tier: 0 };
    let book = applyNotice(EMPTY_BOOK, ratio, 0);
    book = applyNotice(book, { ...ratio, state: "answered", answered: { by: "Jonah", at: base.raisedAt } }, 0);
    expect(expire(book, 10 * CLEAR_AFTER_MS).held.size).toBe(1);
    book = applyNotice(book, { ...ratio, state: "resolved", closedAt: base.raisedAt }, 0);
    expect(expire(book, CLEAR_AFTER_MS).held.size).toBe(0);
  });
});

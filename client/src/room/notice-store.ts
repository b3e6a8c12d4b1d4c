import { useSyncExternalStore } from "react";
import { AlertNotice, AlertNoticeSnapshot } from "../../../shared/protocol/live.js";
import { getSocket } from "../live/socket.js";

/**
 * [LIVE3][LIVE6] The staff notices this tab holds, kept for the tab's life (a route change does
 * not forget them) and changed only by what the server derives from the alerts' state: a notice
 * follows its alert — waiting, then answered (who, when), resolved or ended — and then clears.
 */

/** How long a notice that stopped waiting stays, so people see who answered before it goes. */
export const CLEAR_AFTER_MS = 20_000;

export interface Held {
  notice: AlertNotice;
  /** Local ms when it stopped waiting (answered, resolved, ended); null while it waits. */
  closedLocal: number | null;
}

export interface NoticeBook {
  held: ReadonlyMap<string, Held>;
  /** Alerts this tab knows stopped waiting: a late "waiting" push about one of them is stale. */
  closed: ReadonlySet<string>;
}

export const EMPTY_BOOK: NoticeBook = { held: new Map(), closed: new Set() };

/** A broken ratio or an over-long break answered but not yet resolved stays on screen [LIVE3]. */
function staysUntilResolved(n: AlertNotice): boolean {
  return n.state === "answered" && (n.kind === "ratio" || n.kind === "break");
}

/** One pushed notice. A closing notice about an alert this tab never showed is not news; it is dropped. */
export function applyNotice(book: NoticeBook, n: AlertNotice, nowLocal: number): NoticeBook {
  const held = new Map(book.held);
  if (n.state === "waiting") {
    if (book.closed.has(n.alertId)) return book;
    held.set(n.alertId, { notice: n, closedLocal: null });
    return { held, closed: book.closed };
  }
  const closed = new Set(book.closed).add(n.alertId);
  const before = held.get(n.alertId);
  if (before) held.set(n.alertId, { notice: n, closedLocal: staysUntilResolved(n) ? null : nowLocal });
  return { held, closed };
}

/**
 * The alerts still waiting, sent at (re)connection: a waiting notice it does not list was answered
 * or ended meanwhile and goes; those that stopped waiting keep their last words until they clear.
 */
export function applySnapshot(book: NoticeBook, notices: readonly AlertNotice[]): NoticeBook {
  const listed = new Set(notices.map((n) => n.alertId));
  const held = new Map([...book.held].filter(([id, h]) => h.notice.state !== "waiting" || listed.has(id)));
  for (const n of notices) if (!book.closed.has(n.alertId)) held.set(n.alertId, { notice: n, closedLocal: null });
  return { held, closed: book.closed };
}

/** Forget notices that have been closed long enough. */
export function expire(book: NoticeBook, nowLocal: number): NoticeBook {
  const keep = [...book.held].filter(([, h]) => h.closedLocal === null || nowLocal - h.closedLocal < CLEAR_AFTER_MS);
  return keep.length === book.held.size ? book : { held: new Map(keep), closed: book.closed };
}

export function dismiss(book: NoticeBook, alertId: string): NoticeBook {
  const held = new Map(book.held);
  held.delete(alertId);
  return { held, closed: new Set(book.closed).add(alertId) };
}

let book: NoticeBook = EMPTY_BOOK;
const listeners = new Set<() => void>();
const arrivals = new Set<(n: AlertNotice) => void>();
let listening = false;
let timer: ReturnType<typeof setInterval> | undefined;

function set(next: NoticeBook): void {
  if (next === book) return;
  book = next;
  for (const l of listeners) l();
  // A closed notice clears by itself: a timer runs only while one is waiting to clear.
  const clearing = [...book.held.values()].some((h) => h.closedLocal !== null);
  if (clearing && timer === undefined)
    timer = setInterval(() => {
      set(expire(book, Date.now()));
    }, 1000);
  if (!clearing && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Start listening on the tab's socket (once); `onArrival` hears each parsed push, for sound and speech. */
export function listenForNotices(onArrival: (n: AlertNotice) => void): () => void {
  arrivals.add(onArrival);
  if (!listening) {
    listening = true;
    const socket = getSocket();
    socket.on("alert:notice", (raw) => {
      const n = AlertNotice.safeParse(raw);
      if (!n.success) return;
      const before = book;
      set(applyNotice(book, n.data, Date.now()));
      if (book !== before && book.held.has(n.data.alertId)) for (const a of arrivals) a(n.data);
    });
    socket.on("alert:notices", (raw) => {
      const snap = AlertNoticeSnapshot.safeParse(raw);
      if (!snap.success) return;
      set(applySnapshot(book, snap.data.notices));
      for (const n of snap.data.notices) for (const a of arrivals) a(n);
    });
  }
  return () => arrivals.delete(onArrival);
}

export function dismissNotice(alertId: string): void {
  set(dismiss(book, alertId));
}

export function useNoticeBook(): NoticeBook {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => book,
  );
}

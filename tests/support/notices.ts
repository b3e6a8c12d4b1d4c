import { AlertNotice, AlertNoticeSnapshot } from "../../shared/protocol/live.js";
import type { TestClient } from "./client.js";

/** The `alert:notice` pushes this client was sent, one by one, parsed with the shared schema. */
export const pushedNotices = (c: TestClient): AlertNotice[] =>
  c.received.flatMap((r) => {
    const n = r.name === "alert:notice" ? AlertNotice.safeParse(r.payload) : null;
    return n?.success ? [n.data] : [];
  });

/** The `alert:notices` snapshots this client was sent (one per connection). */
export const noticeSnapshots = (c: TestClient): AlertNoticeSnapshot[] =>
  c.received.flatMap((r) => {
    const n = r.name === "alert:notices" ? AlertNoticeSnapshot.safeParse(r.payload) : null;
    return n?.success ? [n.data] : [];
  });

/** Every notice this client was sent, in order: pushed one by one, or in a connection's snapshot. */
export const notices = (c: TestClient): AlertNotice[] =>
  c.received.flatMap((r) => {
    if (r.name === "alert:notice") {
      const n = AlertNotice.safeParse(r.payload);
      return n.success ? [n.data] : [];
    }
    const snap = r.name === "alert:notices" ? AlertNoticeSnapshot.safeParse(r.payload) : null;
    return snap?.success ? snap.data.notices : [];
  });

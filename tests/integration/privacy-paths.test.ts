import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { isHidden, streamName, type StoredEvent } from "../../shared/log.js";
import { circleAudience } from "../../shared/domain/circle.js";
import { fnoteAudience } from "../../shared/domain/circle-facilitator.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD } from "../support/fixtures.js";
import type { SyncResult } from "../../shared/protocol/events.js";
import { mainCohort } from "../support/fixtures.js";
import { startApp, type Running } from "../support/harness.js";
import { leaked, witness, type Witness } from "./privacy-support.js";

/** Side doors found in the privacy review: each test names the door and shows it shut. */
describe("privacy side doors (one node, Redis)", () => {
  let node: Running & { tag: string };
  const open: Witness[] = [];
  afterEach(async () => {
    for (const w of open.splice(0)) w.socket.close();
    await node.stop();
  });
  const as = async (key: string) => {
    const w = await witness(
      node.url,
      mainCohort(node.tag),
      key,
      async (email) => (await node.app.services.users.byEmail(email))?.id ?? "",
    );
    open.push(w);
    return w;
  };

  it("[AC3] [LOG2] a participant replaying an event id they can see as a dose command learns nothing of another participant's dose", async () => {
    node = await startApp("redis");
    const sessionId = `live-${node.tag}`;
    const [fac, p1, p2] = [await as("fac1"), await as("p1"), await as("p2")];
    for (const w of [fac, p1, p2]) await w.ok("session:join", { sessionId, since: null });
    await fac.ok("participant:admit", { id: randomUUID(), sessionId, participantId: p1.id });
    await fac.ok("dose:record", { id: randomUUID(), sessionId, participantId: p1.id, mg: 21.73, kind: "primary" });
    // p2 holds the ids of the events it sees (the session's opening, its own check-in): one replayed
    // as a command id used to be answered from the log's first event, skipping the facilitator
    // check, with p1's total. Server-made ids ($…) are not even valid command ids.
    await p2.ok("checkin:send", { id: randomUUID(), sessionId, status: "ok" });
    const sync = await p2.ok<SyncResult>("stream:sync", {
      stream: streamName("session", sessionId),
      epoch: null,
      seq: 0,
    });
    const visible = sync.events.filter((e) => !isHidden(e)).map((e) => ("id" in e ? e.id : ""));
    expect(visible.some((id) => id.startsWith("$"))).toBe(true);
    expect(visible.some((id) => !id.startsWith("$"))).toBe(true);
    for (const id of visible) {
      const base = { id, sessionId, participantId: p1.id };
      const commands: [string, Record<string, unknown>][] = [
        ["dose:record", { ...base, mg: 1, kind: "secondary" }],
        ["vitals:record", { ...base, systolic: 120, diastolic: 80, heartRate: 60 }],
        [
          "adverse:record",
          { ...base, kind: "medical", severity: "mild", emergencyServicesCalled: false, description: "x" },
        ],
        ["release:record", { ...base, transportBy: "x", planConfirmed: true }],
      ];
      const refusal = id.startsWith("$") ? "INVALID_PAYLOAD" : "FORBIDDEN";
      for (const [name, payload] of commands)
        expect(`${name} ${await p2.code(name, payload)}`).toBe(`${name} ${refusal}`);
    }
    expect(leaked(p2.seen(), ["21.73", '"totalMg"'])).toEqual([]);
  });

  it("[AC3] [LIVE6] a participant replaying an acknowledged alert's id learns nothing of who responded", async () => {
    node = await startApp("redis");
    const sessionId = `live-${node.tag}`;
    const [fac, p1, p2] = [await as("fac1"), await as("p1"), await as("p2")];
    for (const w of [fac, p1, p2]) await w.ok("session:join", { sessionId, since: null });
    const raised = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId });
    await fac.ok("alert:ack", { id: randomUUID(), sessionId, alertId: raised.alertId });
    // p2 may know the alert exists (it is in the room); acknowledging it must still be refused.
    expect(await p2.code("alert:ack", { id: randomUUID(), sessionId, alertId: raised.alertId })).toBe("FORBIDDEN");
    expect(await p1.code("alert:ack", { id: randomUUID(), sessionId, alertId: raised.alertId })).toBe("FORBIDDEN");
    expect(leaked(p2.seen(), ['"by"'])).toEqual([]);
  });

  it("[SCH9] [AC2] a calendar feed address works only while it is the person's current one", async () => {
    node = await startApp("redis");
    const p1 = await as("p1");
    // Issued five times at once: exactly one address may stay live, the one the person is shown.
    const issued = await Promise.all(Array.from({ length: 5 }, () => p1.post("/api/calendar-feed", {})));
    const paths = issued.map((r) => new URL(String(r.json.url)).pathname);
    const current = new URL(String((await p1.http.get("/api/calendar-feed")).json.url)).pathname;
    const anon = async (path: string) => (await fetch(`${node.url}${path}`)).status;
    const live = [];
    for (const path of new Set(paths)) if ((await anon(path)) === 200) live.push(path);
    expect(live).toEqual([current]);
    // Re-issued: the old address dies. Revoked: no address works.
    const next = new URL(String((await p1.post("/api/calendar-feed", {})).json.url)).pathname;
    expect(await anon(current)).toBe(404);
    expect(await anon(next)).toBe(200);
    expect((await p1.http.call("DELETE", "/api/calendar-feed")).status).toBe(200);
    expect(await anon(next)).toBe(404);
    expect(await anon(`/calendar/feed/${"A".repeat(32)}.ics`)).toBe(404);
    expect(await anon("/calendar/feed/short.ics")).toBe(400);
  });

  it("[AC3] [LOG4] a compacted history of a stream with private events is never handed to a participant whole", async () => {
    node = await startApp("redis");
    const sessionId = `live-${node.tag}`;
    const stream = streamName("session", sessionId);
    const [fac, p1, p2] = [await as("fac1"), await as("p1"), await as("p2")];
    for (const w of [fac, p1, p2]) await w.ok("session:join", { sessionId, since: null });
    const secret = `SECRET-SNAPSHOT-${node.tag}`;
    await p1.ok("checkin:send", { id: randomUUID(), sessionId, status: "struggling", text: secret });
    // Were a session stream ever compacted, its snapshot would be the whole state, p1's words and all.
    const head = await node.stores.log.head(stream);
    const state = await node.app.services.streams.state("session", sessionId);
    expect(await node.stores.log.saveSnapshot(stream, { seq: head.seq, data: JSON.stringify(state) })).toBe(true);
    await node.stores.log.trim(stream, head.seq);
    expect(await p2.code("stream:sync", { stream, epoch: null, seq: 0 })).toBe("FORBIDDEN");
    expect(leaked(p2.seen(), [secret])).toEqual([]);
    const staff = await fac.ok<SyncResult>("stream:sync", { stream, epoch: null, seq: 0 });
    expect(staff.snapshot?.data).toContain(secret);
  });

  it("[AC1] [AC2] signing out closes that sign-in's sockets on the spot; another sign-in of the same person stays", async () => {
    node = await startApp("redis");
    const sessionId = `live-${node.tag}`;
    const email = mainCohort(node.tag).people.find((p) => p.key === "p1")?.email ?? "";
    const [tabletCookie, phoneCookie] = [
      await signIn(node.url, email, TEST_PASSWORD),
      await signIn(node.url, email, TEST_PASSWORD),
    ];
    const [tablet, phone] = [new TestClient(node.url, tabletCookie), new TestClient(node.url, phoneCookie)];
    try {
      await Promise.all([tablet.connected(), phone.connected()]);
      for (const c of [tablet, phone]) await c.ok("session:join", { sessionId, since: null });
      const closed = new Promise<string>((resolve) => tablet.socket.once("disconnect", (reason) => resolve(reason)));
      const out = await fetch(`${node.url}/api/auth/logout`, { method: "POST", headers: { cookie: tabletCookie } });
      expect(out.status).toBe(200);
      expect(await closed).toBe("io server disconnect");
      expect(phone.socket.connected).toBe(true);
      expect(
        (await phone.send("stream:sync", { stream: streamName("session", sessionId), epoch: null, seq: 0 })).ok,
      ).toBe(true);
    } finally {
      tablet.close();
      phone.close();
    }
  });
});

describe("audiences fail closed", () => {
  it("[AC2] a circle event of a type this server does not know is staff-only, not everyone's", () => {
    const event = (type: string, data: Record<string, unknown>): StoredEvent => ({
      id: "e1",
      seq: 1,
      epoch: "x",
      type,
      actor: "f1",
      at: "2026-11-26T18:00:00.000Z",
      data,
    });
    expect(circleAudience(event("facilitator.observation", { about: "p1", text: "x" }))).toEqual({ kind: "staff" });
    expect(circleAudience(event("journal.shared", { userId: "p1", entryId: "e", text: "x" }))).toEqual({ kind: "all" });
    expect(circleAudience(event("agreement.accepted", { userId: "p1" }))).toEqual({
      kind: "participant",
      userId: "p1",
    });
  });

  it("[AC3] [CIR6] facilitator notes as entries (and the saves before them) are staff-only; the circle's presence and unshares carry no words", () => {
    const event = (type: string, data: Record<string, unknown>): StoredEvent => ({
      id: "e1",
      seq: 1,
      epoch: "x",
      type,
      actor: "f1",
      at: "2026-11-26T18:00:00.000Z",
      data,
    });
    for (const e of [
      event("fnote.added", { entryId: "n1", about: "p1", text: "x" }),
      event("fnote.saved", { about: null, text: "x" }),
    ])
      expect(fnoteAudience(e)).toEqual({ kind: "staff" });
    for (const [type, data] of [
      ["circle.presence", { userId: "p1", present: true }],
      ["journal.unshared", { userId: "p1", entryId: "e" }],
    ] as const) {
      expect(circleAudience(event(type, data))).toEqual({ kind: "all" });
      expect(Object.keys(data)).not.toContain("text");
    }
  });
});

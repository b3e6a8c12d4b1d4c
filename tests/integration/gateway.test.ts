import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { SessionJoined, SyncResult } from "../../shared/protocol/events.js";
import { TestClient } from "../support/client.js";
import { usePool } from "../support/pool.js";
import { mainCohort, otherCohort } from "../support/fixtures.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { jsonAt } from "../support/json-at.js";
import { anyString } from "../support/matchers.js";

const kinds: StoreKind[] = ["embedded", "redis"];

describe.each(kinds)("gateway on the %s store", (kind) => {
  let node: Running & { tag: string };
  const pool = usePool(() => node);

  const connect = (key: string, cohort = mainCohort) => pool.connect(key, cohort);
  const sessionId = () => `live-${node.tag}`;
  const isFull = (e: unknown): e is StoredEvent => typeof e === "object" && e !== null && "type" in e;

  it("[LIVE5] a participant's check-in reaches every facilitator of the room with its details", async () => {
    node = await startApp(kind);
    const [f1, f2, p1] = [await connect("fac1"), await connect("fac2"), await connect("p1")];
    for (const c of [f1, f2, p1]) await c.ok("session:join", { sessionId: sessionId(), since: null });
    const ack = await p1.ok<{ seq: number }>("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "struggling",
      intensity: 7,
      text: "waves of fear",
    });
    for (const f of [f1, f2]) {
      await f.until(() => f.events.some((m) => m.event.seq === ack.seq), 5000, "check-in on facilitator");
      const got = f.events.find((m) => m.event.seq === ack.seq)?.event;
      expect(isFull(got) && got.type).toBe("checkin.recorded");
      expect(isFull(got) && got.data).toMatchObject({ status: "struggling", intensity: 7, text: "waves of fear" });
    }
  });

  it("[AC3] [AC2] another participant gets only the position of someone else's check-in, live and on sync", async () => {
    node = await startApp(kind);
    const [p1, p2] = [await connect("p1"), await connect("p2")];
    for (const c of [p1, p2]) await c.ok("session:join", { sessionId: sessionId(), since: null });
    const ack = await p1.ok<{ seq: number }>("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "need_support",
      text: "private words",
    });
    await p2.until(() => p2.events.some((m) => m.event.seq === ack.seq), 5000, "position on p2");
    await p1.until(() => p1.events.some((m) => m.event.seq === ack.seq), 5000, "own event on p1");
    expect(p2.events.find((m) => m.event.seq === ack.seq)?.event).toEqual({
      seq: ack.seq,
      epoch: anyString(),
      hidden: true,
    });
    expect(isFull(p1.events.find((m) => m.event.seq === ack.seq)?.event)).toBe(true);
    const sync = await p2.ok<SyncResult>("stream:sync", {
      stream: streamName("session", sessionId()),
      epoch: null,
      seq: 0,
    });
    expect(JSON.stringify(sync)).not.toContain("private words");
    expect(JSON.stringify(p2.received)).not.toContain("private words");
  });

  it("[AC1] a socket without a server-side session is refused, and so is HTTP", async () => {
    node = await startApp(kind);
    const anon = new TestClient(node.url, null);
    pool.track(anon);
    await expect(anon.connected()).rejects.toThrow("UNAUTHENTICATED");
    const forged = new TestClient(node.url, "hs_session=forged-session-id");
    pool.track(forged);
    await expect(forged.connected()).rejects.toThrow("UNAUTHENTICATED");
    const me = await fetch(`${node.url}/api/me`);
    expect(me.status).toBe(401);
    expect(jsonAt(await me.json(), "error", "code")).toBe("UNAUTHENTICATED");
  });

  it("[AC1] a wrong password is refused; an invite link signs in exactly once", async () => {
    node = await startApp(kind);
    const p1 = mainCohort(node.tag).people[3];
    const bad = await fetch(`${node.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: p1?.email, password: "nope" }),
    });
    expect(bad.status).toBe(401);
    expect(jsonAt(await bad.json(), "error", "code")).toBe("BAD_CREDENTIALS");
    const user = await node.app.services.users.byEmail(p1?.email ?? "");
    const token = await node.app.services.users.createInvite(user?.id ?? "");
    const use = () =>
      fetch(`${node.url}/api/auth/invite`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token }),
      });
    const [a, b] = await Promise.all([use(), use()]);
    expect([a.status, b.status].sort()).toEqual([200, 410]);
    const winner = a.status === 200 ? a : b;
    const cookie = (winner.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const me = await fetch(`${node.url}/api/me`, { headers: { cookie } });
    expect(jsonAt(await me.json(), "user", "id")).toBe(user?.id);
  });

  it("[AC4] a participant of another cohort cannot join the room or read its stream, and receives nothing", async () => {
    node = await startApp(kind);
    const outsider = await connect("op1", otherCohort);
    const p1 = await connect("p1");
    await p1.ok("session:join", { sessionId: sessionId(), since: null });
    const join = await outsider.send("session:join", { sessionId: sessionId(), since: null });
    expect(join).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const sync = await outsider.send("stream:sync", {
      stream: streamName("session", sessionId()),
      epoch: null,
      seq: 0,
    });
    expect(sync).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    const ack = await p1.ok<{ seq: number }>("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "ok",
    });
    const checkinOutsider = await outsider.send("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "ok",
    });
    expect(checkinOutsider).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    // Barrier: the outsider's own room still works, so silence about the other room is a fact, not a delay.
    await outsider.ok("session:join", { sessionId: `other-live-${node.tag}`, since: null });
    expect(ack.seq).toBeGreaterThan(0);
    expect(outsider.events.every((m) => m.stream === streamName("session", `other-live-${node.tag}`))).toBe(true);
  });

  it("[LOG2] [AC4] a command id reused by another cohort's facilitator opens nothing and lists nothing of the first room", async () => {
    node = await startApp(kind);
    const [f1, other] = [await connect("fac1"), await connect("ofac", otherCohort)];
    const cmd = { id: randomUUID(), title: "Morning group" };
    const opened = await f1.ok<{ sessionId: string }>("session:open", { ...cmd, cohortId: `cohort-${node.tag}` });
    const retry = await f1.ok<{ sessionId: string }>("session:open", { ...cmd, cohortId: `cohort-${node.tag}` });
    expect(retry.sessionId).toBe(opened.sessionId);
    const reused = await other.send("session:open", { ...cmd, cohortId: `other-${node.tag}` });
    expect(reused).toMatchObject({ ok: false, error: { code: "DUPLICATE_ID" } });
    const otherCohortLog = await node.stores.log.read(streamName("cohort", `other-${node.tag}`), 0, 500);
    expect(JSON.stringify(otherCohortLog.events)).not.toContain(opened.sessionId);
  });

  it("[LOG2] a retried check-in with the same id lands once and is answered with the original seq", async () => {
    node = await startApp(kind);
    const p1 = await connect("p1");
    await p1.ok("session:join", { sessionId: sessionId(), since: null });
    const cmd = { id: randomUUID(), sessionId: sessionId(), status: "ok" };
    const [a, b] = await Promise.all([
      p1.ok<{ seq: number }>("checkin:send", cmd),
      p1.ok<{ seq: number }>("checkin:send", cmd),
    ]);
    const c = await p1.ok<{ seq: number }>("checkin:send", cmd);
    expect(b.seq).toBe(a.seq);
    expect(c.seq).toBe(a.seq);
    const read = await node.stores.log.read(streamName("session", sessionId()), 0, 100);
    expect(read.events.filter((e) => e.id === cmd.id)).toHaveLength(1);
  });

  it("[LOG4] a client that fell behind gets exactly what it missed, in order; another epoch starts over", async () => {
    node = await startApp(kind);
    const [f1, p1] = [await connect("fac1"), await connect("p1")];
    const joined = await f1.ok<SessionJoined>("session:join", { sessionId: sessionId(), since: null });
    await p1.ok("session:join", { sessionId: sessionId(), since: null });
    const held = { epoch: joined.sync.epoch, seq: joined.sync.head };
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++)
      seqs.push(
        (await p1.ok<{ seq: number }>("checkin:send", { id: randomUUID(), sessionId: sessionId(), status: "ok" })).seq,
      );
    const missed = await f1.ok<SyncResult>("stream:sync", { stream: streamName("session", sessionId()), ...held });
    expect(missed.reset).toBe(false);
    expect(missed.events.map((e) => e.seq).filter((s) => seqs.includes(s))).toEqual(seqs);
    expect(missed.events[0]?.seq).toBe(held.seq + 1);
    const other = await f1.ok<SyncResult>("stream:sync", {
      stream: streamName("session", sessionId()),
      epoch: "some-old-epoch",
      seq: 3,
    });
    expect(other.reset).toBe(true);
    expect(other.events[0]?.seq).toBe(1);
  });
});

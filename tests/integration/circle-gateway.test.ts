import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { streamName } from "../../shared/log.js";
import type { CircleJoined } from "../../shared/protocol/circle.js";
import type { SyncResult } from "../../shared/protocol/events.js";
import { MAX_NOTES_UPDATE_BYTES } from "../../shared/domain/notes.js";
import { compactNotes, notesText } from "../../server/jobs/compaction.js";
import { usePool } from "../support/pool.js";
import { mainCohort, otherCohort } from "../support/fixtures.js";
import { ManualClock, startApp, type Running } from "../support/harness.js";
import { estimateOffset, type TimeSample } from "../../shared/domain/circle-time.js";
import { NotesPeer } from "./circle-support.js";
import { appendOne } from "../support/log-helpers.js";
import { clientKey } from "../../server/domain/stream-service.js";

const b64 = (u: Uint8Array) => Buffer.from(u).toString("base64");

describe("integration circle room (one node, Redis)", () => {
  let node: Running & { tag: string };
  const pool = usePool(() => node);

  const connect = (key: string, cohort = mainCohort) => pool.connect(key, cohort);
  const idOf = async (key: string) => {
    const email = mainCohort(node.tag).people.find((p) => p.key === key)?.email ?? "";
    const u = await node.app.services.users.byEmail(email);
    if (!u) throw new Error(`no user ${key}`);
    return u.id;
  };
  async function startCircle() {
    const fac = await connect("fac1");
    const { circleId } = await fac.ok<{ circleId: string }>("circle:start", {
      id: randomUUID(),
      cohortId: `cohort-${node.tag}`,
      title: "Week 1 circle",
    });
    await fac.ok("circle:join", { circleId });
    return { fac, circleId };
  }
  async function joinAgreed(key: string, circleId: string) {
    const c = await connect(key);
    const joined = await c.ok<CircleJoined>("circle:join", { circleId });
    if (joined.needsAgreement) {
      await c.ok("circle:agree", { id: randomUUID(), circleId });
      await c.ok("circle:join", { circleId }); // now with the circle's history and its pushes
    }
    return c;
  }

  it("[CIR1] a participant must accept the agreement before acting; once per cohort", async () => {
    node = await startApp("redis");
    const { fac, circleId } = await startCircle();
    const p1 = await connect("p1");
    const first = await p1.ok<CircleJoined>("circle:join", { circleId });
    expect(first.needsAgreement).toBe(true);
    // Nothing of the circle before the agreement: no history, no notes, no stream.
    expect(first.sync.events).toEqual([]);
    for (const stream of [streamName("circle", circleId), streamName("notes", circleId)]) {
      expect(await p1.send("stream:sync", { stream, epoch: null, seq: 0 })).toMatchObject({
        ok: false,
        error: { code: "RULE_VIOLATION" },
      });
    }
    const refused = await p1.send("notes:update", {
      id: randomUUID(),
      circleId,
      update: b64(Y.encodeStateAsUpdate(docWith("hi"))),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: "RULE_VIOLATION" } });
    expect(await p1.send("notes:awareness", { circleId, update: "AA==" })).toMatchObject({
      ok: false,
      error: { code: "RULE_VIOLATION" },
    });
    await p1.ok("circle:agree", { id: randomUUID(), circleId });
    const again = await p1.ok<CircleJoined>("circle:join", { circleId });
    expect(again.needsAgreement).toBe(false);
    expect(again.sync.events.length).toBeGreaterThan(0);
    // A later circle in the same cohort does not ask again.
    const { circleId: second } = await fac.ok<{ circleId: string }>("circle:start", {
      id: randomUUID(),
      cohortId: `cohort-${node.tag}`,
      title: "Week 2",
    });
    expect((await p1.ok<CircleJoined>("circle:join", { circleId: second })).needsAgreement).toBe(false);
    // A circle links only to a session of its own cohort; a participant cannot start one.
    expect(
      await fac.send("circle:start", {
        id: randomUUID(),
        cohortId: `cohort-${node.tag}`,
        title: "x",
        sessionId: "nope",
      }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(
      await p1.send("circle:start", { id: randomUUID(), cohortId: `cohort-${node.tag}`, title: "x" }),
    ).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    // Both circles are listed in the cohort for the home screen.
    const cohort = await node.app.services.streams.state("cohort", `cohort-${node.tag}`);
    expect(cohort.circles.map((c) => c.id)).toEqual([circleId, second]);
  });

  it("[CIR2] the piece is state in the stream: passing a piece you do not hold is refused, a reconnecting client agrees", async () => {
    node = await startApp("redis");
    const { fac, circleId } = await startCircle();
    const [p1, p2] = [await joinAgreed("p1", circleId), await joinAgreed("p2", circleId)];
    const notHolder = await p2.send("circle:piece", { id: randomUUID(), circleId, action: "pass" });
    expect(notHolder).toMatchObject({ ok: false, error: { code: "RULE_VIOLATION" } });
    await fac.ok("circle:piece", { id: randomUUID(), circleId, action: "finish" });
    await p1.ok("circle:piece", { id: randomUUID(), circleId, action: "pass" });
    const forbidden = await p1.send("circle:piece", {
      id: randomUUID(),
      circleId,
      action: "hand",
      to: await idOf("p3"),
    });
    expect(forbidden).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const again = await joinAgreed("p3", circleId);
    const joined = await again.ok<CircleJoined>("circle:join", { circleId });
    const moved = joined.sync.events.filter((e) => "type" in e && e.type === "piece.moved");
    expect(moved).toHaveLength(2);
    const last = moved.at(-1);
    expect(last && "data" in last ? last.data["to"] : null).toBe(await idOf("p2"));
  });

  it("[CIR4] a locked document, a malformed update and an oversized one are refused with stable codes; nothing is stored", async () => {
    node = await startApp("redis");
    const { fac, circleId } = await startCircle();
    const p1 = await joinAgreed("p1", circleId);
    const stream = streamName("notes", circleId);
    const ok = await p1.ok<{ seq: number }>("notes:update", {
      id: randomUUID(),
      circleId,
      update: b64(Y.encodeStateAsUpdate(docWith("hello"))),
    });
    expect(ok.seq).toBe(1);
    const garbage = await p1.send("notes:update", {
      id: randomUUID(),
      circleId,
      update: b64(new Uint8Array([255, 255, 255, 255, 7, 1, 2, 3])),
    });
    expect(garbage).toMatchObject({ ok: false, error: { code: "INVALID_PAYLOAD" } });
    const notB64 = await p1.send("notes:update", { id: randomUUID(), circleId, update: "not base64 !!" });
    expect(notB64).toMatchObject({ ok: false, error: { code: "INVALID_PAYLOAD" } });
    const huge = await p1.send("notes:update", {
      id: randomUUID(),
      circleId,
      update: b64(new Uint8Array(MAX_NOTES_UPDATE_BYTES + 10)),
    });
    expect(huge).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE" } });
    await fac.ok("circle:lock", { id: randomUUID(), circleId });
    const locked = await p1.send("notes:update", {
      id: randomUUID(),
      circleId,
      update: b64(Y.encodeStateAsUpdate(docWith("late"))),
    });
    expect(locked).toMatchObject({ ok: false, error: { code: "RULE_VIOLATION" } });
    // Only the lock's seal follows the one accepted update [CIR4].
    expect((await node.stores.log.head(stream)).seq).toBe(2);
  });

  it("[CIR5] [CIR6] [AC2] [AC3] journals and facilitator notes never reach another participant; a shared entry reaches the circle", async () => {
    node = await startApp("redis");
    const { fac, circleId } = await startCircle();
    const [p1, p2] = [await joinAgreed("p1", circleId), await joinAgreed("p2", circleId)];
    const p1Id = await idOf("p1");
    await fac.ok("stream:sync", { stream: streamName("fnote", circleId), epoch: null, seq: 0 });
    await fac.ok("fnote:save", { id: randomUUID(), circleId, about: p1Id, text: "FNOTE-SECRET about p1" });
    await fac.ok("fnote:save", { id: randomUUID(), circleId, about: null, text: "FNOTE-GROUP process" });
    const entry = await p1.ok<{ entryId: string }>("journal:write", {
      id: randomUUID(),
      text: "JOURNAL-PRIVATE words",
      circleId,
    });
    await p1.ok("journal:write", { id: randomUUID(), text: "JOURNAL-SHARED words", circleId });
    // Another participant, a facilitator and even the journal's own facilitator cannot read it.
    for (const c of [p2, fac]) {
      expect(await c.send("stream:sync", { stream: streamName("journal", p1Id), epoch: null, seq: 0 })).toMatchObject({
        ok: false,
        error: { code: "NOT_FOUND" },
      });
    }
    for (const c of [p1, p2]) {
      expect(await c.send("stream:sync", { stream: streamName("fnote", circleId), epoch: null, seq: 0 })).toMatchObject(
        { ok: false, error: { code: "NOT_FOUND" } },
      );
      expect(await c.send("fnote:save", { id: randomUUID(), circleId, about: null, text: "x" })).toMatchObject({
        ok: false,
        error: { code: "NOT_FOUND" },
      });
    }
    const own = await p1.ok<SyncResult>("stream:sync", { stream: streamName("journal", p1Id), epoch: null, seq: 0 });
    expect(own.events).toHaveLength(2);
    // Sharing someone else's entry id is refused; sharing your own lands in the circle.
    expect(await p2.send("journal:share", { id: randomUUID(), entryId: entry.entryId, circleId })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    const shared = (
      await p1.ok<SyncResult>("stream:sync", { stream: streamName("journal", p1Id), epoch: null, seq: 0 })
    ).events[1];
    const sharedId = shared && "data" in shared ? String(shared.data["entryId"]) : "";
    const ack = await p1.ok<{ seq: number }>("journal:share", { id: randomUUID(), entryId: sharedId, circleId });
    await p2.until(
      () => p2.events.some((m) => m.event.seq === ack.seq && m.stream === streamName("circle", circleId)),
      5000,
      "shared entry on p2",
    );
    const seenByP2 = JSON.stringify(p2.received);
    expect(seenByP2).toContain("JOURNAL-SHARED words");
    expect(seenByP2).not.toContain("JOURNAL-PRIVATE");
    expect(seenByP2).not.toContain("FNOTE-");
    expect(JSON.stringify(p1.received)).not.toContain("FNOTE-");
    // Facilitators of another cohort see nothing of this circle.
    const ofac = await connect("ofac", otherCohort);
    expect(await ofac.send("circle:join", { circleId })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(
      await ofac.send("stream:sync", { stream: streamName("notes", circleId), epoch: null, seq: 0 }),
    ).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  });

  it("[CIR4] [LOG4] compaction leaves the document unchanged and a client before the snapshot gets the snapshot", async () => {
    node = await startApp("redis");
    const { circleId } = await startCircle();
    const p1 = await joinAgreed("p1", circleId);
    const writer = new NotesPeer(p1, circleId);
    for (let i = 0; i < 30; i++) writer.type(writer.text.length, `line ${i}\n`);
    await writer.flushed();
    const before = writer.text.toJSON();
    const stream = streamName("notes", circleId);
    expect(await compactNotes(node.stores.log, stream, 10)).toBe(30);
    writer.type(0, "after compaction\n");
    await writer.flushed();
    const reader = new NotesPeer(await joinAgreed("p2", circleId), circleId);
    const pages = await reader.sync();
    expect(pages[0]?.snapshot?.seq).toBe(30);
    expect(pages[0]?.reset).toBe(true);
    expect(reader.text.toJSON()).toBe(`after compaction\n${before}`);
    writer.destroy();
    reader.destroy();
  });

  it("[CIR4] an update that lands after the lock's seal changes nothing anyone sees: snapshot, sync or a client", async () => {
    node = await startApp("redis");
    const { fac, circleId } = await startCircle();
    const p1 = await joinAgreed("p1", circleId);
    const stream = streamName("notes", circleId);
    await p1.ok("notes:update", { id: randomUUID(), circleId, update: b64(Y.encodeStateAsUpdate(docWith("kept"))) });
    const watcher = new NotesPeer(p1, circleId);
    await fac.ok("circle:lock", { id: randomUUID(), circleId });
    await fac.ok("circle:end", { id: randomUUID(), circleId }); // the end seals again: a no-op
    const seal = await node.stores.log.read(stream, 1, 10);
    expect(seal.events.map((e) => e.type)).toEqual(["notes.sealed"]);
    // The normal refusal: checked after the lock, nothing written.
    expect(
      await p1.send("notes:update", {
        id: randomUUID(),
        circleId,
        update: b64(Y.encodeStateAsUpdate(docWith("refused"))),
      }),
    ).toMatchObject({ ok: false, error: { code: "RULE_VIOLATION" } });
    expect((await node.stores.log.head(stream)).seq).toBe(2);
    // The race: an update that passed the lock check before the lock lands after the seal.
    const lateId = randomUUID();
    const p1Id = await idOf("p1");
    await appendOne(
      node.stores.log,
      stream,
      {
        id: lateId,
        type: "notes.update",
        actor: p1Id,
        at: new Date().toISOString(),
        data: { u: b64(Y.encodeStateAsUpdate(docWith("LATE"))) },
      },
      { owner: clientKey(p1Id, "notes:update", lateId).owner },
    );
    // Its sender's retry is told it is locked, not that it was saved.
    expect(
      await p1.send("notes:update", { id: lateId, circleId, update: b64(Y.encodeStateAsUpdate(docWith("LATE"))) }),
    ).toMatchObject({ ok: false, error: { code: "RULE_VIOLATION" } });
    const reader = new NotesPeer(await joinAgreed("p2", circleId), circleId);
    await reader.sync();
    expect(reader.sealedAt).toBe(2);
    expect(reader.text.toJSON()).toBe("kept");
    // Compaction stops before the seal, so the snapshot holds only what came before it.
    expect(await compactNotes(node.stores.log, stream, 1)).toBe(1);
    const snap = await node.stores.log.loadSnapshot(stream);
    expect(notesText(snap ? [Buffer.from(snap.data, "base64")] : [], "notes")).toBe("kept");
    const fresh = new NotesPeer(await joinAgreed("p3", circleId), circleId);
    const pages = await fresh.sync();
    expect(pages[0]?.snapshot?.seq).toBe(1);
    expect(fresh.text.toJSON()).toBe("kept");
    await watcher.sync();
    expect(watcher.text.toJSON()).toBe("kept");
    for (const peer of [watcher, reader, fresh]) peer.destroy();
  });

  it("[CIR3] a client whose clock is far off the server's estimates the server's time within half a second", async () => {
    // The server's clock is hours away from this process's Date.now(): a badly skewed client.
    const clock = new ManualClock(Date.now() - 3 * 3600_000 + 1234);
    node = await startApp("redis", { clock });
    const p1 = await connect("p1");
    const samples: TimeSample[] = [];
    for (let i = 0; i < 5; i++) {
      const sentMs = Date.now();
      const { serverTime } = await p1.ok<{ serverTime: number }>("time:ping", {});
      samples.push({ sentMs, serverMs: serverTime, receivedMs: Date.now() });
    }
    const est = estimateOffset(samples);
    if (!est) throw new Error("no estimate");
    expect(Math.abs(Date.now() + est.offsetMs - clock.now())).toBeLessThan(500);
    console.info(`offset ${(est.offsetMs / 1000).toFixed(1)} s, min RTT ${est.rttMs} ms`);
  });

  it("[CIR3] time:ping answers the server's clock", async () => {
    node = await startApp("redis");
    const p1 = await connect("p1");
    const before = Date.now();
    const r = await p1.ok<{ serverTime: number }>("time:ping", {});
    expect(r.serverTime).toBeGreaterThanOrEqual(before - 1);
    expect(await p1.send("time:ping", { extra: 1 })).toMatchObject({ ok: false, error: { code: "INVALID_PAYLOAD" } });
  });
});

function docWith(s: string): Y.Doc {
  const d = new Y.Doc();
  d.getText("notes").insert(0, s);
  return d;
}

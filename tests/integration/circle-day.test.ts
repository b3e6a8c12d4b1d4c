import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { CircleJoined } from "../../shared/protocol/circle.js";
import type { SyncResult } from "../../shared/protocol/events.js";
import { circlePresenceRoom } from "../../server/domain/circles.js";
import { PRESENCE_TIMINGS } from "../../server/presence/service.js";
import type { TestClient } from "../support/client.js";
import { mainCohort } from "../support/fixtures.js";
import { useClockedNode } from "../support/pool.js";
import { useTwoNodes } from "../support/two-nodes.js";

const stored = (events: SyncResult["events"]): StoredEvent[] => events.flatMap((e) => ("type" in e ? [e] : []));

async function startCircle(fac: TestClient, tag: string): Promise<string> {
  const { circleId } = await fac.ok<{ circleId: string }>("circle:start", {
    id: randomUUID(),
    cohortId: `cohort-${tag}`,
    title: "Week 3 circle",
  });
  await fac.ok("circle:join", { circleId });
  return circleId;
}
async function agreeAndJoin(c: TestClient, circleId: string): Promise<void> {
  const joined = await c.ok<CircleJoined>("circle:join", { circleId });
  if (joined.needsAgreement) {
    await c.ok("circle:agree", { id: randomUUID(), circleId });
    await c.ok("circle:join", { circleId });
  }
}
/** Who a client is signed in as, from the server's hello. */
function idOf(c: TestClient): string {
  const hello = c.received.find((m) => m.name === "hello")?.payload;
  const user = hello && typeof hello === "object" && "user" in hello ? hello.user : null;
  const id = user && typeof user === "object" && "id" in user ? user.id : null;
  if (typeof id !== "string") throw new Error("no hello from the server yet");
  return id;
}
/** The circle's state as the pushes to `c` have it: who holds the piece, who is there. */
function lastPiece(c: TestClient, circleId: string): StoredEvent | undefined {
  return c.events
    .filter((m) => m.stream === streamName("circle", circleId))
    .flatMap((m) => ("type" in m.event && m.event.type === "piece.moved" ? [m.event] : []))
    .at(-1);
}

describe("a circle of the people who are there (one node, Redis, moved clock)", () => {
  const ctx = useClockedNode("redis");
  const keyId = async (key: string) => {
    const email = mainCohort(ctx.node.tag).people.find((p) => p.key === key)?.email ?? "";
    const u = await ctx.node.app.services.users.byEmail(email);
    if (!u) throw new Error(`no user ${key}`);
    return u.id;
  };

  it("[CIR2] [PR5] the server's presence decides who the piece goes to: never-came and gone seats are skipped, an arrival gets their turn", async () => {
    const { node, clock, pool } = ctx;
    const fac = await pool.connect("fac1");
    const circleId = await startCircle(fac, node.tag);
    const [p1, p2] = [await pool.connect("p1"), await pool.connect("p2")];
    for (const c of [p1, p2]) await agreeAndJoin(c, circleId);
    const [f1Id, p1Id, p2Id, p3Id] = await Promise.all(["fac1", "p1", "p2", "p3"].map(keyId));
    const state = async () => node.app.services.streams.state("circle", circleId);
    expect((await state()).present.sort()).toEqual([f1Id, p1Id, p2Id].sort());

    // p3 and fac2 never came: the round goes fac1 → p1 → p2 → fac1 and ends there.
    await fac.ok("circle:piece", { id: randomUUID(), circleId, action: "finish" });
    await p1.ok("circle:piece", { id: randomUUID(), circleId, action: "pass" });
    await p2.ok("circle:piece", { id: randomUUID(), circleId, action: "pass" });
    expect((await state()).holder).toBe(f1Id);
    // A participant's own word about presence is not taken: the piece can't be handed to p3.
    expect(await fac.send("circle:piece", { id: randomUUID(), circleId, action: "hand", to: p3Id })).toMatchObject({
      ok: false,
      error: { code: "RULE_VIOLATION" },
    });
    await fac.ok("circle:piece", { id: randomUUID(), circleId, action: "pass" });
    expect((await state()).roundOver).toBe(true);

    // Next round: p3 arrives while p1 holds the piece; their seat is ahead, so they get it after p2.
    await fac.ok("circle:piece", { id: randomUUID(), circleId, action: "hand", to: p1Id });
    const p3 = await pool.connect("p3");
    await agreeAndJoin(p3, circleId);
    await p1.ok("circle:piece", { id: randomUUID(), circleId, action: "pass" });
    await p2.ok("circle:piece", { id: randomUUID(), circleId, action: "finish" });
    await p1.until(() => lastPiece(p1, circleId)?.data["to"] === p3Id, 5000, "p3 holds the piece on p1's screen");

    // p2's phone drops: within the grace p2 still counts; after it the piece skips p2.
    const p2Socket = p2.socket.id;
    p2.close();
    await expect
      .poll(
        async () =>
          (await node.stores.presence.list(circlePresenceRoom(circleId))).some(
            (e) => e.connId === p2Socket && e.state === "disconnected",
          ),
        { timeout: 5000 },
      )
      .toBe(true);
    clock.advance(PRESENCE_TIMINGS.graceMs + 1);
    await node.app.tick();
    expect((await state()).present).not.toContain(p2Id);
    await p3.ok("circle:piece", { id: randomUUID(), circleId, action: "pass" });
    await p3.until(() => lastPiece(p3, circleId)?.data["to"] === f1Id, 5000, "fac1 next, p2 skipped");
    // Leaving the room in the app empties the seat at once.
    await p3.ok("circle:leave", { circleId });
    expect((await state()).present).not.toContain(p3Id);
    const log = await node.stores.log.read(streamName("circle", circleId), 0, 500);
    const p2Moves = log.events.filter((e) => e.type === "circle.presence" && e.data["userId"] === p2Id);
    expect(p2Moves.map((e) => e.data["present"])).toEqual([true, false]);
  });

  it("[CIR2] two passes sent at the same moment leave one holder; the second is refused", async () => {
    const { node, pool } = ctx;
    const fac = await pool.connect("fac1");
    const circleId = await startCircle(fac, node.tag);
    const p1 = await pool.connect("p1");
    await agreeAndJoin(p1, circleId);
    const p1Id = await keyId("p1");
    const f1Id = await keyId("fac1");
    const acks = await Promise.all([
      fac.send("circle:piece", { id: randomUUID(), circleId, action: "pass" }),
      fac.send("circle:piece", { id: randomUUID(), circleId, action: "finish" }),
    ]);
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(acks.filter((a) => !a.ok)).toMatchObject([{ ok: false, error: { code: "RULE_VIOLATION" } }]);
    const s = await node.app.services.streams.state("circle", circleId);
    expect(s.holder).toBe(p1Id);
    const log = await node.stores.log.read(streamName("circle", circleId), 0, 500);
    expect(log.events.filter((e) => e.type === "piece.moved").map((e) => e.data["from"])).toEqual([f1Id]);
  });
});

describe("facilitator notes and shared entries across two nodes", () => {
  const env = useTwoNodes("circle-day");

  it("[CIR6] [AC3] two facilitators on two nodes writing at the same moment both keep their entries; a participant's socket never receives them", async () => {
    const fac1 = await env.connect("fac1", 0);
    const fac2 = await env.connect("fac2", 1);
    const p1 = await env.connect("p1", 1);
    const circleId = await startCircle(fac1, env.tag);
    await fac2.ok("circle:join", { circleId });
    await agreeAndJoin(p1, circleId);
    for (const f of [fac1, fac2])
      await f.ok("stream:sync", { stream: streamName("fnote", circleId), epoch: null, seq: 0 });
    const p1Id = idOf(p1);
    const texts = ["FNOTE-ONE p1 went quiet", "FNOTE-TWO p1 cried, then laughed", "FNOTE-GROUP steady"];
    const sent = await Promise.all([
      fac1.ok<{ seq: number }>("fnote:save", { id: randomUUID(), circleId, about: p1Id, text: texts[0] }),
      fac2.ok<{ seq: number }>("fnote:save", { id: randomUUID(), circleId, about: p1Id, text: texts[1] }),
      fac2.ok<{ seq: number }>("fnote:save", { id: randomUUID(), circleId, about: null, text: texts[2] }),
    ]);
    expect(new Set(sent.map((a) => a.seq)).size).toBe(3);
    const all = stored(
      (await fac1.ok<SyncResult>("stream:sync", { stream: streamName("fnote", circleId), epoch: null, seq: 0 })).events,
    );
    expect(all.filter((e) => e.type === "fnote.added").map((e) => e.data["text"])).toEqual(
      expect.arrayContaining(texts),
    );
    expect(new Set(all.map((e) => e.actor))).toEqual(new Set([idOf(fac1), idOf(fac2)]));
    // Both facilitators' screens get both entries pushed.
    for (const f of [fac1, fac2])
      await f.until(
        () => texts.every((t) => f.events.some((m) => "data" in m.event && m.event.data["text"] === t)),
        5000,
        "every entry pushed to each facilitator",
      );
    // A barrier: a circle event after the notes reaches p1, so anything sent before it has arrived.
    const barrier = await fac1.ok<{ seq: number }>("circle:piece", { id: randomUUID(), circleId, action: "finish" });
    await p1.until(
      () => p1.events.some((m) => m.stream === streamName("circle", circleId) && m.event.seq === barrier.seq),
      5000,
      "barrier on p1",
    );
    expect(JSON.stringify(p1.received)).not.toContain("FNOTE-");
    expect(await p1.send("stream:sync", { stream: streamName("fnote", circleId), epoch: null, seq: 0 })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });

  it("[CIR5] a shared entry reaches the circle on the other node; unshared, the circle's state drops it; only the owner can unshare", async () => {
    const fac1 = await env.connect("fac1", 0);
    const p1 = await env.connect("p1", 0);
    const p2 = await env.connect("p2", 1);
    const circleId = await startCircle(fac1, env.tag);
    for (const c of [p1, p2]) await agreeAndJoin(c, circleId);
    const shared = await p1.ok<{ entryId: string }>("journal:write", { id: randomUUID(), text: "SHARE-ME", circleId });
    await p1.ok("journal:write", { id: randomUUID(), text: "NEVER-SHARED", circleId });
    const share = await p1.ok<{ seq: number }>("journal:share", {
      id: randomUUID(),
      entryId: shared.entryId,
      circleId,
    });
    await p2.until(
      () => p2.events.some((m) => m.stream === streamName("circle", circleId) && m.event.seq === share.seq),
      5000,
      "share on p2",
    );
    expect(await p2.send("journal:unshare", { id: randomUUID(), entryId: shared.entryId, circleId })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    const unshare = await p1.ok<{ seq: number }>("journal:unshare", {
      id: randomUUID(),
      entryId: shared.entryId,
      circleId,
    });
    await p2.until(
      () =>
        p2.events.some((m) => m.event.seq === unshare.seq && "type" in m.event && m.event.type === "journal.unshared"),
      5000,
      "unshare on p2",
    );
    const joined = await p2.ok<CircleJoined>("circle:join", { circleId });
    const types = stored(joined.sync.events).map((e) => e.type);
    expect(types.filter((t) => t.startsWith("journal."))).toEqual(["journal.shared", "journal.unshared"]);
    expect(JSON.stringify(p2.received)).not.toContain("NEVER-SHARED");
    expect(JSON.stringify(fac1.received)).not.toContain("NEVER-SHARED");
  });
});

import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName, type StoredEvent } from "../../shared/log.js";
import type { Ack } from "../../shared/protocol/errors.js";
import type { LiveCommandReplies } from "../../shared/protocol/live.js";
import type { TestClient } from "../support/client.js";
import { mainCohort } from "../support/fixtures.js";
import { useClockedNode } from "../support/pool.js";

const fullEvents = (c: TestClient): StoredEvent[] =>
  c.events.map((m) => m.event).filter((e): e is StoredEvent => "type" in e);

/** Release on a dosing day, through the real gateway and log (issue 11). */
describe("dosing day release on one node", () => {
  const t = useClockedNode("redis");
  const pool = t.pool;
  const sessionId = () => `live-${t.node.tag}`;
  const head = async (id = sessionId()) => (await t.node.stores.log.head(streamName("session", id))).seq;
  const idOf = async (key: string): Promise<string> => {
    const email = mainCohort(t.node.tag).people.find((p) => p.key === key)?.email ?? "";
    const u = await t.node.app.services.users.byEmail(email);
    if (!u) throw new Error(`no user ${key}`);
    return u.id;
  };
  const messageOf = (r: Ack<unknown>): string => (r.ok ? "" : r.error.message);

  it("[LIVE10] the release is confirmed against the plan on file; a different driver is the logged plan change; the phone is told", async () => {
    const fac = await pool.connect("fac1");
    const [p1, p2] = [await pool.connect("p1"), await pool.connect("p2")];
    for (const c of [fac, p1, p2]) await c.ok("session:join", { sessionId: sessionId(), since: null });
    const p1Id = await idOf("p1");
    const base = { sessionId: sessionId(), participantId: p1Id };
    await fac.ok("participant:admit", { id: randomUUID(), ...base });
    await fac.ok("dose:record", { id: randomUUID(), ...base, mg: 2, kind: "primary" });
    t.clock.advance(61 * 60_000);

    // The form is shown the plan on file (staff only).
    const ctx = await fac.ok<LiveCommandReplies["live:context"]>("live:context", { sessionId: sessionId() });
    expect(ctx.release[p1Id]?.plan?.driver).toBe("A friend");
    expect(ctx.release[p1Id]?.lastEarlierDose).toBeNull();

    // "As planned" with another name is refused, naming the plan; nothing is written.
    let before = await head();
    const mismatch = await fac.send("release:record", {
      id: randomUUID(),
      ...base,
      transportBy: "Sam",
      planConfirmed: true,
    });
    expect(messageOf(mismatch)).toBe(
      "The plan on file says A friend is taking them home, not Sam. Confirm the plan, or record the change.",
    );
    const silent = await fac.send("release:record", {
      id: randomUUID(),
      ...base,
      transportBy: "Sam",
      planConfirmed: false,
    });
    expect(messageOf(silent)).toBe(
      "Sam is not the driver on the plan on file (A friend): describe the change so it is logged.",
    );
    expect(await head()).toBe(before);

    // A different driver, with what changed: released, and the change logged beside the plan.
    before = await head();
    const done = await fac.ok<{ seq: number }>("release:record", {
      id: randomUUID(),
      ...base,
      transportBy: "Sam (cousin)",
      planConfirmed: false,
      planChange: "The friend is ill; her cousin Sam collects",
    });
    expect(done.seq).toBe(before + 1);
    const { events } = await t.node.stores.log.read(streamName("session", sessionId()), before, 10);
    expect(events.map((e) => [e.type, e.data.transportBy])).toEqual([
      ["participant.released", "Sam (cousin)"],
      ["participant.going_home", "Sam (cousin)"],
    ]);
    expect(events[0]?.data).toMatchObject({
      planConfirmed: false,
      plannedDriver: "A friend",
      planChange: "The friend is ill; her cousin Sam collects",
      returningClient: false,
    });
    // The participant's own phone learns who is taking them home; the release itself stays staff-only.
    await p1.until(() => fullEvents(p1).some((e) => e.type === "participant.going_home"), 5000, "going home");
    expect(fullEvents(p1).some((e) => e.type === "participant.released")).toBe(false);
    const p2Saw = JSON.stringify(p2.received);
    expect(p2Saw).not.toContain("Sam (cousin)");
    expect(p2Saw).not.toContain("participant.going_home");
    // Released: "I need support" says whom to call instead, and writes nothing.
    before = await head();
    const help = await p1.send("support:request", { id: randomUUID(), sessionId: sessionId() });
    expect(messageOf(help)).toMatch(/^You have been released from this session/);
    expect(await head()).toBe(before);
  });

  it("[LIVE2] [SCH7] at release the returning-client minimum is per participant, from their doses in the program's other sessions", async () => {
    const fac = await pool.connect("fac1");
    const [p2Id, p3Id] = [await idOf("p2"), await idOf("p3")];
    // An earlier dosing session in the program: p2 is dosed there (p3 is not).
    const { sessionId: earlier } = await fac.ok<{ sessionId: string }>("session:open", {
      id: randomUUID(),
      cohortId: `cohort-${t.node.tag}`,
      title: "An earlier dosing day",
    });
    await fac.ok("session:join", { sessionId: earlier, since: null });
    await fac.ok("participant:admit", { id: randomUUID(), sessionId: earlier, participantId: p2Id });
    await fac.ok("dose:record", { id: randomUUID(), sessionId: earlier, participantId: p2Id, mg: 2, kind: "primary" });
    t.clock.advance(61 * 60_000);
    await fac.ok("release:record", { id: randomUUID(), sessionId: earlier, participantId: p2Id, planConfirmed: true });

    // Today's session: both get 2 mg; 31 minutes later p2 (returning) may go, p3 (new) may not.
    await fac.ok("session:join", { sessionId: sessionId(), since: null });
    for (const id of [p2Id, p3Id]) {
      await fac.ok("participant:admit", { id: randomUUID(), sessionId: sessionId(), participantId: id });
      await fac.ok("dose:record", {
        id: randomUUID(),
        sessionId: sessionId(),
        participantId: id,
        mg: 2,
        kind: "primary",
      });
    }
    const ctx = await fac.ok<LiveCommandReplies["live:context"]>("live:context", { sessionId: sessionId() });
    expect(ctx.release[p2Id]?.lastEarlierDose).not.toBeNull();
    expect(ctx.release[p3Id]?.lastEarlierDose).toBeNull();
    t.clock.advance(31 * 60_000);
    const refused = await fac.send("release:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p3Id,
      planConfirmed: true,
    });
    expect(messageOf(refused)).toMatch(/^Earliest release is .* \+ the minimum for 2 mg\)\. Before then/);
    const before = await head();
    await fac.ok("release:record", {
      id: randomUUID(),
      sessionId: sessionId(),
      participantId: p2Id,
      planConfirmed: true,
    });
    const { events } = await t.node.stores.log.read(streamName("session", sessionId()), before, 1);
    expect(events[0]?.data).toMatchObject({ returningClient: true });
  });
});

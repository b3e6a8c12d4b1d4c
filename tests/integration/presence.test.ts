import { describe, expect, it } from "vitest";
import { streamName } from "../../shared/log.js";
import type { SessionJoined } from "../../shared/protocol/events.js";
import { PRESENCE_TIMINGS } from "../../server/presence/service.js";
import { TestClient } from "../support/client.js";
import { usePool } from "../support/pool.js";
import { mainCohort } from "../support/fixtures.js";
import { ManualClock, startApp, type Running, type StoreKind } from "../support/harness.js";

const kinds: StoreKind[] = ["embedded", "redis"];

describe.each(kinds)("presence on the %s store", (kind) => {
  let node: Running & { tag: string };
  let clock: ManualClock;
  const pool = usePool(() => node);
  const connect = (key: string) => pool.connect(key);
  async function userId(key: string): Promise<string> {
    const person = mainCohort(node.tag).people.find((p) => p.key === key);
    return (await node.app.services.users.byEmail(person?.email ?? ""))?.id ?? "";
  }
  const sessionId = () => `live-${node.tag}`;
  /** Close a tab and wait until the server has turned its entry into a grace entry. */
  const closeAndWait = async (c: TestClient) => {
    const id = c.socket.id;
    c.close();
    await expect
      .poll(
        async () =>
          (await node.stores.presence.list(sessionId())).some((e) => e.connId === id && e.state === "disconnected"),
        { timeout: 5000 },
      )
      .toBe(true);
  };

  async function setup() {
    clock = new ManualClock();
    node = await startApp(kind, { clock });
    const f1 = await connect("fac1");
    await f1.ok("session:join", { sessionId: sessionId(), since: null });
    return f1;
  }

  it("[PR1] a person with two tabs stays online when one tab closes", async () => {
    const f1 = await setup();
    const p1 = await userId("p1");
    const [tabA, tabB] = [await connect("p1"), await connect("p1")];
    await tabA.ok("session:join", { sessionId: sessionId(), since: null });
    await tabB.ok("session:join", { sessionId: sessionId(), since: null });
    await f1.until(() => f1.presenceOf(p1) === "online", 5000, "p1 online");
    await tabA.ok("session:leave", { sessionId: sessionId() });
    const after = await f1.ok<SessionJoined>("session:join", { sessionId: sessionId(), since: null });
    expect(after.presence.find((p) => p.userId === p1)?.state).toBe("online");
    expect(f1.presenceOf(p1)).toBe("online");
  });

  it("[PR2] a hidden tab shows away; a dropped connection keeps 10 s of grace, then offline", async () => {
    const f1 = await setup();
    const p1 = await userId("p1");
    const tab = await connect("p1");
    await tab.ok("session:join", { sessionId: sessionId(), since: null });
    await tab.ok("presence:set", { sessionId: sessionId(), state: "away" });
    await f1.until(() => f1.presenceOf(p1) === "away", 5000, "p1 away");
    await tab.ok("presence:set", { sessionId: sessionId(), state: "online" });
    await f1.until(() => f1.presenceOf(p1) === "online", 5000, "p1 online again");
    await closeAndWait(tab);
    clock.advance(PRESENCE_TIMINGS.graceMs - 1);
    await node.app.tick();
    const during = await f1.ok<SessionJoined>("session:join", { sessionId: sessionId(), since: null });
    expect(during.presence.find((p) => p.userId === p1)?.state).toBe("online");
    clock.advance(2);
    await node.app.tick();
    await f1.until(() => f1.presenceOf(p1) === "offline", 5000, "p1 offline after grace");
  });

  it("[PR5] a participant leaving the room is a logged event; presence flicker within grace is not", async () => {
    const f1 = await setup();
    const p1 = await userId("p1");
    const tab = await connect("p1");
    await tab.ok("session:join", { sessionId: sessionId(), since: null });
    await closeAndWait(tab);
    const again = await connect("p1");
    await again.ok("session:join", { sessionId: sessionId(), since: null });
    await again.ok("session:leave", { sessionId: sessionId() });
    clock.advance(PRESENCE_TIMINGS.graceMs + 1);
    await node.app.tick();
    await f1.until(() => f1.presenceOf(p1) === "offline", 5000, "offline once the grace of the dropped tab is over");
    const log = await node.stores.log.read(streamName("session", sessionId()), 0, 200);
    const mine = log.events.filter((e) => e.actor === p1 && e.type.startsWith("participant."));
    expect(mine.map((e) => e.type)).toEqual(["participant.arrived", "participant.left"]);
    await f1.until(
      () => f1.events.some((m) => "type" in m.event && m.event.type === "participant.left"),
      5000,
      "left event on facilitator",
    );
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../../server/app.js";
import { LIVE_INDEX_ID } from "../../shared/domain/live-index.js";
import { ManualClock, makeStores } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";

const opened: App[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
  for (const c of cleanups.splice(0)) await c();
});

/** An app that is never listened on: only its services are used. */
async function appOn(prefix: string, clock: ManualClock): Promise<App> {
  const { stores, cleanup } = await makeStores("redis", prefix, () => clock.now());
  cleanups.push(async () => {
    await stores.close();
    await cleanup();
  });
  const app = createApp({ stores, clock, nodeId: "node-same", timers: false });
  opened.push(app);
  return app;
}

describe("the list the live checks walk [LIVE6]", () => {
  it("[LIVE6] what a node already listed is remembered per app, never per process: a second app with the same node id lists again", async () => {
    const prefix = freshPrefix();
    const clock = new ManualClock();
    const a = await appOn(prefix, clock);
    const b = await appOn(prefix, clock);
    const due = a.services.stores.due;
    const dueIds = async () => (await due.due(clock.now(), 10)).map((d) => d.id);

    await a.services.listing.ensure("s-listed");
    expect(await dueIds()).toEqual(["s-listed"]);
    expect(await due.reschedule("s-listed", clock.now(), null)).toBe(true);

    // App A remembers it listed the session and spares the store the round trip…
    await a.services.listing.ensure("s-listed");
    expect(await dueIds()).toEqual([]);
    // …but app B, same process and node id, has its own memory and makes its checks due again.
    await b.services.listing.ensure("s-listed");
    expect(await dueIds()).toEqual(["s-listed"]);
    expect((await b.services.streams.state("index", LIVE_INDEX_ID)).sessions).toEqual(["s-listed"]);
  });
});

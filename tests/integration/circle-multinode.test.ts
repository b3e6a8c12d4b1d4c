import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName } from "../../shared/log.js";
import type { CircleJoined } from "../../shared/protocol/circle.js";
import { compactNotes } from "../../server/jobs/compaction.js";
import type { TestClient } from "../support/client.js";
import { useTwoNodes } from "../support/two-nodes.js";
import { NotesPeer } from "./circle-support.js";

/** [CIR4] Five people typing into one circle's notes through two real server processes on one Redis. */
describe("circle notes on two nodes", () => {
  const two = useTwoNodes("cir");
  const connect = (key: string, on: number): Promise<TestClient> => two.connect(key, on);
  const peers: NotesPeer[] = [];
  afterEach(() => {
    for (const p of peers.splice(0)) p.destroy();
  });

  async function peer(key: string, on: number, circleId: string): Promise<NotesPeer> {
    const c = await connect(key, on);
    const joined = await c.ok<CircleJoined>("circle:join", { circleId });
    if (joined.needsAgreement) await c.ok("circle:agree", { id: randomUUID(), circleId });
    // Subscribe to the notes stream's pushes: stream:sync (in sync()) authorizes and subscribes.
    const p = new NotesPeer(c, circleId);
    peers.push(p);
    await p.sync();
    return p;
  }

  it("[CIR4] [LOG3] five clients on two nodes converge with nothing lost; the text survives kill -9 of a node, a reload and compaction", async () => {
    const fac = await connect("fac1", 0);
    const { circleId } = await fac.ok<{ circleId: string }>("circle:start", {
      id: randomUUID(),
      cohortId: `cohort-${two.tag}`,
      title: "Notes",
    });
    const people: [string, number][] = [
      ["fac1", 0],
      ["fac2", 1],
      ["p1", 0],
      ["p2", 1],
      ["p3", 1],
    ];
    const writers = await Promise.all(people.map(([key, on]) => peer(key, on, circleId)));
    // Everyone types at once: 20 rounds, each writer inserting a tagged word at a pseudo-random place.
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % (n + 1);
    };
    const words: string[] = [];
    for (let round = 0; round < 20; round++) {
      for (const [i, w] of writers.entries()) {
        const word = `[w${i}r${round}]`;
        words.push(word);
        // At a word boundary, so a later check can find every word whole.
        const text = w.text.toJSON();
        const bounds = [0, ...[...text].flatMap((ch, at) => (ch === "]" ? [at + 1] : []))];
        w.type(bounds[rand(bounds.length - 1)] ?? 0, word);
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writers.map((w) => w.flushed()));
    const total = writers.reduce((n, w) => n + w.acked.length, 0);
    const head = (await two.stores.log.head(streamName("notes", circleId))).seq;
    expect(head).toBe(total);
    // Converged: every client shows the same text, with every word in it.
    await Promise.all(writers.map((w) => w.client.until(() => w.seq >= head, 10_000, "all updates applied")));
    const text = writers[0]?.text.toJSON() ?? "";
    for (const w of writers) expect(w.text.toJSON()).toBe(text);
    for (const word of words) expect(text).toContain(word);
    expect(text.length).toBe(words.join("").length); // nothing lost, nothing doubled

    // kill -9 node B mid-circle; a client reloading on node A rebuilds the same text from the log.
    await two.node(1).kill9();
    const reloaded = await peer("p2", 0, circleId);
    expect(reloaded.text.toJSON()).toBe(text);

    // Compaction (as a node would run it) leaves the document unchanged for the next reload.
    expect(await compactNotes(two.stores.log, streamName("notes", circleId), 1)).toBe(head);
    const afterCompaction = await peer("p3", 0, circleId);
    expect(afterCompaction.text.toJSON()).toBe(text);
    console.info(`notes: ${total} updates from 5 clients on 2 nodes converged; ${text.length} chars`);
  }, 90_000);
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backends, type Backend } from "./backends.js";

describe.each(backends)("DueStore contract: %s", (_name, factory) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await factory();
  });
  afterEach(async () => {
    await backend.dispose();
  });

  it("[LIVE6] keeps the earliest time per id and returns what is due, earliest first", async () => {
    const { due } = await backend.open();
    await due.schedule("s1", 5000);
    await due.schedule("s1", 9000); // later: ignored
    await due.schedule("s2", 3000);
    await due.schedule("s3", 20_000);
    expect(await due.due(4000, 10)).toEqual([{ id: "s2", at: 3000 }]);
    expect(await due.due(10_000, 10)).toEqual([
      { id: "s2", at: 3000 },
      { id: "s1", at: 5000 },
    ]);
    expect(await due.due(10_000, 1)).toEqual([{ id: "s2", at: 3000 }]);
    await due.schedule("s3", 1000); // earlier: taken
    expect((await due.due(1500, 10)).map((d) => d.id)).toEqual(["s3"]);
  });

  it("[LIVE6] reschedule moves an entry only if nobody scheduled it in between (a new alert is never overwritten)", async () => {
    const [a, b] = await backend.nodes(2);
    if (!a || !b) throw new Error("no nodes");
    await a.due.schedule("s1", 1000);
    // Node B checks the session (due at 1000) and computes its next time, 15 s later…
    // …while node A records a new alert and makes it due at once.
    await a.due.schedule("s1", 900);
    expect(await b.due.reschedule("s1", 1000, 16_000)).toBe(false);
    expect(await b.due.due(1000, 10)).toEqual([{ id: "s1", at: 900 }]);
    expect(await b.due.reschedule("s1", 900, 16_000)).toBe(true);
    expect(await a.due.due(15_999, 10)).toEqual([]);
    expect(await a.due.due(16_000, 10)).toEqual([{ id: "s1", at: 16_000 }]);
    expect(await a.due.reschedule("s1", 16_000, null)).toBe(true);
    expect(await a.due.due(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });
});

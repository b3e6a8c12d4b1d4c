import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { streamName } from "../../shared/log.js";
import { MAX_COMMAND_BYTES } from "../../shared/protocol/events.js";
import { usePool } from "../support/pool.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { jsonAt } from "../support/json-at.js";

const kinds: StoreKind[] = ["embedded", "redis"];

describe.each(kinds)("[AC5] bad input on the %s store", (kind) => {
  let node: Running & { tag: string };
  const pool = usePool(() => node);
  const connect = (key: string) => pool.connect(key);

  it("[AC5] each kind of bad socket input gets its stable code; nothing is written or broadcast; the server stays up", async () => {
    node = await startApp(kind);
    const sessionId = `live-${node.tag}`;
    const stream = streamName("session", sessionId);
    const [f1, p1] = [await connect("fac1"), await connect("p1")];
    await f1.ok("session:join", { sessionId, since: null });
    await p1.ok("session:join", { sessionId, since: null });
    const before = await node.stores.log.head(stream);
    const seenBefore = f1.events.length;

    const cases: [string, string, unknown, string][] = [
      ["unknown event", "session:explode", { sessionId }, "UNKNOWN_EVENT"],
      ["payload not an object", "checkin:send", "ok please", "INVALID_PAYLOAD"],
      ["missing field", "checkin:send", { id: randomUUID(), sessionId }, "INVALID_PAYLOAD"],
      [
        "wrong type",
        "checkin:send",
        { id: randomUUID(), sessionId, status: "ok", intensity: "high" },
        "INVALID_PAYLOAD",
      ],
      ["out of range", "checkin:send", { id: randomUUID(), sessionId, status: "ok", intensity: 11 }, "INVALID_PAYLOAD"],
      ["unknown status", "checkin:send", { id: randomUUID(), sessionId, status: "fine" }, "INVALID_PAYLOAD"],
      [
        "extra field",
        "checkin:send",
        { id: randomUUID(), sessionId, status: "ok", participantId: "someone-else" },
        "INVALID_PAYLOAD",
      ],
      [
        "text over 500 characters",
        "checkin:send",
        { id: randomUUID(), sessionId, status: "ok", text: "x".repeat(501) },
        "INVALID_PAYLOAD",
      ],
      [
        "oversized payload",
        "checkin:send",
        { id: randomUUID(), sessionId, status: "ok", pad: "x".repeat(MAX_COMMAND_BYTES + 10) },
        "PAYLOAD_TOO_LARGE",
      ],
      ["null payload", "session:join", null, "INVALID_PAYLOAD"],
      ["bad id characters", "checkin:send", { id: "a b/c", sessionId, status: "ok" }, "INVALID_PAYLOAD"],
      ["bad stream name", "stream:sync", { stream: "../../etc", epoch: null, seq: 0 }, "INVALID_PAYLOAD"],
      ["negative seq", "stream:sync", { stream, epoch: null, seq: -1 }, "INVALID_PAYLOAD"],
      [
        "participant opens a session",
        "session:open",
        { id: randomUUID(), cohortId: `cohort-${node.tag}`, title: "mine" },
        "FORBIDDEN",
      ],
    ];
    for (const [what, name, payload, code] of cases) {
      const reply = await p1.send(name, payload);
      expect(reply.ok, what).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code, what).toBe(code);
        expect(reply.error.message.length, what).toBeGreaterThan(10);
      }
    }
    // A check-in with text at exactly the limit is fine, and it is the very next event: nothing else was written.
    const good = await p1.ok<{ seq: number }>("checkin:send", {
      id: randomUUID(),
      sessionId,
      status: "ok",
      text: "y".repeat(500),
    });
    expect(good.seq).toBe(before.seq + 1);
    await f1.until(() => f1.events.some((m) => m.event.seq === good.seq), 5000, "barrier event");
    expect(f1.events.slice(seenBefore).map((m) => m.event.seq)).toEqual([good.seq]);
    // An event sent without an ack callback still gets a readable refusal, and the server is still up.
    p1.socket.emit("nonsense");
    await p1.until(() => p1.received.some((r) => r.name === "error:protocol"), 5000, "protocol error");
    const health = await fetch(`${node.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it("[AC5] bad HTTP bodies get a stable code and a readable message", async () => {
    node = await startApp(kind);
    const post = (body: string) =>
      fetch(`${node.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const cases: [string, string, number, string][] = [
      ["not JSON", "{nope", 400, "INVALID_PAYLOAD"],
      ["missing password", JSON.stringify({ email: "a@b.test" }), 400, "INVALID_PAYLOAD"],
      ["not an email", JSON.stringify({ email: "nobody", password: "x" }), 400, "INVALID_PAYLOAD"],
      ["too large", JSON.stringify({ email: "a@b.test", password: "x".repeat(20_000) }), 413, "PAYLOAD_TOO_LARGE"],
    ];
    for (const [what, body, status, code] of cases) {
      const res = await post(body);
      expect(res.status, what).toBe(status);
      const json: unknown = await res.json();
      expect(jsonAt(json, "error", "code"), what).toBe(code);
      expect(typeof jsonAt(json, "error", "message"), what).toBe("string");
    }
    // Every API route but sign-in needs a session [AC1], so an unknown one asks for sign-in first.
    const unknownRoute = await fetch(`${node.url}/api/nothing-here`);
    expect(unknownRoute.status).toBe(401);
    expect(jsonAt(await unknownRoute.json(), "error", "code")).toBe("UNAUTHENTICATED");
  });
});

import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { streamName, type StreamName } from "../../shared/log.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { jsonAt } from "../support/json-at.js";
import { Http, phoneMark } from "./admin-support.js";

const kinds: StoreKind[] = ["embedded", "redis"];
const NUL = "\u0000";

/**
 * Issue 13, input edges: NUL and the other control characters were accepted and stored in every
 * free-text field. They are refused with INVALID_PAYLOAD naming the field, and nothing is written;
 * line breaks and tabs stay allowed in the texts that have several lines.
 */
describe.each(kinds)("[AC5] control characters in text fields on the %s store", (kind) => {
  let node: (Running & { tag: string }) | null = null;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await node?.stop();
    node = null;
  });

  it("[AC5][REC3] NUL in a title, a description, a driver, a journal entry, a check-in or a program name is refused by field, and nothing is written", async () => {
    node = await startApp(kind);
    const { url, tag, stores } = node;
    const email = (key: string) => mainCohort(tag).people.find((p) => p.key === key)?.email ?? "";
    const cohortId = `cohort-${tag}`;
    const sessionId = `live-${tag}`;
    const client = async (key: string) => {
      const c = new TestClient(url, await signIn(url, email(key), TEST_PASSWORD));
      clients.push(c);
      await c.connected();
      return c;
    };
    const [fac, p1] = [await client("fac1"), await client("p1")];
    for (const c of [fac, p1]) await c.ok("session:join", { sessionId, since: null });
    const p1Id = (await node.app.services.users.byEmail(email("p1")))?.id ?? "";
    await fac.ok("participant:admit", { id: randomUUID(), sessionId, participantId: p1Id });
    const programId = `prog-nul-${tag}`;
    const sessionStream = streamName("session", sessionId);
    const watched: StreamName[] = [
      sessionStream,
      streamName("cohort", cohortId),
      streamName("journal", p1Id),
      streamName("program", programId),
    ];
    const heads = () => Promise.all(watched.map((s) => stores.log.head(s)));
    const before = await heads();

    const socketCases: [string, TestClient, string, Record<string, unknown>, string][] = [
      ["session title", fac, "session:open", { id: randomUUID(), cohortId, title: `Dosing${NUL}day` }, "title"],
      [
        "adverse-event description",
        fac,
        "adverse:record",
        {
          id: randomUUID(),
          sessionId,
          participantId: p1Id,
          kind: "behavioral",
          severity: "mild",
          emergencyServicesCalled: false,
          description: `Felt faint${NUL}`,
        },
        "description",
      ],
      ["journal entry", p1, "journal:write", { id: randomUUID(), text: `dear diary${NUL}`, circleId: null }, "text"],
      ["check-in text", p1, "checkin:send", { id: randomUUID(), sessionId, status: "ok", text: `ok${NUL}` }, "text"],
      [
        "check-in text with an escape",
        p1,
        "checkin:send",
        { id: randomUUID(), sessionId, status: "ok", text: "ok\u001b[2J" },
        "text",
      ],
      [
        "transport at release",
        fac,
        "release:record",
        { id: randomUUID(), sessionId, participantId: p1Id, transportBy: `Sam${NUL}`, planConfirmed: false },
        "transportBy",
      ],
    ];
    for (const [what, c, name, payload, field] of socketCases) {
      const reply = await c.send(name, payload);
      expect(reply.ok, what).toBe(false);
      if (reply.ok) continue;
      expect(reply.error.code, what).toBe("INVALID_PAYLOAD");
      expect(Object.keys(reply.error.fields ?? {}), what).toContain(field);
      expect(reply.error.message, what).toMatch(/control character/);
    }

    const admin = await Http.as(url, tag, "admin");
    const me = await Http.as(url, tag, "p1");
    const httpCases: [string, Http, string, Record<string, unknown>, string][] = [
      ["program name", admin, "/api/admin/programs", { id: programId, name: `Clinic${NUL}`, zone: "UTC" }, "name"],
      [
        "transport driver",
        me,
        `/api/cohorts/${cohortId}/transport`,
        { id: randomUUID(), driver: `Sam${NUL}`, contact: phoneMark(tag, 1), notes: "" },
        "driver",
      ],
      [
        "transport driver with a line break",
        me,
        `/api/cohorts/${cohortId}/transport`,
        { id: randomUUID(), driver: "Sam\nLee", contact: phoneMark(tag, 1), notes: "" },
        "driver",
      ],
    ];
    for (const [what, who, path, body, field] of httpCases) {
      const r = await who.post(path, body);
      expect(r.status, what).toBe(400);
      expect(jsonAt(r.json, "error", "code"), what).toBe("INVALID_PAYLOAD");
      const fields = jsonAt(r.json, "error", "fields");
      expect(fields !== null && typeof fields === "object" ? Object.keys(fields) : [], what).toContain(field);
    }
    expect(await heads()).toEqual(before);

    // Where a text has several lines, line breaks and tabs are still kept as written.
    await p1.ok("checkin:send", { id: randomUUID(), sessionId, status: "ok", text: "a bit dizzy\nbetter now" });
    await p1.ok("journal:write", { id: randomUUID(), text: "line one\n\tline two", circleId: null });
    await fac.ok("adverse:record", {
      id: randomUUID(),
      sessionId,
      participantId: p1Id,
      kind: "behavioral",
      severity: "mild",
      emergencyServicesCalled: false,
      description: "Felt faint.\nSat down, water.",
    });
    const transport = await me.post(`/api/cohorts/${cohortId}/transport`, {
      id: randomUUID(),
      driver: "Sam Lee",
      contact: phoneMark(tag, 1),
      notes: "Parks at the back.\nCall on arrival.",
    });
    expect(transport.status).toBe(200);
    const texts = async (stream: StreamName) =>
      (await stores.log.read(stream, 0, 1000)).events.map((e) => JSON.stringify(e.data));
    expect((await texts(sessionStream)).join()).toContain("a bit dizzy\\nbetter now");
    expect((await texts(sessionStream)).join()).toContain("Felt faint.\\nSat down, water.");
    expect((await texts(streamName("journal", p1Id))).join()).toContain("line one\\n\\tline two");
    expect((await texts(streamName("cohort", cohortId))).join()).toContain("Parks at the back.\\nCall on arrival.");
  });
});

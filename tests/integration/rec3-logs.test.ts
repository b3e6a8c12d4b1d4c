import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { createApp, type App } from "../../server/app.js";
import { seedProgram } from "../../server/demo/seed.js";
import { createLogger } from "../../server/logger.js";
import type { Stores } from "../../server/stores/types.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { ManualClock, makeStores } from "../support/harness.js";
import { freshPrefix } from "../support/ids.js";
import { CLEAN_SCREENING, Http, enrol, phoneMark } from "./admin-support.js";

/** Every method of a store rejects while `down()` holds, with clinical words in the error's message. */
function breakable<T extends object>(target: T, down: () => boolean, message: string): T {
  return new Proxy(target, {
    get(t, prop) {
      const v: unknown = Reflect.get(t, prop);
      if (typeof v !== "function") return v;
      return (...args: unknown[]): unknown => (down() ? Promise.reject(new Error(message)) : Reflect.apply(v, t, args));
    },
  });
}

describe("server logs (REC3)", () => {
  let app: App;
  let stores: Stores;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await app.close();
    await stores.close();
  });

  it("[REC3] names, notes, answers, vitals and tokens never reach the server's log, even when requests fail", async () => {
    const prefix = freshPrefix();
    const tag = prefix.replace(/[^a-z0-9]/gi, "").slice(-8);
    const M = (what: string) => `REC3-${what}-${tag}`;
    let down = false;
    const lines: string[] = [];
    const made = await makeStores("redis", prefix);
    stores = made.stores;
    const failing: Stores = {
      kind: stores.kind,
      presence: stores.presence,
      due: stores.due,
      ping: () => stores.ping(),
      close: () => stores.close(),
      log: breakable(stores.log, () => down, `store down for ${M("STORE-ERROR")}`),
      kv: breakable(stores.kv, () => down, `kv down for ${M("STORE-ERROR")}`),
    };
    app = createApp({
      stores: failing,
      clock: new ManualClock(),
      timers: false,
      logger: createLogger("rec3", (l) => lines.push(l)),
    });
    const url = `http://127.0.0.1:${await app.listen(0, "127.0.0.1")}`;
    await seedProgram(app.services, mainCohort(tag));
    const cohortId = `cohort-${tag}`;
    const sessionId = `live-${tag}`;
    const person = (key: string) => mainCohort(tag).people.find((p) => p.key === key)?.email ?? "";
    const admin = await Http.as(url, tag, "admin");
    const facCookie = await signIn(url, person("fac1"), TEST_PASSWORD);
    const fac = new TestClient(url, facCookie);
    clients.push(fac);

    // A participant with a distinctive name enrols by link and fills in their forms.
    const invite = await admin.post(`/api/admin/cohorts/${cohortId}/invites`, { ttlHours: 24 });
    const token = String(invite.json.token);
    const joined = await enrol(url, token, M("NAME"), `rec3.${tag}@example.test`);
    expect(joined.status).toBe(201);
    const me = new Http(url, joined.cookie);
    const meId = (await app.services.users.byEmail(`rec3.${tag}@example.test`))?.id ?? "";
    expect(
      (
        await me.post(`/api/cohorts/${cohortId}/screening`, {
          answers: { ...CLEAN_SCREENING, lithiumLastTaken: "2013-04-15", heartCondition: true },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await me.post(`/api/cohorts/${cohortId}/transport`, {
          driver: M("DRIVER"),
          contact: phoneMark(tag, 3),
          notes: M("TNOTES"),
        })
      ).status,
    ).toBe(200);
    const feed = new URL(String((await me.post("/api/calendar-feed", {})).json.url)).pathname;

    // A dosing day with words and numbers, and a circle with notes and a journal.
    const p1 = new TestClient(url, await signIn(url, person("p1"), TEST_PASSWORD));
    clients.push(p1);
    await Promise.all([fac.connected(), p1.connected()]);
    for (const c of [fac, p1]) await c.ok("session:join", { sessionId, since: null });
    const p1Id = (await app.services.users.byEmail(person("p1")))?.id ?? "";
    await p1.ok("checkin:send", {
      id: randomUUID(),
      sessionId,
      status: "struggling",
      intensity: 8,
      text: M("CHECKIN"),
    });
    await fac.ok("participant:admit", { id: randomUUID(), sessionId, participantId: p1Id });
    await fac.ok("vitals:record", {
      id: randomUUID(),
      sessionId,
      participantId: p1Id,
      systolic: 191,
      diastolic: 123,
      heartRate: 147,
    });
    await fac.ok("adverse:record", {
      id: randomUUID(),
      sessionId,
      participantId: p1Id,
      kind: "behavioral",
      severity: "mild",
      emergencyServicesCalled: false,
      description: M("ADVERSE"),
    });
    const { circleId } = await fac.ok<{ circleId: string }>("circle:start", {
      id: randomUUID(),
      cohortId,
      title: M("CIRCLE-TITLE"),
    });
    await fac.ok("fnote:save", { id: randomUUID(), circleId, about: p1Id, text: M("FNOTE") });
    await p1.ok("journal:write", { id: randomUUID(), text: M("JOURNAL"), circleId: null });

    // Bad input that carries clinical words: refused, and not logged.
    expect(
      (
        await p1.send("checkin:send", {
          id: randomUUID(),
          sessionId,
          status: "ok",
          text: `${M("TOO-LONG")}${"x".repeat(600)}`,
        })
      ).ok,
    ).toBe(false);
    expect(
      (
        await fac.send("vitals:record", {
          id: randomUUID(),
          sessionId,
          participantId: M("WHO"),
          systolic: 9999,
          diastolic: 1,
          heartRate: 1,
        })
      ).ok,
    ).toBe(false);
    expect((await p1.send(M("UNKNOWN-EVENT"), { text: M("UNKNOWN-PAYLOAD") })).ok).toBe(false);
    const raw = await fetch(`${url}/api/cohorts/${cohortId}/transport`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: joined.cookie ?? "" },
      body: `{"driver": "${M("BAD-JSON")}"`,
    });
    expect(raw.status).toBe(400);

    // The store fails under requests that carry names, notes, vitals and tokens in body and path.
    down = true;
    expect(
      (await p1.send("checkin:send", { id: randomUUID(), sessionId, status: "need_support", text: M("DOWN-CHECKIN") }))
        .ok,
    ).toBe(false);
    expect(
      (
        await fac.send("vitals:record", {
          id: randomUUID(),
          sessionId,
          participantId: p1Id,
          systolic: 193,
          diastolic: 125,
          heartRate: 149,
        })
      ).ok,
    ).toBe(false);
    expect((await fac.send("fnote:save", { id: randomUUID(), circleId, about: p1Id, text: M("DOWN-FNOTE") })).ok).toBe(
      false,
    );
    expect(
      (
        await me.post(`/api/cohorts/${cohortId}/transport`, {
          driver: M("DOWN-DRIVER"),
          contact: phoneMark(tag, 4),
          notes: "",
        })
      ).status,
    ).toBe(503);
    expect((await me.get(feed)).status).toBe(503);
    expect((await new Http(url, null).get(`/api/auth/enrol/${token}`)).status).toBe(503);
    expect(
      (
        await new Http(url, null).call("POST", "/api/auth/enrol", {
          token,
          name: M("DOWN-NAME"),
          email: `down.${tag}@example.test`,
          password: "a long enough password",
        })
      ).status,
    ).toBe(503);
    down = false;

    // The failures were logged (so the check below is not vacuous), with ids and kinds only.
    // Without the timestamp, whose digits could match a number by chance.
    const log = lines
      .map((l) => JSON.stringify({ ...z.record(z.string(), z.unknown()).parse(JSON.parse(l)), t: null }))
      .join("\n");
    expect(lines.filter((l) => l.includes('"command failed"')).length).toBeGreaterThanOrEqual(7);
    const secrets = [
      tag,
      meId,
      token,
      feed.replace(/^.*\//, "").replace(/\.ics$/, ""),
      "2013-04-15",
      "191/123",
      "193/125",
      "heartRate",
      "systolic",
      `rec3.${tag}`,
      phoneMark(tag, 3),
      phoneMark(tag, 4),
    ];
    expect(secrets.filter((s) => log.includes(s))).toEqual([]);
  });
});

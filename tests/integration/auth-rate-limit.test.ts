import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { LIMITS } from "../../server/auth/rate-limit.js";
import { TEST_PASSWORD } from "../support/fixtures.js";
import { ManualClock, startApp, type Running, type StoreKind } from "../support/harness.js";
import { stringMatching } from "../support/matchers.js";
import { Http, enrol, errorOf } from "./admin-support.js";

type Node = Running & { tag: string };

async function login(base: string, email: string, password: string) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const json: unknown = await res.json();
  return { status: res.status, json: json && typeof json === "object" ? Object.fromEntries(Object.entries(json)) : {} };
}

const guess = () => randomBytes(24).toString("base64url");

describe.each<StoreKind>(["embedded", "redis"])("sign-in and link rate limits on the %s store", (kind) => {
  let node: Node;
  afterEach(async () => node.stop());

  it("[AC1] [AC5] after 10 failed sign-ins for one email in 15 minutes, sign-in is refused (429) saying when, alike for unknown emails", async () => {
    const clock = new ManualClock();
    node = await startApp(kind, { clock });
    const { tag, url } = node;
    const known = `fac1.${tag}@example.test`;
    const unknown = `nobody.${tag}@example.test`;

    // A success forgets earlier failures: 9, a success, 9 more does not lock.
    for (let i = 0; i < LIMITS.loginPerEmail - 1; i++)
      expect((await login(url, known, "wrong password")).status).toBe(401);
    expect((await login(url, known, TEST_PASSWORD)).status).toBe(200);

    const refusals: string[] = [];
    for (const email of [known, unknown]) {
      for (let i = 0; i < LIMITS.loginPerEmail; i++) {
        const r = await login(url, email, "wrong password");
        expect(r.status).toBe(401);
        expect(errorOf(r).code).toBe("BAD_CREDENTIALS");
      }
      // Locked: even the right password is refused, with when to try again.
      const locked = await login(url, email, TEST_PASSWORD);
      expect(locked.status).toBe(429);
      expect(errorOf(locked).code).toBe("RATE_LIMITED");
      expect(errorOf(locked).message).toMatch(/wait 15 minutes/);
      refusals.push(JSON.stringify(locked.json));
    }
    // The refusal is word for word the same whether or not the account exists.
    expect(refusals[0]).toBe(refusals[1]);

    // Another person (same address, other email) is not locked out by this.
    expect((await login(url, `fac2.${tag}@example.test`, TEST_PASSWORD)).status).toBe(200);

    clock.advance(10 * 60_000);
    expect(errorOf(await login(url, known, TEST_PASSWORD)).message).toMatch(/wait 5 minutes/);
    clock.advance(5 * 60_000 + 1_000);
    expect((await login(url, known, TEST_PASSWORD)).status).toBe(200);
  });

  it(`[AC1] one address is capped at ${LIMITS.loginPerIp} failed sign-ins across any emails`, async () => {
    const clock = new ManualClock();
    node = await startApp(kind, { clock });
    const { tag, url } = node;
    for (let i = 0; i < LIMITS.loginPerIp; i++)
      expect((await login(url, `spray${i}.${tag}@example.test`, "guess")).status).toBe(401);
    const capped = await login(url, `admin.${tag}@example.test`, TEST_PASSWORD);
    expect(capped.status).toBe(429);
    expect(errorOf(capped).code).toBe("RATE_LIMITED");
    clock.advance(LIMITS.lockMs + 1_000);
    expect((await login(url, `admin.${tag}@example.test`, TEST_PASSWORD)).status).toBe(200);
  });

  it(`[AC1] [AC5] guessing invite and enrolment links from one address stops after ${LIMITS.tokensPerIp} invalid ones`, async () => {
    const clock = new ManualClock();
    node = await startApp(kind, { clock });
    const { tag, url } = node;
    const admin = await Http.as(url, tag, "admin");
    const real = await admin.post(`/api/admin/cohorts/cohort-${tag}/invites`, { ttlHours: 48 });
    expect(real.status).toBe(201);
    const anon = new Http(url, null);
    for (let i = 0; i < LIMITS.tokensPerIp; i++) {
      const r =
        i % 3 === 0
          ? await anon.call("POST", "/api/auth/invite", { token: guess() })
          : i % 3 === 1
            ? await anon.get(`/api/auth/enrol/${guess()}`)
            : await enrol(url, guess(), "Guess", `g${i}.${tag}@example.test`);
      expect(r.status).toBe(410);
    }
    for (const r of [
      await anon.get(`/api/auth/enrol/${String(real.json.token)}`),
      await anon.call("POST", "/api/auth/invite", { token: guess() }),
      await enrol(url, String(real.json.token), "Real", `real.${tag}@example.test`),
    ]) {
      expect(r.status).toBe(429);
      expect(errorOf(r)).toMatchObject({ code: "RATE_LIMITED", message: stringMatching(/wait 15 minutes/) });
    }
    // The real link was not spent by the refusal and works once the lock lifts.
    clock.advance(LIMITS.lockMs + 1_000);
    expect((await enrol(url, String(real.json.token), "Real", `real.${tag}@example.test`)).status).toBe(201);
  });
});

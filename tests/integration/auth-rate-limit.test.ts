import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SIGN_IN_LIMITS } from "../../server/auth/rate-limit.js";
import { loadConfig } from "../../server/config.js";
import { TEST_PASSWORD } from "../support/fixtures.js";
import { freshPrefix } from "../support/ids.js";
import { startApp, type Running, type StoreKind } from "../support/harness.js";
import { stringMatching } from "../support/matchers.js";
import { Http, errorOf } from "./admin-support.js";
import { call, login, statuses, times, type Reply } from "./signin-support.js";

type Node = Running & { tag: string };

const guess = () => randomBytes(24).toString("base64url");
const PAIR = SIGN_IN_LIMITS.accountAddress.points;
const DAY = SIGN_IN_LIMITS.addressDay.points;
const LINKS = SIGN_IN_LIMITS.tokensAddress.points;
/** Another network: a second loopback address, a real client address without any proxy. */
const ELSEWHERE = { from: "127.0.0.2" };
const refusal = (r: Reply) => ({ status: r.status, ...errorOf(r), retryAfter: r.retryAfter });

describe.each<StoreKind>(["embedded", "redis"])("sign-in and link rate limits on the %s store", (kind) => {
  const nodes: Node[] = [];
  const start = async (opts: Parameters<typeof startApp>[1] = {}) => {
    const node = await startApp(kind, opts);
    nodes.push(node);
    return node;
  };
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
  });

  it(`[AC1] [AC5] ${PAIR} failed sign-ins in a row for one email from one address block that pair (429, Retry-After), alike for unknown emails`, async () => {
    const { tag, url } = await start();
    const known = `fac1.${tag}@example.test`;
    const unknown = `nobody.${tag}@example.test`;

    // A success resets the run: 9, a success, 9 more does not block.
    for (let i = 0; i < PAIR - 1; i++) expect((await login(url, known, "wrong password")).status).toBe(401);
    expect((await login(url, known, TEST_PASSWORD)).status).toBe(200);

    const refusals: ReturnType<typeof refusal>[] = [];
    for (const email of [known, unknown]) {
      for (let i = 0; i < PAIR; i++) {
        const r = await login(url, email, "wrong password");
        expect(r.status).toBe(401);
        expect(errorOf(r).code).toBe("BAD_CREDENTIALS");
      }
      // From this address even the right password is refused, saying when to try again.
      const blocked = await login(url, email, TEST_PASSWORD);
      expect(refusal(blocked)).toEqual({
        status: 429,
        code: "RATE_LIMITED",
        message: stringMatching(/in a row .* wait 15 minutes and try again\.$/),
        retryAfter: 15 * 60,
      });
      refusals.push(refusal(blocked));
    }
    // Word for word the same whether or not the account exists.
    expect(refusals[0]).toEqual(refusals[1]);

    // Not a lock of the account: the real person elsewhere signs in, and others here too.
    expect((await login(url, known, TEST_PASSWORD, ELSEWHERE)).status).toBe(200);
    expect((await login(url, `fac2.${tag}@example.test`, TEST_PASSWORD)).status).toBe(200);
  });

  it(`[AC1] 40 parallel wrong passwords for one email from one address: at most ${PAIR} are checked; the real person elsewhere still signs in`, async () => {
    const { tag, url } = await start();
    const email = `fac1.${tag}@example.test`;
    const replies = await times(40, () => login(url, email, "wrong password"));
    // Today's main answered 401 (checked) to all 40.
    expect(statuses(replies)).toEqual({ 401: PAIR, 429: 40 - PAIR });
    expect((await login(url, email, TEST_PASSWORD)).status).toBe(429);
    expect((await login(url, email, TEST_PASSWORD, ELSEWHERE)).status).toBe(200);
  });

  it(`[AC1] one address is capped at ${DAY} failed sign-ins a day across any emails, counted atomically`, async () => {
    const { tag, url } = await start();
    const replies = await times(DAY + 10, (i) => login(url, `spray${i}.${tag}@example.test`, "guess"));
    expect(statuses(replies)).toEqual({ 401: DAY, 429: 10 });
    const capped = await login(url, `admin.${tag}@example.test`, TEST_PASSWORD);
    expect(refusal(capped)).toMatchObject({
      status: 429,
      code: "RATE_LIMITED",
      message: stringMatching(/from this network today\. For safety, please wait 2[34] hours and try again\.$/),
    });
    expect(capped.retryAfter).toBeGreaterThan(23 * 3600);
    // Another address is not affected.
    expect((await login(url, `admin.${tag}@example.test`, TEST_PASSWORD, ELSEWHERE)).status).toBe(200);
  });

  it("[AC1] a block lifts when its time is up, and then the right password works from that address", async () => {
    const { tag, url } = await start({
      signIn: {
        accountAddress: { points: 3, durationS: 60, blockS: 1 },
        tokensAddress: { points: 2, durationS: 60, blockS: 1 },
      },
    });
    const email = `fac1.${tag}@example.test`;
    for (let i = 0; i < 3; i++) expect((await login(url, email, "wrong")).status).toBe(401);
    const blocked = await login(url, email, TEST_PASSWORD);
    expect(refusal(blocked)).toMatchObject({ status: 429, message: stringMatching(/wait 1 second /), retryAfter: 1 });
    await vi.waitFor(async () => expect((await login(url, email, TEST_PASSWORD)).status).toBe(200), {
      timeout: 5_000,
      interval: 100,
    });

    for (let i = 0; i < 2; i++)
      expect((await call(url, "POST", "/api/auth/invite", { token: guess() })).status).toBe(410);
    expect((await call(url, "POST", "/api/auth/invite", { token: guess() })).status).toBe(429);
    await vi.waitFor(
      async () => expect((await call(url, "POST", "/api/auth/invite", { token: guess() })).status).toBe(410),
      { timeout: 5_000, interval: 100 },
    );
  });

  it(`[AC1] [AC5] guessing invite and enrolment links from one address stops after ${LINKS} invalid ones, in parallel too`, async () => {
    const { tag, url } = await start();
    const admin = await Http.as(url, tag, "admin");
    const real = await admin.post(`/api/admin/cohorts/cohort-${tag}/invites`, { ttlHours: 48 });
    expect(real.status).toBe(201);
    const token = String(real.json.token);
    const enrolBody = (t: string, i: number) => ({
      token: t,
      name: "Guess",
      email: `g${i}.${tag}@example.test`,
      password: "a long enough password",
    });
    // The three ways in, 40 at once: today's main checked 36 of 40.
    const replies = await times(40, (i) =>
      i % 3 === 0
        ? call(url, "POST", "/api/auth/invite", { token: guess() })
        : i % 3 === 1
          ? call(url, "GET", `/api/auth/enrol/${guess()}`, undefined)
          : call(url, "POST", "/api/auth/enrol", enrolBody(guess(), i)),
    );
    expect(statuses(replies)).toEqual({ 410: LINKS, 429: 40 - LINKS });
    for (const r of [
      await call(url, "GET", `/api/auth/enrol/${token}`, undefined),
      await call(url, "POST", "/api/auth/invite", { token: guess() }),
      await call(url, "POST", "/api/auth/enrol", enrolBody(token, 99)),
    ]) {
      expect(refusal(r)).toEqual({
        status: 429,
        code: "RATE_LIMITED",
        message: stringMatching(/link attempts .* wait 15 minutes/),
        retryAfter: 15 * 60,
      });
    }
    // The real link was not spent by the refusals: its owner, on their own network, enrols.
    expect((await call(url, "POST", "/api/auth/enrol", enrolBody(token, 100), ELSEWHERE)).status).toBe(201);
  });

  it("[AC1] without TRUST_PROXY, X-Forwarded-For is ignored: a client cannot pick a fresh address per guess", async () => {
    const { tag, url } = await start({ trustProxy: loadConfig({}).TRUST_PROXY });
    const email = `fac1.${tag}@example.test`;
    const replies = await times(PAIR + 5, (i) => login(url, email, "wrong", { xff: `198.51.100.${i + 1}` }));
    expect(statuses(replies)).toEqual({ 401: PAIR, 429: 5 });
  });

  it("[AC1] with TRUST_PROXY=1, two clients behind one proxy are counted apart, and a spoofed first hop does not help", async () => {
    const trustProxy = loadConfig({ TRUST_PROXY: "1" }).TRUST_PROXY;
    expect(trustProxy).toBe(1);
    const { tag, url } = await start({ trustProxy });
    const email = `fac1.${tag}@example.test`;
    // The balancer appends the address it saw; what the client wrote before that is its own.
    const attacker = (i: number) => ({ xff: `198.51.100.${i + 1}, 203.0.113.66` });
    const replies = await times(PAIR + 5, (i) => login(url, email, "wrong", attacker(i)));
    expect(statuses(replies)).toEqual({ 401: PAIR, 429: 5 });
    expect((await login(url, email, TEST_PASSWORD, attacker(99))).status).toBe(429);
    // The facilitator, behind the same balancer, from their own address.
    expect((await login(url, email, TEST_PASSWORD, { xff: "203.0.113.10" })).status).toBe(200);
  });
});

describe("sign-in limits across nodes", () => {
  const nodes: Node[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
  });

  it(`[AC1] two nodes on one Redis share the counts: 40 parallel guesses split across them, at most ${PAIR} checked`, async () => {
    const prefix = freshPrefix("signin");
    const a = await startApp("redis", { prefix });
    nodes.push(a);
    const b = await startApp("redis", { prefix, seed: false });
    nodes.push(b);
    const email = `fac1.${a.tag}@example.test`;
    const replies = await times(40, (i) => login(i % 2 ? a.url : b.url, email, "wrong"));
    expect(statuses(replies)).toEqual({ 401: PAIR, 429: 40 - PAIR });
    expect((await login(b.url, email, TEST_PASSWORD)).status).toBe(429);
    // A success on one node resets the pair for both.
    expect((await login(a.url, email, TEST_PASSWORD, ELSEWHERE)).status).toBe(200);
    for (let i = 0; i < PAIR - 1; i++) expect((await login(b.url, email, "wrong", ELSEWHERE)).status).toBe(401);
    expect((await login(a.url, email, TEST_PASSWORD, ELSEWHERE)).status).toBe(200);
  });
});

describe("TRUST_PROXY setting", () => {
  it("[AC5] is a hop count or a list of proxy addresses; unset ignores X-Forwarded-For; 'true' is refused", () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "0" }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, loopback,::1" }).TRUST_PROXY).toEqual([
      "10.0.0.0/8",
      "loopback",
      "::1",
    ]);
    for (const bad of ["true", "*", "10.0.0.0/8,evil", "lb.example"])
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be a hop count/);
  });
});

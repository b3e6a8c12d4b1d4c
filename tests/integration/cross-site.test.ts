import { afterEach, describe, expect, it } from "vitest";
import { streamName } from "../../shared/log.js";
import type { SyncResult } from "../../shared/protocol/events.js";
import { TestClient, signIn } from "../support/client.js";
import { TEST_PASSWORD } from "../support/fixtures.js";
import { startApp, type Running } from "../support/harness.js";
import { Http, errorOf } from "./admin-support.js";

type Node = Running & { tag: string };

const EVIL = "https://evil.example";
/** A deployment at a clinic's subdomain, and a sibling subdomain of it (same site, other origin). */
const PUBLIC = "https://holdspace.clinic.example";
const SIBLING = "https://notes.clinic.example";

/** Opens a socket from a page at `origin`; resolves to whether the server let it connect. */
async function handshake(node: Node, cookie: string, origin: string): Promise<{ ok: boolean; client: TestClient }> {
  const client = new TestClient(node.url, cookie, { origin });
  const ok = await client.connected().then(
    () => true,
    () => false,
  );
  return { ok, client };
}

describe("cross-site requests (issue 13)", () => {
  let node: Node;
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await node.stop();
  });

  it("[AC1] a socket handshake from another site with a signed-in admin's cookie is refused, from the app's own page it syncs", async () => {
    node = await startApp("embedded");
    const cookie = await signIn(node.url, `admin.${node.tag}@example.test`, TEST_PASSWORD);
    const evil = await handshake(node, cookie, EVIL);
    clients.push(evil.client);
    expect(evil.ok).toBe(false);
    expect(evil.client.received).toEqual([]);
    // The long-polling transport: the refusal's stable code and sentence are in the reply.
    const polled = await fetch(`${node.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { cookie, origin: EVIL },
    });
    expect(polled.status).toBe(403);
    expect(await polled.text()).toMatch(/"message":"FORBIDDEN: This request came from a page that is not Holdspace/);

    for (const origin of [node.url, node.url.replace("127.0.0.1", "localhost")]) {
      const own = await handshake(node, cookie, origin);
      clients.push(own.client);
      expect(own.ok).toBe(true);
      const sync = await own.client.ok<SyncResult>("stream:sync", {
        stream: streamName("program", `prog-${node.tag}`),
        epoch: null,
        seq: 0,
      });
      expect(sync).toBeTruthy();
    }
    // Another port on the same host is another origin.
    const port = Number(new URL(node.url).port);
    const otherPort = await handshake(node, cookie, `http://127.0.0.1:${port + 1}`);
    clients.push(otherPort.client);
    expect(otherPort.ok).toBe(false);
  });

  it("[AC1] with a public origin configured, a sibling subdomain (same site) and the literal 'null' origin are refused", async () => {
    node = await startApp("embedded", { origins: [PUBLIC] });
    const cookie = await signIn(node.url, `fac1.${node.tag}@example.test`, TEST_PASSWORD).catch(() => "");
    // signIn sends the node's own origin, which is not the configured one: refused too.
    expect(cookie).toBe("");
    const asPublic = await new Http(node.url, null, PUBLIC).call("POST", "/api/auth/login", {
      email: `fac1.${node.tag}@example.test`,
      password: TEST_PASSWORD,
    });
    expect(asPublic.status).toBe(200);
    const session = asPublic.headers.get("set-cookie")?.split(";")[0] ?? "";
    const results: Record<string, boolean> = {};
    for (const origin of [PUBLIC, SIBLING, "null", node.url]) {
      const h = await handshake(node, session, origin);
      clients.push(h.client);
      results[origin] = h.ok;
    }
    expect(results).toEqual({ [PUBLIC]: true, [SIBLING]: false, null: false, [node.url]: false });
  });

  it("[AC1] [AC5] a state-changing POST from another site or a sibling subdomain is refused with FORBIDDEN and writes nothing", async () => {
    node = await startApp("embedded", { origins: [PUBLIC] });
    const login = await new Http(node.url, null, PUBLIC).call("POST", "/api/auth/login", {
      email: `admin.${node.tag}@example.test`,
      password: TEST_PASSWORD,
    });
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const program = streamName("program", `prog-${node.tag}`);
    const before = await node.stores.log.head(program);
    const cohort = { programId: `prog-${node.tag}`, name: "Planted cohort", capacity: 4 };
    for (const origin of [EVIL, SIBLING]) {
      const r = await new Http(node.url, cookie, origin).post("/api/admin/cohorts", cohort);
      expect(r.status).toBe(403);
      expect(errorOf(r).code).toBe("FORBIDDEN");
      expect(errorOf(r).message).toContain("came from a page that is not Holdspace");
      expect(r.headers.get("set-cookie")).toBeNull();
    }
    // A foreign page cannot sign anyone in (login CSRF) or out either.
    const foreignLogin = await new Http(node.url, null, EVIL).call("POST", "/api/auth/login", {
      email: `admin.${node.tag}@example.test`,
      password: TEST_PASSWORD,
    });
    expect([foreignLogin.status, foreignLogin.headers.get("set-cookie")]).toEqual([403, null]);
    expect((await new Http(node.url, cookie, EVIL).call("POST", "/api/auth/logout")).status).toBe(403);
    expect(await node.stores.log.head(program)).toEqual(before);
    // Reads are not state-changing (and CORS keeps their replies from a foreign page).
    expect((await new Http(node.url, cookie, EVIL).get("/api/me")).status).toBe(200);

    const own = await new Http(node.url, cookie, PUBLIC).post("/api/admin/cohorts", cohort);
    expect(own.status).toBe(201);
    expect((await node.stores.log.head(program)).seq).toBeGreaterThan(before.seq);
  });

  it("[AC1] without an Origin: a browser's cross-site or same-site request (Sec-Fetch-Site) is refused, a non-browser client (curl) is served", async () => {
    node = await startApp("embedded");
    const cookie = await signIn(node.url, `admin.${node.tag}@example.test`, TEST_PASSWORD);
    const post = (headers: Record<string, string>) =>
      fetch(`${node.url}/api/auth/logout`, { method: "POST", headers: { cookie, ...headers } });
    expect((await post({ "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post({ "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await new Http(node.url, cookie).get("/api/me")).status).toBe(200);
    // curl: neither header. Authenticated by the cookie like any request [AC1].
    expect((await post({})).status).toBe(200);
    expect((await new Http(node.url, cookie).get("/api/me")).status).toBe(401);
  });
});

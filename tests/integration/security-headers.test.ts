import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startApp, type Running } from "../support/harness.js";
import { Http } from "./admin-support.js";

type Node = Running & { tag: string };

const CLIENT = fileURLToPath(new URL("../../dist/client", import.meta.url));

/** The CSP as directive → sources, so a test can ask about one directive. */
function csp(headers: Headers): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (headers.get("content-security-policy") ?? "").split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name] = sources;
  }
  return out;
}

describe("security headers (issue 13)", () => {
  let node: Node;
  afterEach(async () => node.stop());

  it("[AC1] the app shell carries a CSP of this origin only, no framing, nosniff and no Referer", async () => {
    node = await startApp("embedded", { staticDir: CLIENT });
    for (const path of ["/", "/cohort/some-id/outcomes", "/sw.js"]) {
      const res = await fetch(`${node.url}${path}`);
      expect(res.status).toBe(200);
      const policy = csp(res.headers);
      const port = new URL(node.url).port;
      expect(policy).toEqual({
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", `ws://localhost:${port}`, `ws://127.0.0.1:${port}`],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      });
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("[AC1] a configured public origin is the socket's connect-src: wss for https", async () => {
    node = await startApp("embedded", { origins: ["https://holdspace.clinic.example"] });
    const res = await fetch(`${node.url}/healthz`);
    expect(csp(res.headers)["connect-src"]).toEqual(["'self'", "wss://holdspace.clinic.example"]);
  });

  it("[AC1] every /api reply is Cache-Control: no-store — personal replies, refusals and unknown routes alike", async () => {
    node = await startApp("embedded");
    const admin = await Http.as(node.url, node.tag, "admin");
    const replies = [
      await admin.get("/api/me"),
      await new Http(node.url, null).get("/api/me"),
      await admin.get("/api/nothing-here"),
      await admin.call("POST", "/api/auth/login", { email: 3 }),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 401, 404, 400]);
    for (const r of replies) {
      expect(r.headers.get("cache-control")).toBe("no-store");
      expect(r.headers.get("x-content-type-options")).toBe("nosniff");
      expect(r.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });
});

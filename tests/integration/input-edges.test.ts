import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../server/logger.js";
import { startApp, type Running } from "../support/harness.js";
import { jsonAt } from "../support/json-at.js";
import { Http } from "./admin-support.js";

/** Issue 13, input edges: an address that does not decode is the client's mistake, not the server's. */
describe("[AC5] broken percent-encoding in the address", () => {
  let node: (Running & { tag: string }) | null = null;
  let staticDir: string | null = null;
  afterEach(async () => {
    await node?.stop();
    node = null;
    if (staticDir) await rm(staticDir, { recursive: true, force: true });
    staticDir = null;
  });

  it("[AC5][REC3] answers 400 INVALID_PAYLOAD with a sentence on every kind of route, and logs no error line", async () => {
    staticDir = await mkdtemp(join(tmpdir(), "holdspace-static-"));
    await writeFile(join(staticDir, "index.html"), "<!doctype html><title>shell</title>");
    const lines: string[] = [];
    node = await startApp("embedded", { staticDir, logger: createLogger("edges", (l) => lines.push(l)) });
    const admin = await Http.as(node.url, node.tag, "admin");
    const paths = [
      "/api/cohorts/%E0%A4%A",
      `/api/cohorts/cohort-${node.tag}/%zz`,
      "/api/auth/enrol/%zz",
      "/api/%zz",
      "/calendar/feed/%E0%A4%A.ics",
      "/%zz",
      "/assets/%E0%A4%A.js",
    ];
    for (const signedIn of [admin, new Http(node.url, null)]) {
      for (const path of paths) {
        const r = await signedIn.get(path);
        expect(r.status, path).toBe(400);
        expect(jsonAt(r.json, "error", "code"), path).toBe("INVALID_PAYLOAD");
        expect(String(jsonAt(r.json, "error", "message")), path).toMatch(/percent-encoding/);
      }
    }
    expect(lines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
    // A well-formed escape still reaches its route (here the app shell).
    const fine = await new Http(node.url, null).get("/circle/%E0%A4%A0");
    expect(fine.status).toBe(200);
    expect(fine.text).toContain("shell");
  });
});

import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LAST_LINE } from "../bench/report.js";

/** What the smoke test reads of the bench's JSON: the shape, not the numbers. */
const BenchJson = z.object({
  lastLine: z.string(),
  results: z.array(
    z.object({
      target: z.string(),
      error: z.string().optional(),
      steps: z.array(z.object({ rate: z.number(), sent: z.number() })).min(1),
    }),
  ),
});

function runBench(args: string[], ms: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", "bench", "--", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    // SIGINT lets the bench stop everything it started; SIGKILL only if it does not.
    const soft = setTimeout(() => child.kill("SIGINT"), ms);
    const hard = setTimeout(() => child.kill("SIGKILL"), ms + 20_000);
    child.once("exit", (code) => {
      clearTimeout(soft);
      clearTimeout(hard);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("npm run bench", () => {
  it("--quick against the relay and Redis one node writes its JSON and a well-formed last line, nothing lost or duplicated", async () => {
    const out = await mkdtemp(join(tmpdir(), "holdspace-bench-smoke-"));
    try {
      const { code, stdout, stderr } = await runBench(["--quick", "--targets", "relay,redis", "--out", out], 150_000);
      expect(code, stderr).toBe(0);
      const last = stdout.trimEnd().split("\n").at(-1) ?? "";
      expect(last).toMatch(LAST_LINE);
      expect(last).toMatch(/ lost=0 dup=0$/);
      const files = (await readdir(out)).filter((f) => f.endsWith(".json"));
      expect(files).toHaveLength(1);
      const json = BenchJson.parse(JSON.parse(await readFile(join(out, files[0] ?? ""), "utf8")));
      expect(json.lastLine).toBe(last);
      expect(json.results.map((r) => [r.target, r.error ?? null])).toEqual([
        ["relay", null],
        ["redis", null],
      ]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 200_000);
});

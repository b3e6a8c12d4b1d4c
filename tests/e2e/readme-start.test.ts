import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { launchChromium, screenshot } from "../support/browser.js";
import { freePort } from "../support/free-port.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** `vite build` alone takes 20–40 s on a 2-core machine; then tsx starts the server. */
const START_MS = 150_000;

// The variables vitest puts into its own process.env (not the user's), and the app's own
// settings: the README's command runs with none of them, as in a fresh shell on a fresh clone.
const NOT_DEFAULT = new Set([
  "TEST",
  "PROD",
  "DEV",
  "SSR",
  "MODE",
  "BASE_URL",
  "PORT",
  "HOST",
  "REDIS_URL",
  "REDIS_PREFIX",
  "DATA_DIR",
  "DEMO",
  "NODE_ID",
  "PUBLIC_URL",
  "ALLOWED_ORIGINS",
  "SECURE_COOKIES",
  "STATIC_DIR",
]);

function defaultEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (NOT_DEFAULT.has(k) || k.startsWith("VITEST") || (k === "NODE_ENV" && v === "test")) continue;
    env[k] = v;
  }
  return env;
}

/** `npm start`, exactly as the README's quick start runs it, in the repo root. */
class NpmStart {
  stdout = "";
  stderr = "";
  exited: { code: number | null; signal: string | null } | null = null;
  private readonly child: ChildProcess;
  private wake: (() => void) | null = null;

  constructor(env: NodeJS.ProcessEnv) {
    // detached: its own process group, so afterAll can stop npm, sh, the tsx CLI and the node
    // child tsx forks, all at once.
    this.child = spawn("npm", ["start"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout?.on("data", (d: Buffer) => {
      this.stdout += d.toString();
      this.wake?.();
    });
    this.child.stderr?.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-20_000);
      this.wake?.();
    });
    this.child.once("exit", (code, signal) => {
      this.exited = { code, signal };
      this.wake?.();
    });
  }

  /** Resolves with `test`'s answer once it has one, re-checked on every output chunk; fails if the process ends first. */
  async until<T>(test: () => T | null, ms: number, what: string): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = test();
      if (found !== null) return found;
      if (this.exited)
        throw new Error(
          `npm start exited (${JSON.stringify(this.exited)}) before ${what}\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}\n--- stdout\n${this.stdout}\n--- stderr\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  /** SIGTERM to the whole group, then SIGKILL to whatever is left of it. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    signalGroup(pid, "SIGTERM");
    if (!(await groupGone(pid, 15_000))) {
      signalGroup(pid, "SIGKILL");
      await groupGone(pid, 5_000);
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

/** Polls (bounded) until no process of the group is left. */
async function groupGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe("the README's quick start", () => {
  let app: NpmStart | undefined;
  let browser: Browser | undefined;
  let port = 0;
  // A relative DATA_DIR under the repo root's (git-ignored) .tmp/: everything else is default.
  // Not the default ./data, because the embedded store locks its directory and replays what is
  // there — a developer's own `npm start` in this checkout, or a journal an earlier run left,
  // would make this test depend on the state of the working tree instead of a fresh clone's
  // (empty) data dir. Relative on purpose: the README says DATA_DIR is relative to the cwd.
  const dataDir = join(".tmp", `readme-start-${randomUUID().slice(0, 8)}`);

  beforeAll(async () => {
    port = await freePort();
    app = new NpmStart({ ...defaultEnvironment(), PORT: String(port), DATA_DIR: dataDir });
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await rm(join(ROOT, dataDir), { recursive: true, force: true });
  }, 30_000);

  it(
    "[AC1] README: `npm start` serves the app — `/` and a printed sign-in link open to a signed-in screen",
    async () => {
      if (!app || !browser) throw new Error("not started");
      const running = app;
      // The printed block ends with the line naming the demo password.
      const links = await running.until(
        () => {
          if (!running.stdout.includes('the password "holdspace-demo"')) return null;
          // role, name, email, link: the email beside each link (issue 11).
          return [
            ...running.stdout.matchAll(/^\s+(\w+)\s+(.+?)\s+(\S+@\S+)\s+(http:\/\/localhost:(\d+)\/invite\/\S+)$/gm),
          ].map((m) => ({
            role: m[1] ?? "",
            name: m[2] ?? "",
            email: m[3] ?? "",
            link: m[4] ?? "",
            port: Number(m[5]),
          }));
        },
        START_MS,
        "the printed sign-in links",
      );
      expect(running.stdout).toContain(`Holdspace is running at http://localhost:${port}`);
      expect(links.length).toBeGreaterThan(0);
      expect(links.every((l) => l.port === port)).toBe(true);
      // Every demo person, Gwen (seeded with the schedule) too, is listed with their email.
      expect(links.map((l) => `${l.name} ${l.email}`)).toEqual(
        expect.arrayContaining(["Ava ava@demo.holdspace.test", "Gwen gwen@demo.holdspace.test"]),
      );
      const ava = links.find((l) => l.role === "participant" && l.name === "Ava");
      if (!ava) throw new Error(`no link for Ava in:\n${running.stdout}`);
      // The journal went where the README says: DATA_DIR relative to the cwd (the repo root).
      expect(existsSync(join(ROOT, dataDir))).toBe(true);

      // A newcomer opens the address it printed: the sign-in screen, not a 503.
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await ctx.newPage();
        const home = await page.goto(`http://localhost:${port}/`);
        expect(home?.status()).toBe(200);
        await page.getByLabel("Email", { exact: true }).waitFor({ timeout: 15_000 });
        await screenshot(page, "readme-start-home");

        // Then one printed link: signed in as Ava.
        const invite = await page.goto(ava.link);
        expect(invite?.status()).toBe(200);
        await page.getByTestId("whoami").waitFor({ timeout: 15_000 });
        expect(await page.getByTestId("whoami").innerText()).toContain("Ava");

        // And `/` again, now signed in.
        const back = await page.goto(`http://localhost:${port}/`);
        expect(back?.status()).toBe(200);
        await page.getByTestId("whoami").waitFor({ timeout: 15_000 });
        expect(await page.getByTestId("whoami").innerText()).toContain("participant");
        await screenshot(page, "readme-start-signed-in");
      } finally {
        await ctx.close();
      }
      // No request failed on the server's side on the way.
      expect(running.stderr).not.toMatch(/TypeError|"level":"error"/);
    },
    START_MS + 60_000,
  );
});

import { existsSync } from "node:fs";
import { afterAll, beforeAll } from "vitest";
import { join } from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions, Page } from "playwright-core";
import type { UserRecord } from "../../server/auth/users.js";
import { launchChromium } from "./browser.js";
import { TEST_PASSWORD, mainCohort } from "./fixtures.js";
import { startApp, type Running } from "./harness.js";

/** A facilitator's or admin's laptop in a dim room. */
export const LAPTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, colorScheme: "dark" };
/** A participant's phone. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  colorScheme: "dark",
};

export interface BrowserApp {
  readonly node: Running & { tag: string };
  readonly browser: Browser;
  /** A new browser context (one person's device); closed with the browser at the end. */
  context(options: BrowserContextOptions): Promise<BrowserContext>;
  /** A person of the main cohort fixture, by key ("fac1", "p1", …). */
  person(key: string): Promise<UserRecord>;
}

/**
 * The client as a development build (`npm run build:strict`; `scripts/test` makes it): React runs
 * StrictMode's mount-unmount-mount and double effects only in development, so this is the build
 * that shows the screens are safe under it (issue 10). The README's own start is tested on the
 * production build (readme-start.test.ts).
 */
function strictBuild(): string {
  const dir = join(process.cwd(), "dist", "client-strict");
  if (!existsSync(join(dir, "index.html")))
    throw new Error("no development build of the client: run `npm run build:strict` (scripts/test does)");
  return dir;
}

/**
 * Registers the hooks of an e2e file: one app node on Redis serving the built client, with its
 * timers, and one Chromium. Call inside `describe`; read `node` and `browser` inside tests.
 */
export function useBrowserApp(): BrowserApp {
  let node: (Running & { tag: string }) | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    node = await startApp("redis", { staticDir: strictBuild(), timers: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await node?.stop();
  });
  const app: BrowserApp = {
    get node() {
      if (!node) throw new Error("the app is not started (use it inside a test)");
      return node;
    },
    get browser() {
      if (!browser) throw new Error("Chromium is not launched (use it inside a test)");
      return browser;
    },
    async context(options) {
      const ctx = await app.browser.newContext(options);
      contexts.push(ctx);
      return ctx;
    },
    async person(key) {
      const email = mainCohort(app.node.tag).people.find((p) => p.key === key)?.email ?? "";
      const user = await app.node.app.services.users.byEmail(email);
      if (!user) throw new Error(`no fixture person ${key}`);
      return user;
    },
  };
  return app;
}

/** A new page in `context`, signed in with email and the fixtures' password (staff and admins). */
export async function signInPage(context: BrowserContext, url: string, email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

/** A participant of the main cohort on a new phone, signed in through a one-time link. */
export async function invitePhone(
  app: BrowserApp,
  key: string,
  options: BrowserContextOptions = PHONE,
): Promise<{ page: Page; id: string; ctx: BrowserContext }> {
  const user = await app.person(key);
  const ctx = await app.context(options);
  const page = await ctx.newPage();
  await page.goto(`${app.node.url}/invite/${await app.node.app.services.users.createInvite(user.id)}`);
  return { page, id: user.id, ctx };
}

/**
 * The main cohort's first facilitator on a laptop, signed in and gone into the seeded live
 * session from the home screen: where the live e2e tests start.
 */
export async function facilitatorInSession(app: BrowserApp) {
  const { node } = app;
  const sessionId = `live-${node.tag}`;
  const fac = mainCohort(node.tag).people.find((p) => p.key === "fac1");
  if (!fac) throw new Error("fixture missing");
  const facPage = await signInPage(await app.context(LAPTOP), node.url, fac.email);
  await facPage.getByRole("link", { name: mainCohort(node.tag).liveSession?.title ?? "", exact: true }).click();
  return { node, sessionId, fac, facPage };
}

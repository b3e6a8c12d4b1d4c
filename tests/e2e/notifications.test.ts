import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import webpush from "web-push";
import { DEFAULT_PUSH_HOSTS } from "../../server/push/endpoint-rule.js";
import { mainCohort } from "../support/fixtures.js";
import { launchChromium, screenshot } from "../support/browser.js";
import { startApp, type Running } from "../support/harness.js";
import { LocalPushService } from "../support/push-service.js";
import { LAPTOP, invitePhone, signInPage, useBrowserApp } from "../support/e2e.js";
import { ClientPool } from "../support/pool.js";

/**
 * Headless Chromium has no push service to subscribe to, so `document.visibilityState` is made
 * switchable instead (an attribute on <html> says "hidden"), and the notification the page asks
 * the service worker for is read back with `registration.getNotifications()`.
 */
const SWITCHABLE_VISIBILITY = `
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true,
    get() { return document.documentElement.getAttribute("data-test-hidden") === "1" ? "hidden" : "visible"; },
  });
`;

interface Shown {
  title: string;
  body: string;
  tag: string;
  url: unknown;
}

const shownNotifications = (page: Page): Promise<Shown[]> =>
  page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    const list = await reg.getNotifications();
    return list.map((n) => {
      const data: unknown = n.data;
      const url = typeof data === "object" && data !== null && "url" in data ? data.url : null;
      return { title: n.title, body: n.body, tag: n.tag, url };
    });
  });

/**
 * Waits (in the page, checking every 100 ms up to `ms`) until the service worker shows a
 * notification of this tag and title. Playwright's waitForFunction does not await an async
 * predicate, and nothing tells the page when its worker showed one.
 */
async function notificationShown(page: Page, tag: string, title: string, ms: number): Promise<void> {
  const shown = await page.evaluate(
    async (want) => {
      const reg = await navigator.serviceWorker.ready;
      for (const until = Date.now() + want.ms; Date.now() < until;) {
        if ((await reg.getNotifications({ tag: want.tag })).some((n) => n.title === want.title)) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    },
    { tag, title, ms },
  );
  if (!shown) throw new Error(`no notification "${title}" (tag ${tag}) within ${ms} ms`);
}

/** Alert notifications when the tab is hidden (issue 11), for the people who get them and those who never do. */
describe("alert notifications in Chromium", () => {
  const app = useBrowserApp();

  it("[LIVE6][REC3] a facilitator is asked once, with the reason; with the tab hidden a support request shows a system notification that names no one, so does its escalation, and a visible tab shows none", async () => {
    const { node } = app;
    const sessionId = `live-${node.tag}`;
    const people = mainCohort(node.tag).people;
    const email = (key: string) => people.find((p) => p.key === key)?.email ?? "";
    const ctx = await app.context(LAPTOP);
    await ctx.grantPermissions(["notifications"], { origin: node.url });
    await ctx.addInitScript(SWITCHABLE_VISIBILITY);
    const page = await signInPage(ctx, node.url, email("fac1"));

    const prompt = page.getByRole("region", { name: "Get alerts when this tab is hidden" });
    await prompt.waitFor();
    expect(await prompt.innerText()).toMatch(
      /support while this tab is hidden or the screen is off, you get a notification that names no one/,
    );
    await screenshot(page, "notifications-prompt");
    await prompt.getByRole("button", { name: "Turn on notifications" }).click();
    await prompt.waitFor({ state: "detached" });
    expect(
      await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.ready;
        return reg.active?.scriptURL ?? null;
      }),
    ).toBe(`${node.url}/sw.js`);

    // Asked once: a reload does not ask again.
    await page.reload();
    await page.getByTestId("whoami").waitFor();
    await page.getByTestId(`session-link-${sessionId}`).waitFor();
    expect(await page.getByRole("region", { name: "Get alerts when this tab is hidden" }).count()).toBe(0);

    await page.getByTestId(`session-link-${sessionId}`).click();
    await page.getByTestId("alerts").waitFor();
    const pool = new ClientPool(() => node);
    try {
      // Visible: the room itself shows the alert; no system notification.
      const p1 = await pool.connect("p1");
      const first = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId });
      await page.locator(`[data-testid="alert-${first.alertId}"]`).waitFor({ timeout: 5000 });
      expect(await shownNotifications(page)).toEqual([]);

      // Hidden (another tab in front, or the screen off): the worker shows one.
      await page.evaluate(() => document.documentElement.setAttribute("data-test-hidden", "1"));
      const p2 = await pool.connect("p2");
      const second = await p2.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId });
      await notificationShown(page, second.alertId, "Holdspace: support requested", 10_000);
      const shown = await shownNotifications(page);
      expect(shown).toEqual([
        {
          title: "Holdspace: support requested",
          body: "Someone in a live session needs support — open Holdspace",
          tag: second.alertId,
          url: `/session/${sessionId}`,
        },
      ]);
      const p2Name = people.find((p) => p.key === "p2")?.name ?? "p2";
      expect(JSON.stringify(shown)).not.toContain(p2Name);

      // Still hidden when the first alert escalates at 15 s: its notice (alert:notice) shows too.
      await notificationShown(page, first.alertId, "Holdspace: support still needed", 25_000);
      // Answered: its notification is taken down, never left saying "no one has answered yet".
      await page.locator(`[data-testid="alert-${first.alertId}"]`).getByRole("button", { name: "I'm on it" }).click();
      await expect
        .poll(async () => (await shownNotifications(page)).filter((n) => n.tag === first.alertId), { timeout: 10_000 })
        .toEqual([]);
      await page.evaluate(() => document.documentElement.removeAttribute("data-test-hidden"));
      await screenshot(page, "notifications-facilitator-room-after-turning-on");
    } finally {
      pool.closeAll();
    }
  });

  it("[AC1] a participant never sees the notifications prompt and no worker is registered for them", async () => {
    const { node } = app;
    const { page, ctx } = await invitePhone(app, "p3");
    await ctx.grantPermissions(["notifications"], { origin: node.url });
    await page.getByTestId(`session-link-live-${node.tag}`).waitFor();
    expect(await page.getByRole("region", { name: "Get alerts when this tab is hidden" }).count()).toBe(0);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) !== undefined)).toBe(
      false,
    );
    await screenshot(page, "notifications-participant-home-no-prompt");
  });

  it("[LIVE6] an admin who answers 'Not now' is not asked again", async () => {
    const { node } = app;
    const email = mainCohort(node.tag).people.find((p) => p.key === "admin")?.email ?? "";
    const ctx = await app.context(LAPTOP);
    const page = await signInPage(ctx, node.url, email);
    const prompt = page.getByRole("region", { name: "Get alerts when this tab is hidden" });
    await prompt.getByRole("button", { name: "Not now" }).click();
    await prompt.waitFor({ state: "detached" });
    await page.reload();
    await page.getByTestId("whoami").waitFor();
    expect(await prompt.count()).toBe(0);
    expect(await page.evaluate(() => Notification.permission)).toBe("default");
  });
});

/**
 * Web Push from the page's side. Headless Chromium has no push service, so `PushManager` is
 * replaced by one that hands out a subscription of the local test push service (made like a
 * browser's, tests/support/push-service.ts): what is tested is the page asking with the server's
 * VAPID key, posting the subscription, and the server's push arriving there, decrypted.
 */
describe("web push subscription from the page", () => {
  let node: (Running & { tag: string }) | undefined;
  let browser: Browser | undefined;
  let service: LocalPushService | undefined;
  const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:ops@example.test" };

  beforeAll(async () => {
    service = await LocalPushService.start();
    node = await startApp("redis", {
      staticDir: join(process.cwd(), "dist", "client-strict"),
      timers: true,
      push: { vapid, rule: { hosts: DEFAULT_PUSH_HOSTS, allowLocal: true } },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
    await service?.stop();
  });

  it("[LIVE6] turning notifications on subscribes with the server's VAPID key and posts the subscription; a support request is pushed to it and the service worker shows it", async () => {
    if (!node || !browser || !service) throw new Error("not started");
    const sessionId = `live-${node.tag}`;
    const fac = mainCohort(node.tag).people.find((p) => p.key === "fac2");
    const device = service.device();
    const ctx = await browser.newContext(LAPTOP);
    try {
      await ctx.grantPermissions(["notifications"], { origin: node.url });
      // A stand-in push service for the page (defineProperty: a plain object is not a PushSubscription).
      await ctx.addInitScript((subscription) => {
        Object.defineProperty(PushManager.prototype, "getSubscription", { value: async () => null });
        Object.defineProperty(PushManager.prototype, "subscribe", {
          value: async (options: PushSubscriptionOptionsInit) => {
            const key = options.applicationServerKey;
            const bytes = key instanceof ArrayBuffer || ArrayBuffer.isView(key) ? new Uint8Array(Object(key)) : [];
            const b64 = btoa(String.fromCharCode(...bytes));
            const b64url = b64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
            document.documentElement.setAttribute("data-test-server-key", b64url);
            return {
              endpoint: subscription.endpoint,
              options: { applicationServerKey: key },
              toJSON: () => subscription,
              unsubscribe: async () => true,
            };
          },
        });
      }, device.subscription);
      const page = await signInPage(ctx, node.url, fac?.email ?? "");
      const posted = page.waitForResponse(
        (r) => r.url() === `${node?.url ?? ""}/api/push/subscriptions` && r.request().method() === "POST",
      );
      await page.getByRole("button", { name: "Turn on notifications" }).click();
      expect((await posted).status()).toBe(201);
      const facId = (await node.app.services.users.byEmail(fac?.email ?? ""))?.id ?? "";
      await page.waitForFunction(() => document.documentElement.hasAttribute("data-test-server-key"));
      expect(await page.evaluate(() => document.documentElement.getAttribute("data-test-server-key"))).toBe(
        vapid.publicKey,
      );
      const pool = new ClientPool(() => ({ url: node?.url ?? "", tag: node?.tag ?? "" }));
      try {
        expect((await node.app.push.subscriptions.list(facId)).map((x) => x.endpoint)).toEqual([
          device.subscription.endpoint,
        ]);
        const p1 = await pool.connect("p1");
        const { alertId } = await p1.ok<{ alertId: string }>("support:request", { id: randomUUID(), sessionId });
        await service.until(() => service?.to(device.name).length === 1, 10_000, "the push to the page's subscription");
        const pushed = service.to(device.name)[0];
        expect(pushed?.payload).toMatchObject({ tag: alertId, url: `/session/${sessionId}` });

        // The decrypted push handed to the page's service worker as the browser would: sw.js shows it.
        const cdp = await ctx.newCDPSession(page);
        const registrationId = new Promise<string>((resolve) => {
          cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => {
            const r = e.registrations.find((x) => x.scopeURL === `${node?.url ?? ""}/` && !x.isDeleted);
            if (r) resolve(r.registrationId);
          });
        });
        await cdp.send("ServiceWorker.enable");
        await cdp.send("ServiceWorker.deliverPushMessage", {
          origin: node.url,
          registrationId: await registrationId,
          data: pushed?.text ?? "",
        });
        await notificationShown(page, alertId, "Holdspace: support requested", 10_000);
        expect(await shownNotifications(page)).toEqual([
          {
            title: "Holdspace: support requested",
            body: "Someone in a live session needs support — open Holdspace",
            tag: alertId,
            url: `/session/${sessionId}`,
          },
        ]);
      } finally {
        pool.closeAll();
      }
    } finally {
      await ctx.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { LAPTOP, PHONE, signInPage, useBrowserApp } from "../support/e2e.js";
import { mainCohort } from "../support/fixtures.js";
import { phq9Answers, seedDosingDay, seedSubmission } from "../support/outcomes-history.js";

/**
 * Issue 13, "Headers": the built client works under its Content-Security-Policy
 * (server/http/security-headers.ts). Every main screen of each role is opened in Chromium while
 * the page reports each `securitypolicyviolation` event to the test, and the console's CSP lines
 * are collected too; none may appear.
 */
describe("the Content-Security-Policy in Chromium", () => {
  const app = useBrowserApp();
  const email = (key: string) => mainCohort(app.node.tag).people.find((p) => p.key === key)?.email ?? "";
  const violations: string[] = [];

  /** A device whose pages report CSP violations to `violations`, across navigations. */
  async function watched(options: typeof LAPTOP): Promise<BrowserContext> {
    const ctx = await app.context(options);
    await ctx.exposeBinding("holdspaceCspViolation", (_source, what: unknown) => {
      violations.push(String(what));
    });
    await ctx.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        const report: unknown = Reflect.get(window, "holdspaceCspViolation");
        if (typeof report === "function")
          Reflect.apply(report, window, [
            `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`,
          ]);
      });
    });
    ctx.on("console", (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
    });
    return ctx;
  }

  /** A participant signed in on `ctx` by a one-time link, as invitePhone does on an unwatched one. */
  async function signedInPhone(ctx: BrowserContext, key: string): Promise<Page> {
    const page = await ctx.newPage();
    const invite = await app.node.app.services.users.createInvite((await app.person(key)).id);
    await page.goto(`${app.node.url}/invite/${invite}`);
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    return page;
  }

  it(
    "[AC1] participant home, live room, circle room, journal, questionnaires; staff outcomes; admin home: no CSP violation, and the service worker registers",
    { timeout: 240_000 },
    async () => {
      const { node } = app;
      const cohortId = mainCohort(node.tag).cohortId;
      const [p2, fac1] = await Promise.all(["p2", "fac1"].map((k) => app.person(k)));
      if (!p2 || !fac1) throw new Error("fixture people missing");
      await seedDosingDay(node, cohortId, [p2.id], [fac1.id], 9);
      await seedSubmission(node, cohortId, {
        participantId: p2.id,
        visitId: "baseline",
        instrument: "phq9",
        answers: phq9Answers(14),
      });

      // The participant's phone: home, the live room, a circle room, the journal.
      const phoneCtx = await watched(PHONE);
      const fac = await signInPage(await watched(LAPTOP), node.url, email("fac1"));
      await fac.getByLabel("Start integration circle").fill("Policy circle");
      await fac.getByRole("button", { name: "Start circle" }).click();
      await fac.getByRole("heading", { name: "Policy circle" }).waitFor();
      await fac.getByRole("heading", { name: "Shared circle notes" }).waitFor();

      const phone = await signedInPhone(phoneCtx, "p1");
      await phone.getByRole("link", { name: "Dosing day" }).waitFor();
      await phone.getByRole("link", { name: "Dosing day" }).click();
      await phone.getByRole("button", { name: "I need support" }).waitFor();
      await phone.goBack();
      await phone.getByRole("link", { name: "Policy circle" }).click();
      await phone.getByRole("button", { name: "I agree" }).click();
      await phone.getByRole("heading", { name: "My journal" }).waitFor();
      await phone.getByRole("textbox", { name: "New journal entry" }).fill("Held by the policy.");
      await phone.getByRole("button", { name: "Save to my journal" }).click();
      await phone.getByText("Held by the policy.").first().waitFor();
      await phone.getByRole("link", { name: "Open my journal page" }).click();
      await phone.getByRole("heading", { level: 1, name: "My journal" }).waitFor();

      // Questionnaires: p2's scores with their chart (recharts), and a questionnaire opened.
      const p2Page = await signedInPhone(await watched(PHONE), "p2");
      await p2Page.goto(`${node.url}/my/questionnaires`);
      await p2Page.getByRole("table", { name: /Your PHQ-9 scores over time/ }).waitFor();
      await p2Page.getByTestId("chart-phq9").locator(".recharts-line-dot, .recharts-dot").first().waitFor();
      await p2Page.goto(`${node.url}/my/questionnaires/${cohortId}/baseline/phq9`);
      await p2Page.locator("main").first().waitFor();
      await p2Page.getByRole("heading").first().waitFor();

      // Staff: the cohort's outcomes page with its chart; the admin's home.
      await fac.goto(`${node.url}/cohort/${cohortId}/outcomes`);
      // One baseline point: the chart draws its axes and the point (no line between points yet).
      await fac.getByTestId("cohort-chart").locator(".recharts-surface").first().waitFor();
      const admin = await signInPage(await watched(LAPTOP), node.url, email("admin"));
      await admin.getByRole("link", { name: "Programs" }).click();
      await admin.getByRole("heading", { name: "Test program" }).waitFor();

      // The service worker (alert notifications, issue 11) still registers under worker-src 'self'.
      const registered = await fac.evaluate(async () => {
        const r = await navigator.serviceWorker.register("/sw.js");
        await navigator.serviceWorker.ready;
        return r.scope;
      });
      expect(registered).toBe(`${node.url}/`);

      expect(violations).toEqual([]);

      // The watch itself works: an inline script is refused and reported, so an empty list above means something.
      await admin.evaluate(() => {
        const s = document.createElement("script");
        s.textContent = "document.title = 'injected'";
        document.body.append(s);
      });
      await expect.poll(() => violations.some((v) => /^script-src(-elem)? blocked inline/.test(v))).toBe(true);
      expect(await admin.title()).not.toBe("injected");
    },
  );
});

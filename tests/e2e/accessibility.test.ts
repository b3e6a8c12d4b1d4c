import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectAccessible } from "../support/axe.js";
import { screenshot } from "../support/browser.js";
import { LAPTOP, PHONE, invitePhone, signInPage, useBrowserApp } from "../support/e2e.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";

/**
 * Every main screen, reached the way its user reaches it (links, buttons and fields by their
 * names), in the dark scheme the room uses, checked by axe-core (WCAG 2.0/2.1 A and AA; serious
 * and critical violations fail) and screenshotted as a11y-<screen>.
 */
describe("accessibility of every main screen in Chromium", () => {
  const app = useBrowserApp();
  const email = (key: string) => mainCohort(app.node.tag).people.find((p) => p.key === key)?.email ?? "";
  // A whole-page axe run takes seconds on the shared 2-core machine; a walk of several screens needs
  // more than the e2e default. Each check still waits on facts, not on time.
  const AXE_WALK = { timeout: 240_000 };
  const check = async (page: Page, screen: string) => {
    await screenshot(page, `a11y-${screen}`);
    await expectAccessible(page, screen);
  };

  it("[AC] the axe check fails with a readable list: rule, impact, elements, help", async () => {
    const page = await (await app.context(LAPTOP)).newPage();
    await page.setContent(
      '<html lang="en"><title>t</title><main><h1>Broken</h1><input type="text">' +
        '<p style="color:#777;background:#888">faint</p><button></button></main></html>',
    );
    const failure = await expectAccessible(page, "self-check").then(
      () => "passed",
      (e: unknown) => String(e),
    );
    expect(failure).toMatch(/self-check: \d+ serious\/critical axe violation/);
    expect(failure).toMatch(/- label \(critical\): Form elements must have labels — input/);
    expect(failure).toMatch(/- color-contrast \(serious\): .* — p/);
    expect(failure).toMatch(/- button-name \(critical\): .* — button/);
  });

  it(
    "[AC] axe: sign-in, admin home, cohort, schedule forms, readiness board and schedule pass with no serious or critical violations",
    AXE_WALK,
    async () => {
      const { node } = app;
      // Sign-in, empty and then with its errors showing.
      const page = await (await app.context(LAPTOP)).newPage();
      await page.goto(node.url);
      await page.getByRole("heading", { name: "Holdspace" }).waitFor();
      await check(page, "sign-in");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText("Sign in to your program.").waitFor();
      await page.locator('[aria-invalid="true"]').first().waitFor();
      await check(page, "sign-in-errors");
      await page.getByLabel("Email").fill(email("admin"));
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Your sessions" }).waitFor();
      await check(page, "home-admin");

      // Admin home, a new program's form open.
      await page.getByRole("link", { name: "Programs" }).click();
      await page.getByRole("heading", { name: "Test program" }).waitFor();
      await check(page, "admin-home");
      await page.getByRole("button", { name: "+ New program" }).click();
      await page.getByRole("heading", { name: "New program" }).waitFor();
      await check(page, "admin-program-form");

      // The cohort, with its enrolment link and both schedule forms open.
      await page.getByRole("link", { name: "Main cohort", exact: true }).click();
      await page.getByRole("heading", { name: "Main cohort", level: 1 }).waitFor();
      await page.getByRole("button", { name: "Create an enrolment link" }).click();
      await page.getByRole("textbox", { name: "Enrolment link" }).waitFor();
      await check(page, "cohort");
      await page.getByRole("button", { name: "Schedule a session" }).click();
      await page.getByLabel("Kind").waitFor();
      await check(page, "schedule-session-form");
      await page.getByRole("button", { name: "Weekly circles" }).click();
      await page.getByLabel("First date").waitFor();
      await page.getByRole("button", { name: "Schedule weekly circles" }).click();
      await page.locator('[aria-invalid="true"]').first().waitFor();
      await check(page, "schedule-series-form");
      await page.getByRole("button", { name: "Week", exact: true }).click();
      await check(page, "schedule-week");

      // A facilitator's readiness board and their own schedule page.
      const fac = await signInPage(await app.context(LAPTOP), node.url, email("fac1"));
      await fac.getByRole("link", { name: "Main cohort: readiness & schedule" }).click();
      await fac.getByRole("heading", { name: "Readiness" }).waitFor();
      await fac.getByTestId("readiness-board").waitFor();
      await check(fac, "readiness-board");
      await fac.getByRole("link", { name: "My schedule" }).click();
      await fac.getByRole("heading", { name: "My schedule" }).waitFor();
      await check(fac, "my-schedule");
    },
  );

  it("[AC] axe: enrolment, the participant's forms and schedule on a phone pass", AXE_WALK, async () => {
    const { node } = app;
    const admin = await signInPage(
      await app.context(LAPTOP),
      `${node.url}/admin/cohort/cohort-${node.tag}`,
      email("admin"),
    );
    await admin.getByRole("button", { name: "Create an enrolment link" }).click();
    const link = await admin.getByRole("textbox", { name: "Enrolment link" }).inputValue();

    const phone = await (await app.context(PHONE)).newPage();
    await phone.goto(link);
    await phone.getByRole("heading", { name: "Welcome" }).waitFor();
    await phone.getByRole("button", { name: "Join", exact: true }).click();
    await phone.locator('[aria-invalid="true"]').first().waitFor();
    await check(phone, "enrol-errors");
    await phone.getByLabel("Your name").fill("Ada");
    await phone.getByLabel("Email (to sign in later)").fill(`ada.${node.tag}@example.test`);
    await phone.getByLabel("Choose a password").fill("a long enough password");
    await phone.getByRole("button", { name: "Join", exact: true }).click();
    await phone.getByRole("heading", { name: "Before your sessions" }).waitFor();
    await phone.getByRole("heading", { name: "Health questions" }).waitFor();
    await check(phone, "my-forms-screening");
    await phone.getByRole("button", { name: "Send my answers" }).click();
    await phone.locator('[aria-invalid="true"], .field-error').first().waitFor();
    await check(phone, "my-forms-screening-errors");
    for (const step of ["Informed consent", "Your ride home"]) {
      const item = phone.getByRole("listitem").filter({ has: phone.getByRole("heading", { name: step }) });
      await item.getByRole("button", { name: "Fill in" }).click();
      await check(phone, `my-forms-${step === "Informed consent" ? "consent" : "transport"}`);
    }
    await phone.getByRole("link", { name: "My schedule" }).click();
    await phone.getByRole("heading", { name: "My schedule" }).waitFor();
    await check(phone, "my-schedule-phone");
  });

  it("[AC] axe: the participant room on a phone (check-in open and sent, support sent) passes", AXE_WALK, async () => {
    const { page: phone } = await invitePhone(app, "p1");
    await phone.getByRole("link", { name: "Dosing day" }).click();
    await phone.getByRole("button", { name: "I need support" }).waitFor();
    await check(phone, "participant-room-phone");
    expect(await phone.title()).toBe("Session · Dosing day — Holdspace");
    // The check-in with its extras open, then sent.
    await phone.getByText("Add how strong it feels, or a few words").click();
    await phone.getByRole("button", { name: "7", exact: true }).click();
    await phone.getByLabel(/A few words/).fill("Heavy but fine");
    await check(phone, "checkin-form-phone");
    await phone.getByRole("button", { name: "Struggling" }).click();
    await phone.getByText(/^Sent “Struggling”/).waitFor({ timeout: 5000 });
    await check(phone, "checkin-sent-phone");
    await phone.getByRole("button", { name: "I need support" }).click();
    await phone.getByText(/^Sent. The facilitators have been told/).waitFor({ timeout: 5000 });
    await check(phone, "participant-support-sent-phone");
  });

  it("[AC] axe: the facilitator room, each record form and a pending alert pass", AXE_WALK, async () => {
    const { node } = app;
    const fac = await signInPage(await app.context(LAPTOP), node.url, email("fac1"));
    await fac.getByRole("link", { name: "Dosing day" }).click();
    await fac.getByRole("heading", { name: "Participants" }).waitFor();
    const tile = fac.getByRole("listitem").filter({ hasText: `p2 ${node.tag}` });
    await tile.getByRole("button", { name: "Admit to session" }).click();
    for (const [action, heading] of [
      ["Dose", /^Record a dose/],
      ["Vitals", /^Record vitals/],
      ["Adverse event", /^Record an adverse event/],
      ["Release", /^Release —/],
    ] as const) {
      await tile.getByRole("button", { name: action, exact: true }).click();
      await fac.getByRole("heading", { name: heading, level: 2 }).waitFor();
      await check(fac, `record-${action.toLowerCase().replace(/ /g, "-")}-form`);
      await fac.getByRole("button", { name: "Close" }).click();
    }
    await check(fac, "facilitator-room");

    // A participant asks for support: the room shows the pending alert.
    const { page: phone } = await invitePhone(app, "p3");
    await phone.getByRole("link", { name: "Dosing day" }).click();
    await phone.getByRole("button", { name: "I need support" }).click();
    await fac.getByRole("button", { name: "I'm on it" }).first().waitFor({ timeout: 5000 });
    await check(fac, "facilitator-room-alert");
  });

  it(
    "[AC] axe: the circle room (agreement, talking piece, notes, journal) and the journal page on a phone and on a laptop pass",
    AXE_WALK,
    async () => {
      const { node } = app;
      const fac = await signInPage(await app.context(LAPTOP), node.url, email("fac1"));
      await fac.getByLabel("Start integration circle").fill("Accessible circle");
      await fac.getByRole("button", { name: "Start circle" }).click();
      await fac.getByRole("heading", { name: "Accessible circle" }).waitFor();

      const { page: phone } = await invitePhone(app, "p2");
      await phone.getByRole("link", { name: "Accessible circle" }).click();
      await phone.getByRole("heading", { name: /circle agreement/ }).waitFor();
      await check(phone, "circle-agreement-phone");
      await phone.getByRole("button", { name: "I agree" }).click();
      await phone.getByRole("heading", { name: "Accessible circle" }).waitFor();
      await phone.getByRole("heading", { name: "My journal" }).waitFor();
      await check(phone, "circle-room-phone");
      await phone.getByRole("textbox", { name: "New journal entry" }).fill("A quiet evening.");
      await phone.getByRole("button", { name: "Save to my journal" }).click();
      await phone.getByText("A quiet evening.").first().waitFor();
      await check(phone, "journal-phone");

      await fac.getByRole("heading", { name: "Shared circle notes" }).waitFor();
      await check(fac, "circle-room-facilitator");
      expect(await phone.title()).toContain("Accessible circle");

      // The journal's own page, outside the circle room.
      await phone.getByRole("link", { name: "Open my journal page" }).click();
      await phone.getByRole("heading", { level: 1, name: "My journal" }).waitFor();
      await phone.getByText("A quiet evening.").first().waitFor();
      await check(phone, "journal-page");
      expect(await phone.title()).toContain("My journal");
    },
  );

  it("[AC] focus moves to the page's heading on navigation, and each route sets document.title", async () => {
    const { node } = app;
    const page = await (await app.context(LAPTOP)).newPage();
    await page.goto(node.url);
    await page.getByRole("heading", { name: "Holdspace" }).waitFor();
    expect(await page.title()).toBe("Sign in — Holdspace");
    await page.getByLabel("Email").fill(email("admin"));
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Your sessions" }).waitFor();
    expect(await page.title()).toBe("Your sessions — Holdspace");
    // The first load is not a navigation: the heading does not take the focus.
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el ? `${el.tagName}:${el.textContent}` : "";
      });
    expect(await focused()).not.toMatch(/^H1:/);

    await page.getByRole("link", { name: "Programs" }).click();
    await expect.poll(focused).toBe("H1:Programs");
    expect(await page.title()).toBe("Programs — Holdspace");
    await page.getByRole("link", { name: "Main cohort", exact: true }).click();
    await expect.poll(focused).toBe("H1:Main cohort");
    expect(await page.title()).toBe("Cohort · Main cohort — Holdspace");
    await page.getByRole("link", { name: "My schedule" }).click();
    await expect.poll(focused).toBe("H1:My schedule");
    expect(await page.title()).toBe("My schedule — Holdspace");
    // The browser's Back is a navigation too.
    await page.goBack();
    await expect.poll(focused).toBe("H1:Main cohort");
    expect(await page.title()).toBe("Cohort · Main cohort — Holdspace");

    const fac = await signInPage(await app.context(LAPTOP), node.url, email("fac1"));
    await fac.getByRole("link", { name: "Dosing day" }).click();
    await expect.poll(() => fac.evaluate(() => document.activeElement?.textContent ?? "")).toBe("Dosing day");
    expect(await fac.title()).toBe("Facilitator room · Dosing day — Holdspace");
    await screenshot(fac, "a11y-heading-focused");
  });

  it("[AC] prefers-reduced-motion: animations and transitions end at once", async () => {
    const { node } = app;
    const fac = await signInPage(await app.context(LAPTOP), node.url, email("fac1"));
    await fac.getByLabel("Start integration circle").fill("Still circle");
    await fac.getByRole("button", { name: "Start circle" }).click();
    await fac.getByRole("heading", { name: "Still circle" }).waitFor();
    const timer = fac.getByText("Share time left").locator("..");
    await timer.waitFor();
    const seconds = (list: string) =>
      list.split(",").map((d) => (d.trim().endsWith("ms") ? parseFloat(d) / 1000 : parseFloat(d)));
    // Without the preference the share timer's glow fades in over 1.5 s…
    const durations = () => timer.evaluate((el) => getComputedStyle(el).transitionDuration);
    expect(Math.max(...seconds(await durations()))).toBeCloseTo(1.5);
    // …with it, at once; and so does every animation or transition on the page.
    await fac.emulateMedia({ reducedMotion: "reduce" });
    expect(Math.max(...seconds(await durations()))).toBeLessThan(0.001);
    const moving = await fac.evaluate(() =>
      [...document.querySelectorAll("*")].flatMap((el) => {
        const s = getComputedStyle(el);
        return [s.animationDuration, s.transitionDuration].join(",");
      }),
    );
    expect(Math.max(...moving.flatMap(seconds))).toBeLessThan(0.001);
  });
});

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectAccessible } from "../support/axe.js";
import { screenshot } from "../support/browser.js";
import { TestClient, signIn } from "../support/client.js";
import { LAPTOP, signInPage, useBrowserApp } from "../support/e2e.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { phq9Answers, seedDosingDay, seedSubmission } from "../support/outcomes-history.js";

/**
 * The staff outcome screens (issue 12) in the dark scheme, checked by axe-core (WCAG 2.0/2.1 A
 * and AA; serious and critical violations fail) and screenshotted as a11y-<screen>: the
 * questionnaire notice in the strip, the outcomes page with a waiting alert, its chart's table
 * shown, and the admin's schedule editor with its errors.
 */
describe("accessibility of the staff outcome screens in Chromium", () => {
  const app = useBrowserApp();
  const check = async (page: Page, screen: string) => {
    await screenshot(page, `a11y-${screen}`);
    await expectAccessible(page, screen);
  };

  it(
    "[AC] [OUT2] [OUT5] [OUT6] axe: the questionnaire notice, the outcomes page (alert, grid, summary, chart and table) and the schedule editor pass",
    { timeout: 240_000 },
    async () => {
      const { node } = app;
      const tag = node.tag;
      const cohortId = `cohort-${tag}`;
      const email = (key: string) => mainCohort(tag).people.find((p) => p.key === key)?.email ?? "";
      const [p1, p2, fac1] = await Promise.all(["p1", "p2", "fac1"].map((k) => app.person(k)));
      if (!p1 || !p2 || !fac1) throw new Error("fixture people missing");
      await seedDosingDay(node, cohortId, [p1.id, p2.id], [fac1.id], 9);
      for (const p of [p1, p2])
        await seedSubmission(node, cohortId, {
          participantId: p.id,
          visitId: "baseline",
          instrument: "phq9",
          answers: phq9Answers(p === p1 ? 17 : 11),
        });

      const fac = await signInPage(await app.context(LAPTOP), node.url, email("fac1"));
      const client = new TestClient(node.url, await signIn(node.url, email("p1"), TEST_PASSWORD));
      await client.connected();
      await client.ok("outcome:submit", {
        id: randomUUID(),
        cohortId,
        visitId: "day-7",
        instrument: "phq9",
        answers: [1, 1, 1, 1, 1, 1, 1, 0, 1],
      });
      client.close();

      await fac.locator('[data-testid="alert-notices"] li[data-state="waiting"]').waitFor({ timeout: 5000 });
      await check(fac, "outcomes-notice");

      await fac.getByRole("link", { name: "Go to the answers" }).click();
      await fac.locator('[data-testid^="outcome-alert-"][data-state="pending"]').waitFor();
      await fac.getByTestId("cohort-chart").locator(".recharts-line-dots").first().waitFor();
      await check(fac, "outcomes-facilitator");
      await fac.getByRole("button", { name: "Show the numbers as a table" }).click();
      await fac.getByRole("button", { name: "Hide the numbers" }).waitFor();
      await check(fac, "outcomes-table");

      const admin = await signInPage(
        await app.context(LAPTOP),
        `${node.url}/cohort/${cohortId}/outcomes`,
        email("admin"),
      );
      await admin.getByRole("button", { name: "Change the schedule" }).click();
      const editor = admin.getByTestId("schedule-editor");
      await editor.getByTestId("visit-1-label").fill("");
      await editor.getByTestId("window-days").fill("40");
      await editor.getByRole("button", { name: "Save the schedule" }).click();
      await editor.locator('[aria-invalid="true"]').nth(1).waitFor();
      expect(await editor.getByTestId("visit-1-label-error").innerText()).toBe("Give the visit a name.");
      await check(admin, "outcomes-schedule-editor");
    },
  );
});

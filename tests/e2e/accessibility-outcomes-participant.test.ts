import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectAccessible } from "../support/axe.js";
import { screenshot } from "../support/browser.js";
import { invitePhone, useBrowserApp } from "../support/e2e.js";
import { mainCohort } from "../support/fixtures.js";

/**
 * [OUT1][OUT2][OUT5][OUT6] The participant's questionnaire screens on a phone in the dark
 * scheme, reached as a participant reaches them, checked by axe-core (WCAG 2.0/2.1 A and AA;
 * serious and critical violations fail) and screenshotted as a11y-<screen>.
 */
describe("accessibility of the participant's questionnaire screens in Chromium", () => {
  const app = useBrowserApp();
  const check = async (page: Page, screen: string) => {
    await screenshot(page, `a11y-${screen}`);
    await expectAccessible(page, screen);
  };

  it(
    "[OUT1][OUT2][OUT5][OUT6] axe: home with what is due, a question, the review, the crisis screen and the chart page pass with no serious or critical violations",
    { timeout: 240_000 },
    async () => {
      const { node } = app;
      const cohortId = mainCohort(node.tag).cohortId;
      const { page } = await invitePhone(app, "p3");
      const start = page.getByRole("link", { name: "Start the PHQ-9 for Baseline" });
      await start.waitFor();
      await check(page, "outcomes-home-due");

      await start.click();
      await page.getByRole("button", { name: "Begin" }).waitFor();
      await check(page, "outcomes-intro");
      await page.getByRole("button", { name: "Begin" }).click();

      // The question is the group's name, so a screen reader reads it with each option.
      const group = page.getByRole("group", { name: "Little interest or pleasure in doing things" });
      await group.waitFor();
      expect(await group.getByRole("radio").count()).toBe(4);
      // Keyboard: the focus starts on the question; Tab reaches the options, arrows pick one.
      await page.keyboard.press("Tab");
      await page.keyboard.press("ArrowDown");
      expect(await page.getByRole("radio", { name: "Several days", exact: true }).isChecked()).toBe(true);
      await check(page, "outcomes-question");

      for (let n = 1; n <= 9; n++) {
        await page.getByTestId("q-progress").getByText(`Question ${n} of 9`).waitFor();
        await page.getByRole("radio", { name: n === 9 ? "Several days" : "Not at all", exact: true }).check();
        await page.getByRole("button", { name: n === 9 ? "Review" : "Next" }).click();
      }
      await page.getByTestId("q-review").waitFor();
      await check(page, "outcomes-review");

      await page.getByRole("button", { name: "Send my answers" }).click();
      await page.getByRole("heading", { name: "You are not alone" }).waitFor({ timeout: 10_000 });
      await check(page, "outcomes-crisis");

      await page.goto(`${node.url}/my/questionnaires`);
      await page.getByRole("table", { name: /Your PHQ-9 scores over time/ }).waitFor();
      await page.getByTestId("chart-phq9").locator(".recharts-line-dot, .recharts-dot").first().waitFor();
      await check(page, "outcomes-my-questionnaires");

      // Opened again on this phone, the questionnaire shows its kept result (the crisis lines), never the questions.
      await page.goto(`${node.url}/my/questionnaires/${cohortId}/baseline/phq9`);
      await page.getByTestId("q-crisis-link").first().waitFor();
      await check(page, "outcomes-crisis-reloaded");
    },
  );
});

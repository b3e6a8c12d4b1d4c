import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot } from "../support/browser.js";
import { LAPTOP, invitePhone, signInPage, useBrowserApp } from "../support/e2e.js";
import { mainCohort } from "../support/fixtures.js";

/** PHQ-9 options by value, as the renderer names them (the published wording). */
const OPTION = ["Not at all", "Several days", "More than half the days", "Nearly every day"];

/** Answers question `n` (1-based) on the renderer and moves on, checking the progress it shows. */
async function answer(page: Page, n: number, value: number): Promise<void> {
  await page.getByTestId("q-progress").getByText(`Question ${n} of 9`).waitFor();
  await page.getByRole("radio", { name: OPTION[value] ?? "", exact: true }).check();
  await page.getByRole("button", { name: n === 9 ? "Review" : "Next" }).click();
}

/**
 * [OUT1][OUT2][OUT5][OUT6] The participant's side of the questionnaires, on a phone in the dark
 * scheme: what is due on the home screen, one question at a time, a reload midway that resumes,
 * the supportive crisis screen after a self-harm answer, the facilitator's "seen", the chart.
 */
describe("a participant's questionnaires on a phone in Chromium", () => {
  const app = useBrowserApp();

  it("[OUT1][OUT2][OUT5][OUT6] a PHQ-9 from the home screen, one question at a time, resumed after a reload; item 9 above 0 shows 988; a facilitator elsewhere is told within a second, answers it and sees the point on the cohort chart; the phone says who has seen it and shows its own chart", async () => {
    const { node } = app;
    const cohortId = mainCohort(node.tag).cohortId;
    const { page } = await invitePhone(app, "p1");

    // [OUT5] Home: the baseline is due (no dosing is scheduled yet), with a button to start it.
    const due = page.getByTestId(`due-${cohortId}`);
    await due.getByRole("link", { name: "Start the PHQ-9 for Baseline" }).waitFor();
    expect(await due.innerText()).toMatch(/PHQ-9 · Baseline\s+Due/i);
    await screenshot(page, "outcomes-participant-home-due");

    await due.getByRole("link", { name: "Start the PHQ-9 for Baseline" }).click();
    await page.getByRole("heading", { name: "PHQ-9 · Baseline" }).waitFor();
    expect(await page.getByTestId("q-intro").innerText()).toMatch(/Over the last 2 weeks, how often/);
    await screenshot(page, "outcomes-participant-intro");
    await page.getByRole("button", { name: "Begin" }).click();

    const answers = [1, 1, 2, 1, 0, 1, 1, 0, 1];
    for (let n = 1; n <= 4; n++) await answer(page, n, answers[n - 1] ?? 0);
    // Question 5 answered but not yet moved past: the phone drops (a reload) here.
    await page.getByTestId("q-progress").getByText("Question 5 of 9").waitFor();
    await page.getByRole("radio", { name: "Not at all", exact: true }).check();
    await screenshot(page, "outcomes-participant-question");
    await page.reload();
    await page.getByTestId("q-progress").getByText("Question 5 of 9").waitFor();
    expect(await page.getByRole("radio", { name: "Not at all", exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("4");
    // Back shows the answer kept from before the reload.
    await page.getByRole("button", { name: "Back" }).click();
    await page.getByTestId("q-progress").getByText("Question 4 of 9").waitFor();
    expect(await page.getByRole("radio", { name: "Several days", exact: true }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Next" }).click();
    for (let n = 5; n <= 9; n++) await answer(page, n, answers[n - 1] ?? 0);

    // The review lists every answer; nothing is sent before the button.
    const review = page.getByTestId("q-review");
    await review.waitFor();
    expect((await review.innerText()).match(/Several days/g)?.length).toBe(6);
    await screenshot(page, "outcomes-participant-review");
    // A facilitator of the cohort is signed in on a laptop, on their own schedule page.
    const fac = mainCohort(node.tag).people.find((p) => p.key === "fac1");
    if (!fac) throw new Error("fixture missing");
    const facPage = await signInPage(await app.context(LAPTOP), `${node.url}/my/schedule`, fac.email);
    await page.getByRole("button", { name: "Send my answers" }).click();

    // [OUT2] At once the supportive screen, the crisis lines as links a phone dials.
    await page.getByRole("heading", { name: "You are not alone" }).waitFor({ timeout: 10_000 });
    const lifeline = page.getByRole("link", { name: /988 Suicide & Crisis Lifeline/ });
    expect(await lifeline.getAttribute("href")).toBe("tel:988");
    expect(await lifeline.innerText()).toMatch(/Call or text 988/);
    expect(await page.getByTestId("q-safety").innerText()).toMatch(/Your facilitators have been told/);
    expect(await page.getByTestId("q-safety").innerText()).toMatch(/If you are in danger right now/);
    expect(await page.getByTestId("q-seen").innerText()).toMatch(
      /You will see here as soon as a facilitator has read your answers/,
    );
    await screenshot(page, "outcomes-participant-crisis");

    // The facilitator, elsewhere in the app on their laptop, was told at once: the notice strip.
    const notice = facPage.locator('[data-testid="alert-notices"] li[data-state="waiting"]');
    await notice.waitFor({ timeout: 1000 });
    expect(await notice.innerText()).toMatch(/reported thoughts of self-harm on a questionnaire \(Main cohort\)/);
    // From the notice to the cohort's outcomes page: the alert at the top; they answer it.
    await notice.getByRole("link", { name: "Go to the answers" }).click();
    await facPage.getByRole("heading", { name: "Outcomes · Main cohort" }).waitFor();
    const alertRow = facPage.locator('[data-testid^="outcome-alert-"][data-state="pending"]');
    await alertRow.waitFor();
    await screenshot(facPage, "outcomes-day-facilitator-alert");
    await alertRow.getByRole("button", { name: "I'm on it" }).click();
    await facPage.locator('[data-testid^="outcome-alert-"][data-state="acknowledged"]').waitFor({ timeout: 5000 });
    // [OUT6] The cohort chart holds that point: the baseline's one answer, 8.
    await facPage.getByTestId("cohort-chart").locator(".recharts-line-dots").first().waitFor({ timeout: 10_000 });
    const baselineRow = facPage.getByTestId("chart-table").locator("tr").filter({ hasText: "Baseline" });
    expect(await baselineRow.innerText()).toMatch(/Baseline\s+1\s+8\s/);
    await facPage.getByTestId("cohort-chart").scrollIntoViewIfNeeded();
    await screenshot(facPage, "outcomes-day-facilitator-chart");
    // The phone says who has seen it.
    await page.getByTestId("q-seen").getByText(`${fac.name} has seen your answers`).waitFor({ timeout: 10_000 });
    await screenshot(page, "outcomes-participant-crisis-seen");

    // A reload of the crisis screen shows it again, with the lines (the reply is kept, the answers are not).
    await page.reload();
    await page.getByRole("heading", { name: "You are not alone" }).waitFor();
    await page.getByRole("link", { name: /988 Suicide & Crisis Lifeline/ }).waitFor();

    // [OUT6] Their chart and its table: the one point, total 8 (mild).
    await page.getByRole("link", { name: "My questionnaires" }).click();
    await page.getByRole("heading", { name: "My questionnaires" }).waitFor();
    const table = page.getByRole("table", { name: /Your PHQ-9 scores over time/ });
    await table.waitFor();
    expect(await table.getByRole("row").nth(1).innerText()).toMatch(/Baseline\s+.*\s+8\s+Mild depression/);
    const chart = page.getByTestId("chart-phq9");
    await chart.locator(".recharts-line-dot, .recharts-dot").first().waitFor({ timeout: 10_000 });
    expect(await chart.locator(".recharts-line-dot, .recharts-dot").count()).toBe(1);
    expect(await chart.innerText()).toMatch(/Mild depression/);
    await page.getByTestId("export-json").waitFor();
    expect(await page.getByTestId("export-json").getAttribute("href")).toBe("/api/me/export");
    expect(await page.getByTestId("export-fhir").getAttribute("href")).toBe("/api/me/export/fhir");
    await screenshot(page, "outcomes-participant-chart");

    // [OUT5] Home no longer offers the baseline PHQ-9.
    await page.goto(node.url);
    await page
      .getByTestId(`due-${cohortId}`)
      .getByRole("link", { name: /QIDS-SR16 for Baseline/ })
      .waitFor();
    expect(await page.getByRole("link", { name: "Start the PHQ-9 for Baseline" }).count()).toBe(0);
  });

  it("[OUT1][OUT2] without a self-harm answer, sent while offline: kept on the phone, sent once when back, then a calm completion screen with the score in words and what comes next", async () => {
    const { node } = app;
    const cohortId = mainCohort(node.tag).cohortId;
    const { page, ctx, id: p2Id } = await invitePhone(app, "p2");
    await page.getByTestId(`due-${cohortId}`).waitFor();
    await page.goto(`${node.url}/my/questionnaires/${cohortId}/baseline/phq9`);
    await page.getByRole("button", { name: "Begin" }).click();
    for (let n = 1; n <= 9; n++) await answer(page, n, n === 1 ? 1 : 0);

    // The network goes as they press Send: the answers wait on the phone, and it says so.
    await ctx.setOffline(true);
    for (const sock of await node.app.io.fetchSockets()) if (sock.data.user.id === p2Id) sock.disconnect(true);
    await page.getByRole("button", { name: "Send my answers" }).click();
    await page
      .getByTestId("q-sending")
      .getByText(/kept on this phone/)
      .waitFor({ timeout: 10_000 });
    await screenshot(page, "outcomes-participant-offline");
    await ctx.setOffline(false);

    await page.getByRole("heading", { name: "PHQ-9 done" }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("q-score").innerText()).toBe("Minimal depression: 1 out of 27");
    expect(await page.getByTestId("q-next").innerText()).toMatch(
      /What comes next: the QIDS-SR16 for Baseline is due now; you can start it from your home screen\./,
    );
    expect(await page.getByText("You are not alone").count()).toBe(0);
    await screenshot(page, "outcomes-participant-complete");
    // [LOG2] One record, however many attempts it took.
    const outcome = await node.app.services.streams.state("outcome", cohortId);
    expect(outcome.submissions.filter((x) => x.participantId === p2Id).map((x) => x.total)).toEqual([1]);
  });
});

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { streamName } from "../../shared/log.js";
import { screenshot } from "../support/browser.js";
import { TestClient, signIn } from "../support/client.js";
import { LAPTOP, signInPage, useBrowserApp, type BrowserApp } from "../support/e2e.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { phq9Answers, seedDosingDay, seedSubmission } from "../support/outcomes-history.js";

/** A participant's socket, signed in as the phone would be, sending a PHQ-9 through the real command. */
async function submitPhq9(app: BrowserApp, key: string, visitId: string, answers: number[]) {
  const email = mainCohort(app.node.tag).people.find((p) => p.key === key)?.email ?? "";
  const client = new TestClient(app.node.url, await signIn(app.node.url, email, TEST_PASSWORD));
  await client.connected();
  const reply = await client.ok<{ safety: boolean; total: number }>("outcome:submit", {
    id: randomUUID(),
    cohortId: `cohort-${app.node.tag}`,
    visitId,
    instrument: "phq9",
    answers,
  });
  client.close();
  return reply;
}

/**
 * Issue 12, the staff side in Chromium: the cohort's facilitators and admin on laptops in a dim
 * room, a participant answering at home through a socket (their phone's screens are the
 * participant e2e's). The cohort dosed 8 days ago; two participants answered earlier visits.
 */
describe("outcomes for staff in Chromium", () => {
  const app = useBrowserApp();

  it("[OUT2] [LIVE6] [OUT5] [OUT4] [OUT6] a self-harm answer reaches a facilitator elsewhere within a second; they open the outcomes page, answer it, and see the chart with that point; the admin answers a second from the strip and edits the schedule", async () => {
    const { node } = app;
    const tag = node.tag;
    const cohortId = `cohort-${tag}`;
    const email = (key: string) => mainCohort(tag).people.find((p) => p.key === key)?.email ?? "";
    const [p1, p2, p3, fac1] = await Promise.all(["p1", "p2", "p3", "fac1"].map((k) => app.person(k)));
    if (!p1 || !p2 || !p3 || !fac1) throw new Error("fixture people missing");
    await seedDosingDay(node, cohortId, [p1.id, p2.id, p3.id], [fac1.id], 8);
    for (const [p, scores] of [
      [p1, [19]],
      [p2, [16, 12]],
      [p3, [22, 14]],
    ] as const)
      for (const [i, total] of scores.entries())
        await seedSubmission(node, cohortId, {
          participantId: p.id,
          visitId: i === 0 ? "baseline" : "day-1",
          instrument: "phq9",
          answers: phq9Answers(total),
        });

    // The facilitator is elsewhere in the app: their schedule page.
    const fac = await signInPage(await app.context(LAPTOP), `${node.url}/my/schedule`, email("fac1"));
    const admin = await signInPage(await app.context(LAPTOP), node.url, email("admin"));

    // p1 answers the day-7 PHQ-9 at home with item 9 = 2 (no live session needed).
    const answers = [2, 2, 1, 2, 1, 1, 1, 0, 2];
    const reply = await submitPhq9(app, "p1", "day-7", answers);
    expect(reply).toMatchObject({ safety: true, total: 12 });
    const notice = fac.locator('[data-testid="alert-notices"] li[data-state="waiting"]');
    await notice.waitFor({ timeout: 1000 });
    expect(await notice.innerText()).toMatch(
      new RegExp(`p1 ${tag} reported thoughts of self-harm on a questionnaire \\(Main cohort\\)`),
    );
    expect(await fac.getByTestId("live-assertive").innerText()).toMatch(/reported thoughts of self-harm/);
    await screenshot(fac, "outcomes-notice-facilitator");

    // From the notice to the cohort's outcomes page: the alert is at the top, waiting.
    await notice.getByRole("link", { name: "Go to the answers" }).click();
    await fac.getByRole("heading", { name: "Outcomes · Main cohort" }).waitFor();
    const alertRow = fac.locator('[data-testid^="outcome-alert-"][data-state="pending"]');
    await alertRow.waitFor();
    expect(await alertRow.innerText()).toMatch(new RegExp(`p1 ${tag} reported thoughts of self-harm`));
    // The strip stands aside on this page: the list here says it all.
    expect(await fac.getByTestId("alert-notices").count()).toBe(0);
    await screenshot(fac, "outcomes-alert-pending");
    await alertRow.getByRole("button", { name: "I'm on it" }).click();
    const answered = fac.locator('[data-testid^="outcome-alert-"][data-state="acknowledged"]');
    await answered.waitFor({ timeout: 5000 });
    expect(await answered.innerText()).toMatch(new RegExp(`fac1 ${tag} responded at \\d{2}:\\d{2}`));

    // [OUT5] Due / overdue / done per participant: the cohort dosed 8 days ago (window 3 days).
    const mark = (p: string, visit: string) => fac.getByTestId(`due-${p}-${visit}-phq9`);
    expect(await mark(p1.id, "baseline").getAttribute("data-status")).toBe("done");
    expect(await mark(p1.id, "day-1").getAttribute("data-status")).toBe("overdue");
    expect(await mark(p1.id, "day-7").getAttribute("data-status")).toBe("done");
    expect(await mark(p2.id, "day-7").getAttribute("data-status")).toBe("due");
    expect(await mark(p2.id, "day-14").getAttribute("data-status")).toBe("upcoming");

    // [OUT4] Baseline, latest, change, response and remission, in numbers and words.
    const row = (p: string) => fac.getByTestId(`summary-row-phq9-${p}`);
    expect(await row(p1.id).innerText()).toMatch(
      /19 \(Moderately severe.*\)\s+12 \(Moderate.*\)\s+-7 \(-37 %\)\s+No\s+No/i,
    );
    expect(await row(p1.id).innerText()).toMatch(
      /fell from 19 \(moderately severe\) to 12 \(moderate\), a 37 % drop: no response yet, not yet remission/,
    );
    expect(await row(p2.id).innerText()).toMatch(/fell from 16 \(moderately severe\) to 12 \(moderate\), a 25 % drop/);
    expect(await row(p3.id).innerText()).toMatch(/fell from 22 \(severe\) to 14 \(moderate\)/);
    expect(await fac.getByTestId("cohort-line-phq9").innerText()).toMatch(
      /3 participants answered the PHQ-9, 3 with a baseline\. Response: 0 of 3/,
    );

    // [OUT6] The chart (loaded on demand) with p1's new point, and the same in its table.
    await fac.getByTestId("cohort-chart").locator(".recharts-line-dots").first().waitFor();
    const table = fac.getByTestId("chart-table");
    const day7 = table.locator("tr").filter({ hasText: "Day 7" });
    expect(await day7.innerText()).toMatch(/Day 7\s+1\s+12\s+12–12\s+12–12\s+12/);
    await fac.getByRole("button", { name: "Show the numbers as a table" }).click();
    await fac.getByTestId("cohort-chart").scrollIntoViewIfNeeded();
    await screenshot(fac, "outcomes-facilitator");

    // A second alert; the admin, on their home page, answers it right in the strip.
    await submitPhq9(app, "p2", "day-7", [1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const adminNotice = admin
      .locator('[data-testid="alert-notices"] li[data-state="waiting"]')
      .filter({ hasText: `p2 ${tag}` });
    await adminNotice.waitFor({ timeout: 1000 });
    await screenshot(admin, "outcomes-notice-admin");
    await adminNotice.getByRole("button", { name: /I'm on it/ }).click();
    const done = admin
      .locator('[data-testid="alert-notices"] li[data-state="answered"]')
      .filter({ hasText: `p2 ${tag}` });
    await done.waitFor({ timeout: 5000 });
    expect(await done.innerText()).toMatch(new RegExp(`Answered by admin ${tag} at .*p2 ${tag} reported thoughts`));

    // [OUT5] The admin changes the schedule: a 5-day window and a day-90 visit.
    await editSchedule(admin, node.url, cohortId);
    const log = await node.stores.log.read(streamName("outcome", cohortId), 0, 1000);
    const set = log.events.filter((e) => e.type === "assessment.schedule_set");
    expect(set).toHaveLength(1);
    expect(set[0]?.data).toMatchObject({ schedule: { windowDays: 5 } });
    // The facilitator's page follows live.
    await fac.getByRole("columnheader", { name: "Day 90" }).first().waitFor({ timeout: 5000 });
  });
});

async function editSchedule(admin: Page, base: string, cohortId: string): Promise<void> {
  await admin.goto(`${base}/cohort/${cohortId}`);
  await admin.getByTestId("outcomes-link").click();
  await admin.getByRole("button", { name: "Change the schedule" }).click();
  const editor = admin.getByTestId("schedule-editor");
  await editor.getByTestId("window-days").fill("0");
  await editor.getByRole("button", { name: "Save the schedule" }).click();
  await editor.locator('[aria-invalid="true"]').first().waitFor();
  expect(await editor.getByTestId("window-days-error").innerText()).toBe("A visit is due for at least 1 day.");
  await screenshot(admin, "outcomes-schedule-errors");
  await editor.getByTestId("window-days").fill("5");
  await editor.getByRole("button", { name: "Add a visit" }).click();
  const n = (await editor.locator(".visit-row").count()) - 1;
  await editor.getByTestId(`visit-${n}-label`).fill("Day 90");
  await editor.getByTestId(`visit-${n}-day`).fill("90");
  await screenshot(admin, "outcomes-schedule-editor");
  await editor.getByRole("button", { name: "Save the schedule" }).click();
  await editor.waitFor({ state: "detached" });
  await admin.getByRole("columnheader", { name: "Day 90" }).first().waitFor();
  await screenshot(admin, "outcomes-admin");
}

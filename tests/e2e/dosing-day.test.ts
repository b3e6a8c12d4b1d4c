import { describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { randomUUID } from "node:crypto";
import { screenshot } from "../support/browser.js";
import { facilitatorInSession, invitePhone, useBrowserApp } from "../support/e2e.js";
import { ClientPool } from "../support/pool.js";

/**
 * A dosing day as the room lives it (issue 11): a facilitator on a laptop, participants on 390 px
 * phones. Backdated dose, earliest release on the tile, release against the plan on file, the
 * released phone, vitals at the limit that also look wrong, sign-out that asks, and the end.
 */
describe("dosing day in Chromium", () => {
  const app = useBrowserApp();

  async function phone(key: string, sessionId: string): Promise<{ page: Page; id: string; ctx: BrowserContext }> {
    const p = await invitePhone(app, key);
    await p.page.getByTestId(`session-link-${sessionId}`).click();
    await p.page.getByRole("button", { name: "I need support" }).waitFor();
    return p;
  }

  /** A datetime-local value `minutesAgo` before now, in the page's own zone (as a person types it). */
  function localMinutesAgo(page: Page, minutesAgo: number): Promise<string> {
    return page.evaluate((m) => {
      const d = new Date(Date.now() - m * 60_000);
      const pad = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    }, minutesAgo);
  }

  /**
   * [SCH7] An earlier dosing day of the program, through the real commands: `key` was dosed 2 mg
   * there 11 h ago, released as planned, and the day was closed — a returning client today.
   */
  async function earlierDosingDay(key: string): Promise<void> {
    const pool = new ClientPool(() => app.node);
    try {
      const fac = await pool.connect("fac1");
      const participantId = (await app.person(key)).id;
      const { sessionId } = await fac.ok<{ sessionId: string }>("session:open", {
        id: randomUUID(),
        cohortId: `cohort-${app.node.tag}`,
        title: "An earlier dosing day",
      });
      await fac.ok("session:join", { sessionId, since: null });
      await fac.ok("participant:admit", { id: randomUUID(), sessionId, participantId });
      const givenAt = new Date(Date.now() - 11 * 3_600_000).toISOString();
      await fac.ok("dose:record", { id: randomUUID(), sessionId, participantId, mg: 2, kind: "primary", givenAt });
      await fac.ok("release:record", { id: randomUUID(), sessionId, participantId, planConfirmed: true });
      await fac.ok("session:close", { id: randomUUID(), sessionId });
    } finally {
      pool.closeAll();
    }
  }

  it("[LIVE1] [LIVE2] [SCH7] [LIVE8] [LIVE10] [LIVE6] backdated dose, earliest release on the tile (a returning client's too), release against the plan, the released and ended phones, sign-out asks first", async () => {
    await earlierDosingDay("p2");
    const { sessionId, facPage } = await facilitatorInSession(app);
    const [p1, p2, p3] = [await phone("p1", sessionId), await phone("p2", sessionId), await phone("p3", sessionId)];
    for (const p of [p1, p2, p3])
      await facPage.locator(`[data-testid="presence-${p.id}"][data-state="online"]`).first().waitFor({ timeout: 5000 });

    // The participant header fits one row at 390 px.
    const head = await p1.page.locator("header.topbar").boundingBox();
    const row = await p1.page.getByRole("button", { name: "Sign out" }).boundingBox();
    expect(head && row && head.height < row.height * 2).toBe(true);

    // [LIVE1] A dose given 90 min ago, before the session was opened in the app, recorded with its time.
    for (const p of [p1, p2]) {
      await facPage.getByTestId(`action-admit-${p.id}`).click();
      await facPage.getByTestId(`action-dose-${p.id}`).waitFor();
    }
    await facPage.getByTestId(`action-dose-${p1.id}`).click();
    await facPage.getByLabel(/Psilocybin \(mg\)/).fill("2");
    await facPage.getByLabel("Given at (leave empty for now)").fill(await localMinutesAgo(facPage, 90));
    await expect.poll(() => facPage.getByTestId("dose-time-hint").innerText()).toMatch(/^Recorded as given /);
    await facPage.getByRole("button", { name: "Record dose" }).click();
    await facPage.getByTestId("form-dose").waitFor({ state: "detached", timeout: 5000 });
    // 2 mg given 90 min ago: the 1 h minimum has passed.
    await expect.poll(() => facPage.getByTestId(`elapsed-${p1.id}`).innerText()).toMatch(/^1 h (29|30|31) min/);
    await expect.poll(() => facPage.getByTestId(`earliest-${p1.id}`).innerText()).toMatch(/^Can be released/);

    // [LIVE2] A dose now: the tile says when the earliest release is, before anyone tries.
    await facPage.getByTestId(`action-dose-${p2.id}`).click();
    await facPage.getByLabel(/Psilocybin \(mg\)/).fill("2");
    await facPage.getByRole("button", { name: "Record dose" }).click();
    await facPage.getByTestId("form-dose").waitFor({ state: "detached", timeout: 5000 });
    const earliest = facPage.getByTestId(`earliest-${p2.id}`);
    await expect.poll(() => earliest.innerText()).toMatch(/^Earliest release \d{2}:\d{2} \S+/);
    await facPage.getByTestId(`tile-${p2.id}`).scrollIntoViewIfNeeded();
    // [SCH7] p2 was dosed on an earlier day of the program: a returning client, 30 min, not 1 h.
    await expect.poll(() => earliest.innerText()).toMatch(/ · returning client$/);
    const releaseAt = Date.parse((await earliest.locator("time").getAttribute("datetime")) ?? "");
    expect(Math.abs(releaseAt - Date.now() - 30 * 60_000)).toBeLessThan(2 * 60_000);
    // p1 never dosed before: the full hour after their dose 90 min ago, and no "returning" on the tile.
    const p1Earliest = facPage.getByTestId(`earliest-${p1.id}`);
    expect(await p1Earliest.innerText()).not.toMatch(/returning/);
    const p1At = Date.parse((await p1Earliest.locator("time").getAttribute("datetime")) ?? "");
    expect(Math.abs(p1At - (Date.now() - 30 * 60_000))).toBeLessThan(2 * 60_000);
    await screenshot(facPage, "dosing-tile-earliest-release");

    // [LIVE8] 120/120: implausible, and at the diastolic limit — it alerts and asks for a re-measure.
    await facPage.getByTestId(`action-vitals-${p2.id}`).click();
    await facPage.getByLabel("Systolic (mmHg)").fill("120");
    await facPage.getByLabel("Diastolic (mmHg)").fill("120");
    await facPage.getByLabel("Heart rate (per min)").fill("84");
    await facPage.getByRole("button", { name: "Record vitals" }).click();
    const vitalsAlert = facPage.locator('[data-testid^="alert-"][data-kind="vitals"][data-state="pending"]');
    await vitalsAlert.waitFor({ timeout: 5000 });
    expect(await facPage.getByTestId(`remeasure-${p2.id}`).innerText()).toContain(
      "Measure again: Diastolic (120) is not below systolic (120).",
    );
    await facPage.getByTestId(`tile-${p2.id}`).scrollIntoViewIfNeeded();
    await screenshot(facPage, "dosing-vitals-flag");
    await vitalsAlert.getByRole("button", { name: "I'm on it" }).click();
    await vitalsAlert.waitFor({ state: "detached", timeout: 5000 });

    // p1 asks for support; a facilitator answers: "fac1 … is coming to you".
    await p1.page.getByRole("button", { name: "I need support" }).click();
    const support = facPage.locator('[data-testid^="alert-"][data-kind="support"][data-state="pending"]');
    await support.waitFor({ timeout: 5000 });
    await support.getByRole("button", { name: "I'm on it" }).click();
    await expect.poll(() => p1.page.getByTestId("support-responder").innerText()).toMatch(/is coming to you/);

    // [LIVE10] The release form shows the plan on file and confirms against it.
    await facPage.getByTestId(`action-release-${p1.id}`).click();
    const form = facPage.getByTestId("form-release");
    expect(await form.getByTestId("release-plan").innerText()).toContain("A friend");
    expect(await form.getByRole("radio", { name: "A friend, as planned" }).isChecked()).toBe(true);
    expect(await form.getByTestId("release-earliest").innerText()).toMatch(/\(reached\)/);
    await screenshot(facPage, "dosing-release-form");
    await form.getByRole("button", { name: "Release" }).click();
    await form.waitFor({ state: "detached", timeout: 5000 });
    await expect
      .poll(() => facPage.getByTestId(`released-${p1.id}`).innerText())
      .toMatch(/with A friend \(as planned\)/);
    const frozen = await facPage.getByTestId(`elapsed-${p1.id}`).innerText();
    expect(frozen).toContain("(stopped)");

    // The released phone: released, how they get home, no check-ins, "coming to you" resolved.
    await expect
      .poll(() => p1.page.getByTestId("released-ride").innerText())
      .toBe("A friend is taking you home, as in your plan.");
    expect(await p1.page.getByTestId("checkin-panel").count()).toBe(0);
    expect(await p1.page.getByRole("button", { name: "I need support" }).isDisabled()).toBe(true);
    expect(await p1.page.getByTestId("support-responder").innerText()).toMatch(/answered your request at /);
    expect(await p1.page.getByText(/is coming to you/).count()).toBe(0);
    expect(await p1.page.getByTestId("support-hint").innerText()).toMatch(/call your program's contact number/);
    await screenshot(p1.page, "dosing-phone-released");

    // [LIVE10] A different driver for p2 is a logged change (and before the earliest time, a transfer).
    await facPage.getByTestId(`action-release-${p2.id}`).click();
    await form.getByRole("radio", { name: /Someone else/ }).check();
    await form.getByLabel("Who is taking them home").fill("Jordan (brother)");
    await form.getByRole("button", { name: /Release/ }).click();
    await expect.poll(() => facPage.getByTestId("form-error").innerText()).toMatch(/describe the change/);
    await form.getByLabel("What changed from the plan").fill("Friend unwell; brother collects");
    await form.getByLabel("Medical transfer reason").fill("Feeling faint; seen by the on-call doctor");
    await form.getByRole("button", { name: /Release/ }).click();
    await form.waitFor({ state: "detached", timeout: 5000 });
    await expect
      .poll(() => facPage.getByTestId(`released-${p2.id}`).innerText())
      .toMatch(/with Jordan \(brother\) \(changed from the plan\) · medical transfer/);
    await expect.poll(() => p2.page.getByTestId("released-ride").innerText()).toMatch(/a change from your plan/);

    // Sign out during the live session asks first; "Stay signed in" keeps "I need support".
    await p3.page.getByRole("button", { name: "Sign out" }).click();
    const ask = p3.page.getByRole("alertdialog", { name: "Sign out during the live session?" });
    await ask.waitFor();
    expect(await ask.innerText()).toContain("can no longer send “I need support”");
    await screenshot(p3.page, "dosing-signout-confirm");
    await ask.getByRole("button", { name: "Stay signed in" }).click();
    await ask.waitFor({ state: "detached" });
    expect(await p3.page.getByRole("button", { name: "I need support" }).isEnabled()).toBe(true);

    // [LIVE6] The end: support off with what to do instead, on every phone; "ended" on home.
    await facPage.getByTestId("end-session").click();
    await facPage.getByTestId("end-session-confirm").click();
    await facPage.getByTestId("end-session-done").waitFor({ timeout: 5000 });
    for (const p of [p1, p3]) {
      await p.page.getByTestId("session-ended").waitFor({ timeout: 5000 });
      expect(await p.page.getByRole("button", { name: "I need support" }).isDisabled()).toBe(true);
      expect(await p.page.getByTestId("support-hint").innerText()).toMatch(
        /^“I need support” no longer reaches anyone now that the session has ended\. If you are still in the room, call out or wave to a facilitator\. Once you have left, call your program's contact number; in an emergency, call 911\.$/,
      );
    }
    expect(await p3.page.getByTestId("checkin-panel").count()).toBe(0);
    await screenshot(p3.page, "dosing-phone-ended");
    // Signing out once it has ended does not ask.
    await p3.page.getByRole("link", { name: "Holdspace" }).click();
    await expect.poll(() => p3.page.getByTestId(`session-ended-${sessionId}`).innerText()).toMatch(/^ · ended /i);
    await facPage.getByRole("link", { name: "Holdspace" }).click();
    await expect.poll(() => facPage.getByTestId(`session-ended-${sessionId}`).innerText()).toMatch(/^ · ended /i);
    await screenshot(p3.page, "dosing-home-ended");
    await p3.page.getByRole("button", { name: "Sign out" }).click();
    await p3.page.getByTestId("signin-email").waitFor({ timeout: 5000 });
  });
});

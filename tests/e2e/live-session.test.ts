import { describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { CHECKIN_LABEL } from "../../shared/domain/checkin.js";
import { streamName } from "../../shared/log.js";
import { screenshot } from "../support/browser.js";
import { LAPTOP, PHONE, invitePhone, signInPage, useBrowserApp } from "../support/e2e.js";
import { mainCohort } from "../support/fixtures.js";

/** A facilitator's laptop and three participants' phones, each in its own browser context. */
describe("live dosing session in Chromium", () => {
  const app = useBrowserApp();

  async function phone(key: string): Promise<{ page: Page; id: string; ctx: BrowserContext }> {
    const p = await invitePhone(app, key, { ...PHONE, timezoneId: "UTC" });
    await p.page.getByRole("link", { name: "Dosing day", exact: true }).click();
    await p.page.getByRole("button", { name: "I need support" }).waitFor();
    return p;
  }

  it("[LIVE5] [LIVE6] [LIVE1] [LIVE2] [LIVE8] [RDY1] [SCH1] check-ins reach the tiles; 'I need support' reaches the facilitator, who acknowledges; the participant sees who is coming", async () => {
    const { node } = app;
    const sessionId = `live-${node.tag}`;
    const fac = mainCohort(node.tag).people.find((p) => p.key === "fac1");
    if (!fac) throw new Error("fixture missing");
    // [SCH1] The facilitator's laptop is in Los Angeles: times on the tiles are in its zone, named.
    const facPage = await signInPage(
      await app.context({ ...LAPTOP, timezoneId: "America/Los_Angeles" }),
      node.url,
      fac.email,
    );
    await facPage.getByRole("link", { name: "Dosing day", exact: true }).click();
    await facPage.getByTestId("enable-sound").click();
    await facPage.getByTestId("sound-state").waitFor();

    const [p1, p2, p3] = [await phone("p1"), await phone("p2"), await phone("p3")];
    for (const p of [p1, p2, p3])
      await facPage.locator(`[data-testid="presence-${p.id}"][data-state="online"]`).first().waitFor({ timeout: 5000 });

    // [RDY1] Ready participants are admitted from their tile; then a dose is recorded [LIVE1].
    await facPage.getByTestId(`tile-${p1.id}`).getByRole("button", { name: "Admit to session" }).click();
    await facPage.getByTestId(`tile-${p1.id}`).getByRole("button", { name: "Dose", exact: true }).click();
    await facPage.getByLabel(/^Psilocybin \(mg\)/).fill("20");
    await facPage.getByRole("button", { name: "Record dose" }).click();
    await expect.poll(() => facPage.getByTestId(`dose-${p1.id}`).innerText()).toContain("20 mg total");
    await expect.poll(() => facPage.getByTestId(`earliest-${p1.id}`).innerText()).toMatch(/\d{2}:\d{2} P[SD]T/);
    expect(await facPage.getByTestId(`tile-${p1.id}`).innerText()).toMatch(/First dose\s+\d{2}:\d{2} P[SD]T/);

    // [LIVE8] Vitals over the limit raise an alert at once; [LIVE2] an early release is refused in words.
    await facPage.getByTestId(`tile-${p1.id}`).getByRole("button", { name: "Vitals", exact: true }).click();
    await facPage.getByLabel("Systolic (mmHg)").fill("184");
    await facPage.getByLabel("Diastolic (mmHg)").fill("96");
    await facPage.getByLabel("Heart rate (per min)").fill("88");
    await facPage.getByRole("button", { name: "Record vitals" }).click();
    const vitalsAlert = facPage.locator('[data-testid^="alert-"][data-kind="vitals"][data-state="pending"]');
    await vitalsAlert.waitFor({ timeout: 2000 });
    await vitalsAlert.getByRole("button", { name: "I'm on it" }).click();
    await facPage.getByTestId(`tile-${p1.id}`).getByRole("button", { name: "Release", exact: true }).click();
    // [LIVE10] Going home as on the plan on file (the form's default).
    await facPage.getByTestId("release-submit").click();
    await expect.poll(() => facPage.getByTestId("form-error").innerText()).toMatch(/Earliest release is/);

    // [LIVE5] Three check-ins, three tiles.
    const statuses = [
      [p1, "ok"],
      [p2, "struggling"],
      [p3, "ok"],
    ] as const;
    for (const [p, status] of statuses) {
      await p.page.getByRole("button", { name: CHECKIN_LABEL[status] }).click();
      await p.page.locator('[data-testid="checkin-state"][data-state="sent"]').waitFor({ timeout: 5000 });
    }
    // [SCH1] A phone in UTC says when its check-in was sent in its own zone, named.
    expect(await p1.page.getByTestId("checkin-state").innerText()).toMatch(/ at \d{2}:\d{2} UTC\.$/);
    for (const [p, status] of statuses)
      await facPage.locator(`[data-testid="checkin-${p.id}"][data-status="${status}"]`).waitFor({ timeout: 1000 });

    // [LIVE6] The button; "sent" only after the server has it.
    await p2.page.getByRole("button", { name: "I need support" }).click();
    await p2.page.locator('[data-testid="support-state"][data-state="sent"]').waitFor({ timeout: 5000 });
    const row = facPage.locator('[data-testid^="alert-"][data-kind="support"][data-state="pending"]');
    await row.waitFor({ timeout: 2000 });
    expect(await row.innerText()).toContain(`p2 ${node.tag}`);
    await screenshot(p2.page, "live-participant-support-sent");
    await screenshot(facPage, "live-facilitator-alert");

    await row.getByRole("button", { name: "I'm on it" }).click();
    await p2.page.getByTestId("support-responder").waitFor({ timeout: 5000 });
    expect(await p2.page.getByTestId("support-responder").innerText()).toContain(`fac1 ${node.tag} is coming`);
    await facPage
      .locator('[data-testid^="alert-"][data-kind="support"][data-state="acknowledged"]')
      .waitFor({ timeout: 2000 });
    expect(await facPage.getByTestId("alerts-count").getAttribute("data-count")).toBe("0");
    await screenshot(p2.page, "live-participant-who-is-coming");
    await screenshot(facPage, "live-facilitator-room");

    // [LIVE6] A dropped connection: the press waits, says "sending", and lands once when the
    // network is back — without the person doing anything more.
    await p3.ctx.setOffline(true);
    for (const sock of await node.app.io.fetchSockets()) if (sock.data.user.id === p3.id) sock.disconnect(true);
    await p3.page.locator('[data-testid="connection-status"][data-state="reconnecting"]').waitFor({ timeout: 5000 });
    await p3.page.getByRole("button", { name: "I need support" }).click();
    await p3.page.locator('[data-testid="support-state"][data-state="sending"]').waitFor({ timeout: 2000 });
    await screenshot(p3.page, "live-participant-support-sending");
    await p3.ctx.setOffline(false);
    await p3.page.locator('[data-testid="support-state"][data-state="sent"]').waitFor({ timeout: 15_000 });
    await facPage
      .locator('[data-testid^="alert-"][data-kind="support"][data-state="pending"]')
      .waitFor({ timeout: 5000 });
    const raised = (await node.stores.log.read(streamName("session", sessionId), 0, 1000)).events.filter(
      (e) => e.type === "alert.raised" && e.data.participantId === p3.id,
    );
    expect(raised).toHaveLength(1);

    // [LIVE6] Pressed while offline, then the page is closed: a new page (a reload) retries the
    // same request from localStorage, and it still lands once.
    await p1.ctx.setOffline(true);
    for (const sock of await node.app.io.fetchSockets()) if (sock.data.user.id === p1.id) sock.disconnect(true);
    await p1.page.locator('[data-testid="connection-status"][data-state="reconnecting"]').waitFor({ timeout: 5000 });
    await p1.page.getByRole("button", { name: "I need support" }).click();
    await p1.page.locator('[data-testid="support-state"][data-state="sending"]').waitFor({ timeout: 2000 });
    await p1.page.close();
    await p1.ctx.setOffline(false);
    const reopened = await p1.ctx.newPage();
    await reopened.goto(`${node.url}/session/${sessionId}`);
    await reopened.locator('[data-testid="support-state"][data-state="sent"]').waitFor({ timeout: 15_000 });
    const p1Alerts = (await node.stores.log.read(streamName("session", sessionId), 0, 1000)).events.filter(
      (e) => e.type === "alert.raised" && e.data.kind === "support" && e.data.participantId === p1.id,
    );
    expect(p1Alerts).toHaveLength(1);
  });
});

import { describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.js";
import { facilitatorInSession, invitePhone, useBrowserApp } from "../support/e2e.js";

/** The thin slice end to end in a real browser: a facilitator's screen and a participant's phone. */
describe("live session in Chromium", () => {
  const app = useBrowserApp();

  it("[LIVE5] [PR3] a participant's check-in appears on the facilitator's screen; presence shows on both", async () => {
    // Facilitator: a laptop, signs in with email and password.
    const { facPage } = await facilitatorInSession(app);
    await expect.poll(() => facPage.getByTestId("session-room").getAttribute("data-role")).toBe("staff");

    // Participant: a phone, arrives through a one-time sign-in link.
    const { page: pPage, id: p1Id } = await invitePhone(app, "p1");
    await pPage.getByRole("link", { name: "Dosing day", exact: true }).click();
    await pPage.getByTestId("checkin-panel").waitFor();

    // The facilitator sees the participant arrive.
    await facPage.locator(`[data-testid="presence-${p1Id}"][data-state="online"]`).waitFor({ timeout: 5000 });

    // The participant says they are struggling, with an intensity and a few words.
    await pPage.getByText("Add how strong it feels, or a few words").click();
    await pPage.getByRole("button", { name: "7", exact: true }).click();
    await pPage.getByLabel("A few words (optional)").fill("The room feels very big");
    await pPage.getByRole("button", { name: "Struggling" }).click();
    await pPage.locator('[data-testid="checkin-state"][data-state="sent"]').waitFor({ timeout: 5000 });

    // …and it is on the facilitator's tile within a second.
    const tileStatus = facPage.locator(`[data-testid="checkin-${p1Id}"][data-status="struggling"]`);
    await tileStatus.waitFor({ timeout: 1000 });
    await expect.poll(() => facPage.getByTestId(`tile-${p1Id}`).innerText()).toContain("The room feels very big");

    await screenshot(pPage, "participant-phone");
    await screenshot(facPage, "facilitator-room");

    // Then "I need support" (the big button): it stands out on the facilitator's screen.
    await pPage.getByRole("button", { name: "I need support" }).click();
    await pPage.locator('[data-testid="support-state"][data-state="sent"]').waitFor({ timeout: 5000 });
    // [LIVE6] It raises a support alert: a pending row at the top of the facilitator's screen.
    await facPage
      .locator('[data-testid^="alert-"][data-kind="support"][data-state="pending"]')
      .waitFor({ timeout: 1000 });
    await screenshot(facPage, "facilitator-need-support");
  });
});

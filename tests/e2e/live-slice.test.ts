import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium, screenshot } from "../support/browser.js";
import { TEST_PASSWORD, mainCohort } from "../support/fixtures.js";
import { startApp, type Running } from "../support/harness.js";

/** The thin slice end to end in a real browser: a facilitator's screen and a participant's phone. */
describe("live session in Chromium", () => {
  let node: Running & { tag: string };
  let browser: Browser;
  beforeAll(async () => {
    node = await startApp("redis", { staticDir: join(process.cwd(), "dist", "client"), timers: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await node?.stop();
  });

  it("[LIVE5] [PR3] a participant's check-in appears on the facilitator's screen; presence shows on both", async () => {
    const spec = mainCohort(node.tag);
    const sessionId = `live-${node.tag}`;
    const fac = spec.people.find((p) => p.key === "fac1");
    const p1 = spec.people.find((p) => p.key === "p1");
    const p1User = await node.app.services.users.byEmail(p1?.email ?? "");
    if (!fac || !p1 || !p1User) throw new Error("fixture missing");

    // Facilitator: a laptop, signs in with email and password.
    const facCtx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "dark" });
    const facPage = await facCtx.newPage();
    await facPage.goto(node.url);
    await facPage.getByTestId("signin-email").fill(fac.email);
    await facPage.getByTestId("signin-password").fill(TEST_PASSWORD);
    await facPage.getByTestId("signin-submit").click();
    await facPage.getByTestId(`session-link-${sessionId}`).click();
    await expect.poll(() => facPage.getByTestId("session-room").getAttribute("data-role")).toBe("staff");

    // Participant: a phone, arrives through a one-time sign-in link.
    const token = await node.app.services.users.createInvite(p1User.id);
    const pCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, colorScheme: "dark" });
    const pPage = await pCtx.newPage();
    await pPage.goto(`${node.url}/invite/${token}`);
    await pPage.getByTestId(`session-link-${sessionId}`).click();
    await pPage.getByTestId("checkin-panel").waitFor();

    // The facilitator sees the participant arrive.
    await facPage.locator(`[data-testid="presence-${p1User.id}"][data-state="online"]`).waitFor({ timeout: 5000 });

    // The participant says they are struggling, with an intensity and a few words.
    await pPage.locator("details.extras summary").click();
    await pPage.getByTestId("intensity-7").click();
    await pPage.getByTestId("checkin-text").fill("The room feels very big");
    await pPage.getByTestId("checkin-struggling").click();
    await pPage.locator('[data-testid="checkin-state"][data-state="sent"]').waitFor({ timeout: 5000 });

    // …and it is on the facilitator's tile within a second.
    const tileStatus = facPage.locator(`[data-testid="checkin-${p1User.id}"][data-status="struggling"]`);
    await tileStatus.waitFor({ timeout: 1000 });
    await expect.poll(() => facPage.getByTestId(`tile-${p1User.id}`).innerText()).toContain("The room feels very big");

    await screenshot(pPage, "participant-phone");
    await screenshot(facPage, "facilitator-room");

    // Then "I need support" (the big button): it stands out on the facilitator's screen.
    await pPage.getByTestId("support-button").click();
    await pPage.locator('[data-testid="support-state"][data-state="sent"]').waitFor({ timeout: 5000 });
    // [LIVE6] It raises a support alert: a pending row at the top of the facilitator's screen.
    await facPage.locator('[data-testid^="alert-"][data-kind="support"][data-state="pending"]').waitFor({ timeout: 1000 });
    await screenshot(facPage, "facilitator-need-support");
    await facCtx.close();
    await pCtx.close();
  });
});

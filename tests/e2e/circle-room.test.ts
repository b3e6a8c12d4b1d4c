import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { screenshot } from "../support/browser.js";
import { LAPTOP, invitePhone, signInPage, useBrowserApp } from "../support/e2e.js";

/** An integration circle end to end: a facilitator on a laptop, three participants on phones. */
describe("integration circle in Chromium", () => {
  const app = useBrowserApp();
  const holderIs = (page: Page, id: string) =>
    page.locator(`[data-testid="seat-${id}"][data-role="holder"]`).waitFor({ timeout: 5000 });

  it("[CIR1] [CIR2] [CIR3] [CIR4] [CIR5] [CIR6] [AC3] agreement, the piece round the circle, and two people typing into the notes at once", async () => {
    const { node } = app;
    const facUser = await app.person("fac1");

    // The facilitator starts a circle from the home screen.
    const facPage = await signInPage(await app.context(LAPTOP), node.url, facUser.email);
    await facPage.getByLabel("Start integration circle").fill("Integration circle 1");
    await facPage.getByRole("button", { name: "Start circle" }).click();
    await facPage.getByTestId("circle-room").waitFor();
    const circleId = decodeURIComponent(new URL(facPage.url()).pathname.split("/").at(-1) ?? "");
    await holderIs(facPage, facUser.id);

    // Three participants join from their phones through the home screen and accept the agreement.
    const phones = await Promise.all(["p1", "p2", "p3"].map((k) => invitePhone(app, k)));
    for (const [i, ph] of phones.entries()) {
      await ph.page.getByTestId(`circle-link-${circleId}`).waitFor();
      if (i === 0) await screenshot(ph.page, "circle-home-phone");
      await ph.page.getByRole("link", { name: "Integration circle 1" }).click();
      await ph.page.getByTestId("agreement").waitFor();
      if (i === 0) await screenshot(ph.page, "circle-agreement-phone");
      await ph.page.getByRole("button", { name: "I agree" }).click();
      await ph.page.getByTestId("circle-room").waitFor();
      await holderIs(ph.page, facUser.id);
    }
    const [a, b, c] = phones;
    if (!a || !b || !c) throw new Error("phones missing");

    // Every screen shows the same share timer (server instant, offset-corrected), within half a second.
    const remaining = async (p: Page) => Number(await p.getByTestId("share-timer").getAttribute("data-remaining-ms"));
    const readings = await Promise.all([facPage, a.page, b.page, c.page].map(remaining));
    expect(Math.max(...readings) - Math.min(...readings)).toBeLessThan(500);

    // The piece goes round in seat order: facilitator finishes, p1 passes, p2 finishes, p3 passes.
    await facPage.getByRole("button", { name: "I'm finished" }).click();
    await holderIs(a.page, a.id);
    await holderIs(c.page, a.id);
    await expect.poll(() => b.page.getByTestId("piece-status").innerText()).toContain("holds the piece");
    await a.page.getByRole("button", { name: "Pass", exact: true }).click();
    await holderIs(b.page, b.id);
    await screenshot(b.page, "circle-holder-phone");
    await b.page.getByRole("button", { name: "I'm finished" }).click();
    await holderIs(c.page, c.id);
    await c.page.getByRole("button", { name: "Pass", exact: true }).click();
    // The co-facilitator never came, so the piece skips their seat back to the facilitator [CIR2];
    // taking it back changes nothing visible.
    await facPage.getByRole("button", { name: "Take the piece back" }).click();
    for (const p of [facPage, a.page, b.page, c.page]) await holderIs(p, facUser.id);

    // Two participants type into the shared notes at the same moment; both see both texts.
    await Promise.all([
      a.page
        .getByRole("textbox", { name: "Shared circle notes" })
        .pressSequentially("Alpha felt the room soften. ", { delay: 15 }),
      b.page
        .getByRole("textbox", { name: "Shared circle notes" })
        .pressSequentially("Bravo noticed breath slowing. ", { delay: 15 }),
    ]);
    for (const p of [a.page, b.page, c.page, facPage]) {
      await expect
        .poll(() => p.getByRole("textbox", { name: "Shared circle notes" }).inputValue(), { timeout: 10_000 })
        .toContain("Alpha felt the room soften.");
      await expect
        .poll(() => p.getByRole("textbox", { name: "Shared circle notes" }).inputValue(), { timeout: 10_000 })
        .toContain("Bravo noticed breath slowing.");
    }
    await a.page.locator('[data-testid="notes-status"][data-state="saved"]').waitFor({ timeout: 5000 });

    // A private journal entry stays private; facilitator notes are on the facilitator's screen only.
    await a.page.getByRole("textbox", { name: "New journal entry" }).fill("Only for me: grief came up.");
    await a.page.getByRole("button", { name: "Save to my journal" }).click();
    await a.page.getByText("Only for me: grief came up.").first().waitFor();
    await facPage.getByTestId("fnote-text").fill("Group settled after the first round.");
    await facPage.getByTestId("fnote-save").click();
    await facPage.getByText("Saved.").waitFor();
    for (const p of [b.page, c.page]) {
      expect(await p.content()).not.toContain("grief came up");
      expect(await p.content()).not.toContain("Group settled");
      expect(await p.getByTestId("facilitator-notes").count()).toBe(0);
    }

    // The note survives a reload.
    await c.page.reload();
    await expect
      .poll(() => c.page.getByRole("textbox", { name: "Shared circle notes" }).inputValue(), { timeout: 10_000 })
      .toContain("Bravo noticed breath slowing.");

    await screenshot(a.page, "circle-participant-phone");
    await screenshot(facPage, "circle-facilitator");
  });
});

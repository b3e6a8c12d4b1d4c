import { describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { LIVE_INDEX_ID } from "../../shared/domain/live-index.js";
import { screenshot } from "../support/browser.js";
import { facilitatorInSession, invitePhone, useBrowserApp } from "../support/e2e.js";

/** The end of a dosing day: a facilitator ends the session; every screen says it has ended, live. */
describe("ending a live session in Chromium", () => {
  const app = useBrowserApp();

  async function phone(key: string): Promise<{ page: Page; id: string; ctx: BrowserContext }> {
    const p = await invitePhone(app, key);
    await p.page.getByRole("link", { name: "Dosing day", exact: true }).click();
    await p.page.getByRole("button", { name: "I need support" }).waitFor();
    return p;
  }

  it("[LIVE6] [LIVE10] [LOG1] 'End session' is refused in words while someone is not released or an alert waits, then ends it on every screen", async () => {
    const { node, sessionId, facPage } = await facilitatorInSession(app);
    const [p1, p2] = [await phone("p1"), await phone("p2")];
    for (const p of [p1, p2])
      await facPage.locator(`[data-testid="presence-${p.id}"][data-state="online"]`).first().waitFor({ timeout: 5000 });

    await facPage.getByTestId(`tile-${p1.id}`).getByRole("button", { name: "Admit to session" }).click();
    await facPage.getByTestId(`tile-${p1.id}`).getByRole("button", { name: "Release", exact: true }).waitFor();
    await p2.page.getByRole("button", { name: "I need support" }).click();
    await p2.page.locator('[data-testid="support-state"][data-state="sent"]').waitFor({ timeout: 5000 });
    const pending = facPage.locator('[data-testid^="alert-"][data-kind="support"][data-state="pending"]');
    await pending.waitFor({ timeout: 2000 });

    // Asked first; cancel does nothing.
    await facPage.getByRole("button", { name: "End session…" }).click();
    await facPage.getByRole("button", { name: "Cancel" }).click();
    await facPage.getByRole("button", { name: "End session…" }).click();
    await facPage.getByRole("button", { name: "Yes, end the session" }).click();
    const refusal = facPage.getByTestId("end-session-error");
    await refusal.waitFor({ timeout: 5000 });
    expect(await refusal.innerText()).toContain(
      `1 participant is still admitted and not released (p1 ${node.tag}); 1 alert is waiting for a response (support request from p2 ${node.tag})`,
    );
    await refusal.scrollIntoViewIfNeeded();
    await screenshot(facPage, "live-close-refused");

    // Answer the alert, release p1 (transport confirmed), and end the day.
    await pending.getByRole("button", { name: "I'm on it" }).click();
    await p2.page.getByTestId("support-responder").waitFor({ timeout: 5000 });
    await facPage.getByTestId(`tile-${p1.id}`).getByRole("button", { name: "Release", exact: true }).click();
    await facPage.getByTestId("release-submit").click();
    await facPage.getByTestId("form-release").waitFor({ state: "detached", timeout: 5000 });
    await facPage.getByRole("button", { name: "End session…" }).click();
    await facPage.getByRole("button", { name: "Yes, end the session" }).click();
    await facPage.getByTestId("end-session-done").waitFor({ timeout: 5000 });
    expect(await facPage.getByTestId("end-session-done").innerText()).toContain(`by fac1 ${node.tag}`);

    // Every screen, live: the phones say it has ended, and check-ins are off.
    for (const p of [p1, p2]) {
      await p.page.getByTestId("session-ended").waitFor({ timeout: 5000 });
      expect(await p.page.getByTestId("session-status").getAttribute("data-status")).toBe("closed");
    }
    expect(await p1.page.getByTestId("session-ended").innerText()).toContain("This session has ended");
    // [LIVE6] "I need support" is off now, and the phone says what to do instead.
    for (const p of [p1, p2]) {
      expect(await p.page.getByRole("button", { name: "I need support" }).isDisabled()).toBe(true);
      expect(await p.page.getByTestId("support-hint").innerText()).toMatch(
        /no longer reaches anyone now that the session has ended\. If you are still in the room, call out or wave to a facilitator/,
      );
    }
    // [LOG1] No node walks it any more.
    expect((await node.app.services.streams.state("index", LIVE_INDEX_ID)).sessions).not.toContain(sessionId);
    await screenshot(p1.page, "live-close-participant-ended");
    await screenshot(facPage, "live-close-facilitator-ended");
  });
});

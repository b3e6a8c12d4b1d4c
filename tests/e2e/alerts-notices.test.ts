import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { serverId, streamName } from "../../shared/log.js";
import { screenshot } from "../support/browser.js";
import {
  LAPTOP,
  facilitatorInSession,
  invitePhone,
  signInPage,
  useBrowserApp,
  type BrowserApp,
} from "../support/e2e.js";
import { mainCohort } from "../support/fixtures.js";

/** Whether two boxes on screen share any pixel. */
async function overlap(a: Locator, b: Locator): Promise<boolean> {
  const [x, y] = [await a.boundingBox(), await b.boundingBox()];
  if (!x || !y) throw new Error("an element to compare is not on screen");
  return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
}

/** A participant's phone in the seeded session, pressing "I need support" until the server confirms. */
async function askForSupport(app: BrowserApp, key: string, sessionId: string): Promise<{ phone: Page; id: string }> {
  const { page: phone, id } = await invitePhone(app, key);
  await phone.getByTestId(`session-link-${sessionId}`).click();
  await phone.getByRole("button", { name: "I need support" }).click();
  await phone.locator('[data-testid="support-state"][data-state="sent"]').waitFor({ timeout: 10_000 });
  return { phone, id };
}

/**
 * Issue 11, "Alerts and notices", with real timers (the 15 s tier is waited for): a facilitator
 * in the room on a laptop, a second one in another session, the program admin on their home page,
 * and two participants on phones.
 */
describe("alert notices for facilitators and admins in Chromium", () => {
  const app = useBrowserApp();

  it("[LIVE6] [LIVE3] an escalation notice names the session and cohort, says who answered, clears, and stays gone after a reload; the sound choice survives a reload; the timeline hides arrivals", async () => {
    const { node, sessionId, facPage } = await facilitatorInSession(app);
    const tag = node.tag;
    const people = mainCohort(tag).people;
    const email = (key: string) => people.find((p) => p.key === key)?.email ?? "";

    // A second session of the same cohort, where the second facilitator is working.
    const otherId = `second-${tag}`;
    const fac2 = await app.person("fac2");
    await node.app.services.streams.appendSystem(streamName("session", otherId), {
      id: serverId("test", "open"),
      type: "session.opened",
      actor: fac2.id,
      data: { cohortId: `cohort-${tag}`, title: "Afternoon dosing", openedBy: fac2.id },
    });
    await node.app.services.listing.ensure(otherId);
    const fac2Page = await signInPage(await app.context(LAPTOP), `${node.url}/session/${otherId}`, email("fac2"));
    await fac2Page.getByRole("heading", { name: /Participants/ }).waitFor();

    // The admin turns the alert sound on; a reload keeps the choice (the browser may want a click).
    const admin = await signInPage(await app.context(LAPTOP), node.url, email("admin"));
    await admin.getByRole("button", { name: "Alert sound is off — turn it on" }).click();
    await admin.getByTestId("sound-state").waitFor();
    await admin.reload();
    await admin.getByTestId("whoami").waitFor();
    const soundControl = admin.locator('[data-testid="sound-state"], [data-testid="enable-sound"]');
    await soundControl.waitFor();
    expect(await admin.getByRole("button", { name: "Alert sound is off — turn it on" }).count()).toBe(0);
    if ((await admin.getByTestId("enable-sound").count()) > 0) {
      expect(await admin.getByTestId("enable-sound").innerText()).toBe("Click to allow the alert sound");
      await admin.getByRole("button", { name: "Click to allow the alert sound" }).click();
      await admin.getByTestId("sound-state").waitFor();
    }

    // Two participants ask for support; nobody answers for 15 s.
    const p1 = await askForSupport(app, "p1", sessionId);
    await askForSupport(app, "p2", sessionId);
    await admin.getByTestId("alert-notices").waitFor({ timeout: 25_000 });
    await admin.locator('[data-testid="alert-notices"] li[data-state="waiting"]').nth(1).waitFor({ timeout: 25_000 });
    const banner = admin.getByTestId("alert-notices");
    expect(await banner.innerText()).toMatch(
      new RegExp(`No response for 15 s: p1 ${tag} asked for support in Dosing day \\(Main cohort\\)`),
    );
    // One line per alert, and one sound control on the whole page, in the header.
    expect(await banner.locator("li").count()).toBe(2);
    expect((await banner.boundingBox())?.height ?? 999).toBeLessThan(90);
    expect(await admin.getByRole("button", { name: /alert sound/i }).count()).toBeLessThanOrEqual(1);
    expect(await banner.getByRole("button", { name: /sound/i }).count()).toBe(0);
    // Said once through the one live region, assertively; the strip itself is not a live region.
    expect(await admin.getByTestId("live-assertive").innerText()).toMatch(
      /^No response for 15 s: p\d \w+ asked for support/,
    );
    expect(await admin.locator('[role="alert"], [aria-live]').count()).toBe(2);
    expect(await banner.getAttribute("role")).toBeNull();
    await screenshot(admin, "alerts-banner-admin");

    // On the alert's own page, the room's panel says it all: no notice strip there.
    await facPage.locator('[data-testid^="alert-"][data-kind="support"][data-tier="1"]').first().waitFor();
    expect(await facPage.getByTestId("alert-notices").count()).toBe(0);

    // In another session's room, the strip is part of the page: it pushes the tiles down and
    // covers no tile header, at the top and scrolled.
    const strip = fac2Page.getByTestId("alert-notices");
    await strip.locator('li[data-state="waiting"]').nth(1).waitFor({ timeout: 10_000 });
    const firstTileHead = fac2Page.locator(".tile-head").first();
    const participantsHeading = fac2Page.getByRole("heading", { name: /Participants/ });
    expect(await overlap(strip, firstTileHead)).toBe(false);
    expect(await overlap(strip, participantsHeading)).toBe(false);
    await firstTileHead.scrollIntoViewIfNeeded();
    await fac2Page.evaluate(() => {
      window.scrollBy(0, 120);
    });
    const stripBox = await strip.boundingBox();
    const headBox = await firstTileHead.boundingBox();
    if (!stripBox || !headBox) throw new Error("strip or tile header missing");
    expect(stripBox.y + stripBox.height).toBeLessThanOrEqual(headBox.y);
    await screenshot(fac2Page, "alerts-banner-other-session");

    // fac1 answers p1 in the room: the admin's notice for it says who answered, then clears.
    await facPage
      .locator('li[data-kind="support"][data-state="pending"]')
      .filter({ hasText: `p1 ${tag}` })
      .getByRole("button", { name: "I'm on it" })
      .click();
    const answered = banner.locator('li[data-state="answered"]');
    await answered.waitFor({ timeout: 10_000 });
    expect(await answered.innerText()).toMatch(
      new RegExp(`Answered by fac1 ${tag} at \\d{2}:\\d{2} \\w+: p1 ${tag} asked for support in Dosing day`),
    );
    expect(await answered.innerText()).not.toMatch(/no response/i);
    expect(await admin.getByTestId("live-polite").innerText()).toMatch(new RegExp(`^Answered by fac1 ${tag}`));
    await screenshot(admin, "alerts-answered");
    await answered.waitFor({ state: "detached", timeout: 40_000 });
    expect(await banner.locator("li").count()).toBe(1);

    // A reload brings back only what still waits: p2's alert (the fact the snapshot arrived), not p1's.
    await admin.reload();
    await admin.locator('[data-testid="alert-notices"] li[data-state="waiting"]').waitFor({ timeout: 10_000 });
    expect(await admin.locator('[data-testid="alert-notices"] li').count()).toBe(1);
    expect(await admin.getByTestId(`notice-${await alertIdOf(app, sessionId, p1.id)}`).count()).toBe(0);
    // …and the sound choice is still remembered after this reload too.
    expect(await admin.getByRole("button", { name: "Alert sound is off — turn it on" }).count()).toBe(0);

    // The room's timeline says what and who, and hides arrivals and departures on request.
    const timeline = facPage.getByTestId("timeline");
    await timeline.getByText(new RegExp(`p1 ${tag} asked for support — answered by fac1 ${tag}`)).waitFor();
    expect(await timeline.locator('li[data-type$=".arrived"]').count()).toBeGreaterThan(0);
    await facPage.getByLabel(/Hide arrivals and departures/).check();
    expect(await timeline.locator('li[data-type$=".arrived"], li[data-type$=".left"]').count()).toBe(0);
    await timeline.getByText(new RegExp(`p2 ${tag} asked for support — waiting for a response`)).waitFor();
    await facPage.getByRole("heading", { name: "Timeline" }).scrollIntoViewIfNeeded();
    await screenshot(facPage, "timeline-filtered");
  });
});

/** The id of the support alert a participant raised in the session, from the server's state. */
async function alertIdOf(app: BrowserApp, sessionId: string, participantId: string): Promise<string> {
  const state = await app.node.app.services.streams.state("session", sessionId);
  const a = Object.values(state.live.alerts).find((x) => x.kind === "support" && x.participantId === participantId);
  if (!a) throw new Error("no support alert for that participant");
  return a.id;
}

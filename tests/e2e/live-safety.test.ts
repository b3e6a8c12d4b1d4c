import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { streamName } from "../../shared/log.js";
import { fanOut } from "../../server/gateway/fanout.js";
import { screenshot } from "../support/browser.js";
import { facilitatorInSession, invitePhone, useBrowserApp } from "../support/e2e.js";

/**
 * [LIVE6] The support path under stress, in Chromium with real timers: a phone that cannot get
 * through is told to call out; the facilitator's screen makes an unanswered alert unmistakable,
 * an escalated one more so, and asks for sound while it is off.
 */
describe("support alert safety in Chromium", () => {
  const app = useBrowserApp();

  it("[LIVE6] offline, the phone says 'not through yet — call out'; the facilitator sees it escalate at 15 s, louder in words, and asks for sound", async () => {
    const { node, sessionId, fac, facPage } = await facilitatorInSession(app);
    await facPage.getByTestId("alerts").waitFor();

    const { page: phone, ctx, id: p1Id } = await invitePhone(app, "p1");
    await phone.getByRole("link", { name: "Dosing day", exact: true }).click();
    await phone.getByRole("button", { name: "I need support" }).waitFor();
    await facPage.locator(`[data-testid="presence-${p1Id}"][data-state="online"]`).first().waitFor({ timeout: 5000 });

    // The network is gone: the press keeps trying, never says sent, and soon says to call out.
    await ctx.setOffline(true);
    for (const sock of await node.app.io.fetchSockets()) if (sock.data.user.id === p1Id) sock.disconnect(true);
    await phone.locator('[data-testid="connection-status"][data-state="reconnecting"]').waitFor({ timeout: 5000 });
    await phone.getByRole("button", { name: "I need support" }).click();
    await phone.locator('[data-testid="support-state"][data-state="sending"]').waitFor({ timeout: 2000 });
    await phone.getByTestId("support-hint").waitFor({ timeout: 15_000 });
    expect(await phone.getByTestId("support-hint").innerText()).toMatch(/call out or wave to a facilitator/);
    expect(await phone.getByTestId("support-state").getAttribute("data-state")).toBe("sending");
    await screenshot(phone, "live-participant-not-through-yet");

    await ctx.setOffline(false);
    await phone.locator('[data-testid="support-state"][data-state="sent"]').waitFor({ timeout: 15_000 });
    const row = facPage.locator('[data-testid^="alert-"][data-kind="support"][data-state="pending"]');
    await row.waitFor({ timeout: 5000 });
    // Sound is off in this tab and an alert waits: the control to turn it on is the urgent kind.
    expect(await facPage.getByTestId("enable-sound").getAttribute("class")).toContain("urgent");
    await screenshot(facPage, "live-facilitator-alert-sound-off");

    // Unanswered for 15 s: escalated, in words, on the row. On the alert's own page the panel
    // says it all: no notice strip repeats it (alerts-notices.test.ts has the strip elsewhere).
    await facPage.locator('[data-testid^="alert-"][data-kind="support"][data-tier="1"]').waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toMatch(/NO RESPONSE YET/);
    expect(await facPage.getByTestId("alert-notices").count()).toBe(0);
    // Scrolled down to the timeline, the waiting alert is still in view, and one click away.
    await facPage.evaluate(() => {
      window.scrollTo(0, document.body.scrollHeight);
    });
    await facPage.getByTestId("alerts-float").waitFor({ timeout: 5000 });
    expect(await facPage.getByTestId("alerts-float").innerText()).toMatch(
      /1 alert waiting for a response — NO RESPONSE YET/,
    );
    await facPage.screenshot({
      path: join(process.cwd(), "test-artifacts", "e2e", "live-facilitator-scrolled-alert.png"),
    });
    await facPage.getByTestId("alerts-float").click();
    await facPage.getByTestId("alerts-float").waitFor({ state: "detached", timeout: 5000 });
    await facPage.getByTestId("enable-sound").click();
    await facPage.getByTestId("sound-state").waitFor();
    await screenshot(facPage, "live-facilitator-escalated");

    await row.getByRole("button", { name: "I'm on it" }).click();
    await phone.getByTestId("support-responder").waitFor({ timeout: 5000 });
    expect(await phone.getByTestId("support-responder").innerText()).toContain(`fac1 ${node.tag} is coming`);

    // The session is closed (appended directly; the session:close command itself is in
    // live-close.test.ts). "I need support" is off now (the server would refuse it), and the phone
    // says in words what to do instead (issue 11).
    const closed = await node.app.services.streams.appendSystem(streamName("session", sessionId), {
      id: "$test:close",
      type: "session.closed",
      actor: fac.key,
      data: { closedBy: "test" },
    });
    fanOut(node.app.io, streamName("session", sessionId), { events: [closed.event], duplicate: closed.duplicate });
    await phone.locator('[data-testid="session-status"][data-status="closed"]').waitFor({ timeout: 5000 });
    expect(await phone.getByRole("button", { name: "I need support" }).isDisabled()).toBe(true);
    expect(await phone.getByTestId("support-state").getAttribute("data-state")).toBe("closed");
    // The answered request is history now, not "is coming to you".
    expect(await phone.getByTestId("support-responder").innerText()).toContain(
      `fac1 ${node.tag} answered your request`,
    );
    expect(await phone.getByTestId("support-hint").innerText()).toMatch(
      /no longer reaches anyone now that the session has ended\. If you are still in the room, call out or wave to a facilitator/,
    );
    await screenshot(phone, "live-participant-support-refused");
  });
});

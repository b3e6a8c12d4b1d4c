import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { screenshot } from "../support/browser.js";
import { LAPTOP, PHONE, signInPage, useBrowserApp } from "../support/e2e.js";
import { mainCohort } from "../support/fixtures.js";
import { Http } from "../integration/admin-support.js";

/** An admin's laptop at 1366 px, in London, for a program on Pacific time. */
const WIDE_LAPTOP = { ...LAPTOP, viewport: { width: 1366, height: 900 }, timezoneId: "Europe/London" };
const ZONE = "America/Los_Angeles";

/** Issue 11, "Admins and schedules": zones, changes, the week, limits, and starting a room from the schedule. */
describe("admins and schedules in Chromium", () => {
  const app = useBrowserApp();

  it("[SCH1] [SCH2] [SCH3] [SCH4] [SCH9] an admin reads the week in their zone, switches to the program's, reschedules and cancels; a facilitator starts the room from the schedule", async () => {
    const { node } = app;
    const spec = mainCohort(node.tag);
    const email = (key: string) => spec.people.find((p) => p.key === key)?.email ?? "";
    const cohortId = spec.cohortId;
    const fac1 = await app.person("fac1");
    const p1 = await app.person("p1");

    // Today's dosing session (in an hour, program time), booked over HTTP as the form would.
    const api = await Http.as(node.url, node.tag, "admin");
    const soon = DateTime.now().setZone(ZONE).plus({ hours: 1 }).startOf("hour");
    const local = (d: DateTime) => d.toFormat("yyyy-LL-dd'T'HH:mm");
    const dosing = await api.post(`/api/admin/cohorts/${cohortId}/sessions`, {
      kind: "dosing",
      title: "Dosing day 1",
      start: local(soon),
      end: local(soon.plus({ hours: 6 })),
      plannedDoseMg: 25,
      facilitators: [fac1.id],
      participants: [p1.id],
    });
    expect(dosing.status).toBe(201);
    const prep = await api.post(`/api/admin/cohorts/${cohortId}/sessions`, {
      kind: "preparation",
      title: "Preparation with Maya",
      start: local(soon.minus({ days: 2 })),
      end: local(soon.minus({ days: 2 }).plus({ hours: 1 })),
      facilitators: [fac1.id],
      participants: [p1.id],
    });
    expect(prep.status).toBe(201);

    const admin = await signInPage(await app.context(WIDE_LAPTOP), node.url, email("admin"));
    await admin.goto(`${node.url}/admin/cohort/${cohortId}`);
    await admin.getByTestId("cohort-admin").waitFor();

    // [SCH2] A series says what it made, the wall-clock time kept across the March change.
    await admin.getByRole("button", { name: "Weekly circles" }).click();
    await admin.getByLabel("Title (optional)").fill("Thursday circle");
    await admin.getByLabel("First date").fill("2027-02-25");
    await admin.getByLabel(`Time (${ZONE})`).fill("18:00");
    await admin.getByLabel("Last date").fill("2027-04-01");
    await admin.getByTestId(`series-facilitators-${fac1.id}`).check();
    await admin.getByRole("button", { name: "Schedule weekly circles" }).click();
    await expect
      .poll(() => admin.getByTestId("series-summary").innerText())
      .toBe("Created: 6 circles, 18:00 PST → 18:00 PDT from 18 March, Thu 25 Feb to Thu 1 Apr 2027.");
    await screenshot(admin, "admin-series-created");

    // [SCH1] The schedule opens in the viewer's zone (London), the zone named; the program's is one switch away.
    const item = admin.getByTestId(`sched-${String(dosing.json.sessionId)}`);
    // The start as the viewer's clock reads it; the end may fall after midnight, so only its zone is checked.
    const inZone = (zone: string) =>
      `${soon.setZone(zone).toFormat("ccc d LLL")}, ${soon.setZone(zone).toFormat("HH:mm")}–`;
    await expect
      .poll(() => item.locator(".sched-time").innerText())
      .toMatch(new RegExp(`^${inZone("Europe/London")}.* (GMT|BST)$`));
    expect(await admin.getByTestId("zone-shown").innerText()).toBe("Times shown in your time zone, Europe/London.");
    await admin.getByRole("button", { name: `Program time (${ZONE})` }).click();
    await expect.poll(() => item.locator(".sched-time").innerText()).toMatch(new RegExp(`^${inZone(ZONE)}.* P[SD]T$`));
    // A preparation session says whom it is for and who leads it.
    const prepItem = admin.getByTestId(`sched-${String(prep.json.sessionId)}`);
    expect(await prepItem.innerText()).toContain(`For ${p1.name} · led by ${fac1.name}`);

    // The week keeps seven columns side by side at 1366 px.
    await admin.getByRole("button", { name: "Week", exact: true }).click();
    const days = admin.locator(".week-day");
    await expect.poll(() => days.count()).toBe(7);
    const boxes = [];
    for (let i = 0; i < 7; i++) boxes.push(await days.nth(i).boundingBox());
    const tops = boxes.map((b) => Math.round(b?.y ?? -1));
    expect(new Set(tops).size).toBe(1);
    for (let i = 1; i < 7; i++)
      expect(boxes[i]?.x ?? 0).toBeGreaterThan((boxes[i - 1]?.x ?? 0) + (boxes[i - 1]?.width ?? 0) - 1);
    expect((boxes[6]?.x ?? 0) + (boxes[6]?.width ?? 0)).toBeLessThanOrEqual(1366);
    await screenshot(admin, "admin-week-1366");
    await admin.getByRole("button", { name: "Agenda", exact: true }).click();

    // [SCH3] Reschedule a circle from the screen: into the spring-forward gap is refused, naming it; then moved.
    const circles = admin.locator(".sched-item.kind-circle");
    await circles
      .first()
      .getByRole("button", { name: /Change or cancel Thursday circle/ })
      .click();
    const edit = admin.getByTestId("session-edit-form");
    await edit.waitFor();
    await edit.getByLabel(`Starts (${ZONE})`).fill("2027-03-14T02:30");
    await edit.getByLabel(`Ends (${ZONE})`).fill("2027-03-14T04:00");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => edit.getByTestId("session-start-error").innerText())
      .toBe(
        "2027-03-14 02:30 does not exist in America/Los_Angeles: the clocks move forward 60 minutes that night. Choose another time.",
      );
    await edit.getByLabel(`Starts (${ZONE})`).fill("2027-02-25T19:00");
    await edit.getByLabel(`Ends (${ZONE})`).fill("2027-02-25T20:30");
    await screenshot(admin, "admin-session-edit");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => edit.count()).toBe(0);
    await expect.poll(() => circles.first().locator(".sched-time").innerText()).toBe("Thu 25 Feb, 19:00–20:30 PST");

    // Cancel another one: asked first, then marked cancelled where it was, with nothing to change.
    await expect.poll(() => circles.count()).toBe(6);
    const second = circles.nth(1);
    const secondId = await second.getAttribute("data-testid");
    await second.getByRole("button", { name: /Change or cancel/ }).click();
    await admin.getByRole("button", { name: "Cancel this session…" }).click();
    await admin.getByRole("button", { name: "Yes, cancel the session" }).click();
    await expect.poll(() => admin.locator('.sched-item.kind-circle[data-status="scheduled"]').count()).toBe(5);
    const cancelled = admin.getByTestId(secondId ?? "");
    expect(await cancelled.getAttribute("data-status")).toBe("cancelled");
    expect(await cancelled.innerText()).toContain("Cancelled");
    expect(await cancelled.getByRole("button", { name: /Change or cancel/ }).count()).toBe(0);
    await cancelled.scrollIntoViewIfNeeded();
    await screenshot(admin, "admin-session-cancelled");

    // [SCH5] A capacity over the 25-person group limit is refused, naming the limit.
    await admin.goto(`${node.url}/admin/program/${spec.programId}`);
    await admin.getByLabel("New cohort name").fill("Too big");
    await admin.getByLabel("Room capacity").fill("30");
    await admin.getByRole("button", { name: "Create cohort" }).click();
    await expect
      .poll(() => admin.getByTestId("cohort-capacity-error").innerText())
      .toBe(
        "A group session holds at most 25 participants under the Oregon (OAR 333-333, 2025) rules, so a cohort's capacity can be at most 25; this one asks for 30.",
      );

    // A participant's phone field checks it is a phone number; "Fill in" reads "Hide" while open.
    // A newly enrolled participant (the seeded ones have their forms done).
    const invite = await api.post(`/api/admin/cohorts/${cohortId}/invites`, { ttlHours: 24 });
    const phone = await (await app.context(PHONE)).newPage();
    await phone.goto(`${node.url}${String(invite.json.path)}`);
    await phone.getByLabel("Your name").fill("Gwen");
    await phone.getByLabel("Email (to sign in later)").fill(`gwen.${node.tag}@example.test`);
    await phone.getByLabel("Choose a password").fill("a long enough password");
    await phone.getByTestId("enrol-submit").click();
    await phone.getByTestId("my-forms").waitFor();
    const step = phone.getByTestId("step-transport");
    await step.getByRole("button", { name: "Fill in" }).click();
    await expect.poll(() => step.getByRole("button", { name: "Hide" }).count()).toBe(1);
    await phone.getByLabel("Who will take you home?").fill("My sister");
    await phone.getByLabel("How can we reach them? (phone)").fill("ask at the front desk");
    await phone.getByRole("button", { name: "Save my ride home" }).click();
    await expect
      .poll(() => phone.getByTestId("transport-contact-error").innerText())
      .toBe("Enter a phone number, e.g. 503 555 0100 or +1 503 555 0100.");
    await phone.getByLabel("How can we reach them? (phone)").fill("+1 503 555 0100");
    await phone.getByRole("button", { name: "Save my ride home" }).click();
    await expect.poll(() => step.getAttribute("data-done")).toBe("yes");
    await step.getByRole("button", { name: "Change" }).waitFor();

    // The facilitator starts the live room from their scheduled dosing session, not a typed title.
    const fac = await signInPage(await app.context(LAPTOP), node.url, email("fac1"));
    const picker = fac.getByLabel("Scheduled dosing session");
    await picker.waitFor();
    expect(await picker.locator("option").allInnerTexts()).toEqual([
      expect.stringMatching(/^Dosing day 1 · .* · 1 participant$/),
    ]);
    await screenshot(fac, "facilitator-start-from-schedule");
    await fac.getByRole("button", { name: "Start live room" }).click();
    await fac.waitForURL(/\/session\//);
    const sessionId = decodeURIComponent(new URL(fac.url()).pathname.split("/").at(-1) ?? "");
    const live = await node.app.services.streams.state("session", sessionId);
    expect(live.title).toBe("Dosing day 1");
    expect(live.scheduled?.sessionId).toBe(String(dosing.json.sessionId));
    expect(live.scheduled?.participants).toEqual([p1.id]);
  });
});

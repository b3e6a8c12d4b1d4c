import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { screenshot } from "../support/browser.js";
import { LAPTOP, PHONE, signInPage, useBrowserApp } from "../support/e2e.js";
import { mainCohort } from "../support/fixtures.js";
import { SCREENING_QUESTIONS } from "../../shared/domain/screening.js";

/** Issue 3 end to end: admin → cohort + weekly circles → enrolment link → participant's forms → live readiness. */
describe("cohorts, enrolment and readiness in Chromium", () => {
  const app = useBrowserApp();

  it("[RDY1] [SCH2] [SCH1] a participant enrolled by link turns Ready live on the facilitator's board", async () => {
    const { node } = app;
    const spec = mainCohort(node.tag);
    const email = (key: string) => spec.people.find((p) => p.key === key)?.email ?? "";
    const zone = "America/Los_Angeles";

    // Admin, on a laptop: a new cohort in the program.
    const admin = await signInPage(
      await app.context({ ...LAPTOP, timezoneId: "Europe/London" }),
      node.url,
      email("admin"),
    );
    await admin.getByRole("link", { name: "Programs" }).click();
    await admin.getByTestId("program-overview").waitFor();
    await admin.getByLabel("New cohort name").fill("Spring cohort");
    await admin.getByLabel("Room capacity").fill("8");
    await admin.getByRole("button", { name: "Create cohort" }).click();
    await admin.getByTestId("cohort-admin").waitFor();
    const cohortId = new URL(admin.url()).pathname.split("/").at(-1) ?? "";
    const fac1 = await node.app.services.users.byEmail(email("fac1"));
    await admin.getByRole("button", { name: `Assign ${fac1?.name ?? ""}` }).click();
    await expect.poll(() => admin.getByTestId("cohort-admin").innerText()).toContain(`${fac1?.name ?? ""}`);

    // A weekly integration circle at 18:00 program time, across the March DST change.
    await admin.getByRole("button", { name: "Weekly circles" }).click();
    await admin.getByLabel("Title (optional)").fill("Thursday circle");
    await admin.getByLabel("First date").fill("2027-03-04");
    await admin.getByLabel(/^Time \(/).fill("18:00");
    // Forms check with the shared schema before sending: a series without an end is refused next to the field.
    await admin
      .getByRole("group", { name: "Facilitators" })
      .getByLabel(fac1?.name ?? "")
      .check();
    await admin.getByRole("button", { name: "Schedule weekly circles" }).click();
    await expect.poll(() => admin.getByTestId("series-until-error").innerText()).toBe("A series needs an end date.");
    await screenshot(admin, "admin-series-form-error");
    await admin.getByLabel("Last date").fill("2027-03-25");
    await admin.getByRole("button", { name: "Schedule weekly circles" }).click();
    await expect.poll(() => admin.locator(".sched-item").count()).toBe(4);
    // [SCH1] The schedule opens in the viewer's own zone (the laptop is in London), zone named.
    await expect
      .poll(() => admin.locator(".sched-time").allInnerTexts())
      .toEqual([
        "Fri 5 Mar, 02:00–03:30 GMT",
        "Fri 12 Mar, 02:00–03:30 GMT",
        "Fri 19 Mar, 01:00–02:30 GMT",
        "Fri 26 Mar, 01:00–02:30 GMT",
      ]);
    // [SCH2] One switch away, the program's zone: 18:00 on both sides of the DST change.
    await admin.getByTestId("zone-program").click();
    await expect
      .poll(() => admin.locator(".sched-time").allInnerTexts())
      .toEqual([
        "Thu 4 Mar, 18:00–19:30 PST",
        "Thu 11 Mar, 18:00–19:30 PST",
        "Thu 18 Mar, 18:00–19:30 PDT",
        "Thu 25 Mar, 18:00–19:30 PDT",
      ]);

    // An enrolment link.
    await admin.getByRole("button", { name: "Create an enrolment link" }).click();
    const link = await admin.getByRole("textbox", { name: "Enrolment link" }).inputValue();
    expect(link).toContain("/join/");
    // [SCH1] The link's expiry names the zone (the admin's laptop is in London).
    expect(await admin.getByTestId("cohort-admin").innerText()).toMatch(/Expires .*\b(GMT|BST|UTC)/);
    await screenshot(admin, "admin-cohort");

    // Facilitator, on a laptop: the readiness board for the cohort.
    const fac = await signInPage(await app.context(LAPTOP), node.url, email("fac1"));
    await fac.goto(`${node.url}/cohort/${cohortId}`);
    await fac.getByTestId("readiness-board").waitFor();

    // Participant, on a phone: opens the link, chooses a name and password.
    const phone = await (await app.context(PHONE)).newPage();
    await phone.goto(link);
    await phone.getByTestId("enrol-cohort").waitFor();
    await phone.getByLabel("Your name").fill("Ava");
    await phone.getByLabel("Email (to sign in later)").fill(`ava.${node.tag}@example.test`);
    await phone.getByLabel("Choose a password").fill("short");
    await phone.getByRole("button", { name: "Join", exact: true }).click();
    await expect
      .poll(() => phone.getByTestId("enrol-password-error").innerText())
      .toBe("Choose a password of at least 10 characters.");
    await screenshot(phone, "participant-enrol");
    await phone.getByLabel("Choose a password").fill("a long enough password");
    await phone.getByRole("button", { name: "Join", exact: true }).click();
    await phone.getByTestId("my-forms").waitFor();
    const ava = await node.app.services.users.byEmail(`ava.${node.tag}@example.test`);
    const pid = ava?.id ?? "";

    // The board shows Ava at once, with everything missing by name.
    const missing = () =>
      fac
        .getByTestId(`missing-${pid}`)
        .locator("li")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-item")));
    await expect.poll(missing, { timeout: 5000 }).toEqual(["screening", "consent", "transport", "preparation"]);
    await screenshot(fac, "board-nothing-yet");

    // Screening: an unanswered question is shown next to it; then all answered (each found by its words).
    const question = (key: string) =>
      phone.getByRole("group", {
        name: SCREENING_QUESTIONS.find((q) => q.key === key)?.text ?? "Have you ever taken lithium?",
        exact: true,
      });
    await phone.getByRole("button", { name: "Send my answers" }).click();
    await expect
      .poll(() => phone.getByTestId("q-psychoticDisorder-error").innerText())
      .toBe("Please answer yes or no.");
    for (const q of [
      "psychoticDisorder",
      "bipolarI",
      "thoughtsOfHarm",
      "heartCondition",
      "pregnant",
      "maoi",
      "ssriSnri",
      "familyPsychosis",
      "seizures",
      "lithium",
    ]) {
      await question(q).getByLabel("No", { exact: true }).check();
    }
    await question("ssriSnri").getByLabel("Yes", { exact: true }).check();
    await screenshot(phone, "participant-screening");
    await phone.getByRole("button", { name: "Send my answers" }).click();
    await expect.poll(missing, { timeout: 5000 }).toEqual(["screening_review", "consent", "transport", "preparation"]);
    await expect.poll(() => fac.getByTestId(`flags-${pid}`).innerText()).toContain("Takes an SSRI or SNRI");

    // Consent (the form opens on the next step by itself).
    await phone.getByTestId("consent-form").waitFor();
    await phone.getByLabel("I have read this and I give my informed consent.").check();
    await phone.getByRole("button", { name: "Record my consent" }).click();
    await expect.poll(missing, { timeout: 5000 }).toEqual(["screening_review", "transport", "preparation"]);

    // The facilitator reviews the screening.
    await fac.getByRole("button", { name: "Mark screening reviewed" }).click();
    await expect.poll(missing, { timeout: 5000 }).toEqual(["transport", "preparation"]);

    // Ride home.
    await phone.getByLabel("Who will take you home?").fill("Sam (partner)");
    await phone.getByLabel("How can we reach them? (phone)").fill("555 0100");
    await phone.getByRole("button", { name: "Save my ride home" }).click();
    await expect.poll(missing, { timeout: 5000 }).toEqual(["preparation"]);
    await screenshot(phone, "participant-forms-done");
    await screenshot(fac, "board-preparation-missing");

    // The admin schedules Ava's individual preparation (this morning) through the form.
    await admin.getByRole("button", { name: "Schedule a session" }).click();
    await admin.getByLabel("Kind").selectOption("preparation");
    const prep = DateTime.now().setZone(zone).minus({ hours: 3 }).startOf("minute");
    await admin.getByLabel(/^Starts/).fill(prep.toFormat("yyyy-LL-dd'T'HH:mm"));
    await admin.getByLabel(/^Ends/).fill(prep.plus({ hours: 1 }).toFormat("yyyy-LL-dd'T'HH:mm"));
    await admin
      .getByRole("group", { name: "Facilitators" })
      .getByLabel(fac1?.name ?? "")
      .check();
    await admin.getByRole("group", { name: "Participants" }).getByLabel("Ava").check();
    await admin.getByRole("button", { name: "Schedule session" }).click();
    await expect.poll(() => admin.locator(".sched-item.kind-preparation").count()).toBe(1);

    // [SCH1] The preparation's date on the button names the program's zone.
    expect(await fac.getByTestId(`attended-${pid}`).innerText()).toMatch(/Attended preparation \(.*\b(PST|PDT)\)/);
    // …the facilitator records attendance, and Ava turns Ready on the open board.
    await fac.getByTestId(`attended-${pid}`).click();
    await expect.poll(() => fac.getByTestId(`ready-${pid}`).getAttribute("data-ready"), { timeout: 5000 }).toBe("yes");
    expect(await fac.getByTestId(`ready-state-${pid}`).innerText()).toContain("Ready");
    // The admin's open board changed too, without a reload.
    await expect
      .poll(() => admin.getByTestId(`ready-${pid}`).getAttribute("data-ready"), { timeout: 5000 })
      .toBe("yes");
    await screenshot(fac, "board-ready");

    // The participant's own schedule: only their sessions, no doses, times with the zone named.
    await phone.getByRole("link", { name: "My schedule" }).click();
    await phone.getByTestId("my-schedule").waitFor();
    await expect.poll(() => phone.locator(".sched-item").count()).toBe(1);
    // Live: a circle the admin books for Ava appears on her open schedule without a reload (the page
    // re-reads when her cohort stream moves, though schedule events reach her only as positions).
    await admin.getByRole("button", { name: "Schedule a session" }).click();
    await admin.getByLabel("Kind").selectOption("circle");
    const circle = DateTime.now()
      .setZone(zone)
      .plus({ days: 3 })
      .set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
    await admin.getByLabel(/^Starts/).fill(circle.toFormat("yyyy-LL-dd'T'HH:mm"));
    await admin.getByLabel(/^Ends/).fill(circle.plus({ minutes: 90 }).toFormat("yyyy-LL-dd'T'HH:mm"));
    await admin
      .getByRole("group", { name: "Facilitators" })
      .getByLabel(fac1?.name ?? "")
      .check();
    await admin.getByRole("group", { name: "Participants" }).getByLabel("Ava").check();
    await admin.getByRole("button", { name: "Schedule session" }).click();
    await expect.poll(() => phone.locator(".sched-item").count(), { timeout: 5000 }).toBe(2);
    await screenshot(phone, "participant-schedule");
  });

  it("[AC1] an admin invites a new facilitator, who joins by the link and sees their cohort", async () => {
    const { node } = app;
    const spec = mainCohort(node.tag);
    const adminEmail = spec.people.find((p) => p.key === "admin")?.email ?? "";
    const admin = await signInPage(await app.context(LAPTOP), node.url, adminEmail);
    await admin.getByRole("link", { name: "Programs" }).click();
    await admin.getByTestId("facilitator-invite").waitFor();
    await admin.getByLabel("Assign to a cohort (optional)").selectOption({ label: "Main cohort" });
    await admin.getByRole("button", { name: "Create invite link" }).click();
    const link = await admin.getByRole("textbox", { name: "Facilitator invite link" }).inputValue();
    expect(link).toContain("/join/");
    await screenshot(admin, "admin-invite-facilitator");

    const page = await (await app.context(LAPTOP)).newPage();
    await page.goto(link);
    await expect.poll(() => page.getByTestId("enrol-cohort").innerText()).toContain("as a facilitator");
    await page.getByLabel("Your name").fill("Robin");
    await page.getByLabel("Email (to sign in later)").fill(`robin.${node.tag}@example.test`);
    await page.getByLabel("Choose a password").fill("a long enough password");
    await screenshot(page, "facilitator-join");
    await page.getByRole("button", { name: "Join", exact: true }).click();
    await page.getByTestId("whoami").waitFor();
    await expect.poll(() => page.locator(".subnav").innerText()).toContain("Main cohort: readiness & schedule");
  });
});

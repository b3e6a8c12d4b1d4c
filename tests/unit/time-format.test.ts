import { describe, expect, it } from "vitest";
import { clock, dateTime } from "../../client/src/time.js";

// Node's default locale here is en-US, as in the browsers the e2e tests drive.
describe("client time formatting", () => {
  const at = "2026-11-26T15:52:00.000Z";

  it("[SCH1] a time is shown in the viewer's zone with the zone named", () => {
    expect(clock(at, "UTC")).toMatch(/^3:52\sPM UTC$/);
    expect(clock(at, "America/Los_Angeles")).toMatch(/^7:52\sAM PST$/);
    // The same wall-clock hour in summer names the daylight zone.
    expect(clock("2026-07-01T15:52:00.000Z", "America/Los_Angeles")).toMatch(/^8:52\sAM PDT$/);
    // A Date and epoch ms are the same instant as the ISO string.
    expect(clock(new Date(at), "UTC")).toBe(clock(at, "UTC"));
    expect(clock(Date.parse(at), "UTC")).toBe(clock(at, "UTC"));
  });

  it("[SCH1] a date and time names the zone too", () => {
    expect(dateTime(at, "America/Los_Angeles")).toMatch(/^Nov 26, 2026, 7:52\sAM PST$/);
  });
});

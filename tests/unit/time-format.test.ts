import { describe, expect, it } from "vitest";
import { clock, dateTime, localDate, timeRange, viewerZone, zoneName } from "../../client/src/time.js";
import { chosenZone } from "../../client/src/admin/zone-choice.js";

describe("client time formatting: one format everywhere", () => {
  const at = "2026-11-26T15:52:00.000Z";

  it("[SCH1] a time is shown in the viewer's zone with the zone named, on a 24-hour clock", () => {
    expect(clock(at, "UTC")).toBe("15:52 UTC");
    expect(clock(at, "America/Los_Angeles")).toBe("07:52 PST");
    // The same wall-clock hour in summer names the daylight zone.
    expect(clock("2026-07-01T15:52:00.000Z", "America/Los_Angeles")).toBe("08:52 PDT");
    // A Date and epoch ms are the same instant as the ISO string.
    expect(clock(new Date(at), "UTC")).toBe(clock(at, "UTC"));
    expect(clock(Date.parse(at), "UTC")).toBe(clock(at, "UTC"));
    // With no zone given, the viewer's own (the browser's Intl zone) is used and named.
    expect(clock(at)).toBe(clock(at, viewerZone()));
    expect(clock(at)).toContain(zoneName(at));
  });

  it("[SCH1] a day and time reads 'Tue 3 Mar, 18:00 PST' in every screen", () => {
    expect(dateTime("2026-03-04T02:00:00.000Z", "America/Los_Angeles")).toBe("Tue 3 Mar, 18:00 PST");
    expect(dateTime(at, "America/Los_Angeles")).toBe("Thu 26 Nov, 07:52 PST");
    // [SCH2] after the change the name changes with the clock, not the wall time.
    expect(dateTime("2026-03-18T01:00:00.000Z", "America/Los_Angeles")).toBe("Tue 17 Mar, 18:00 PDT");
  });

  it("[SCH1] a span names the zone once, and both names when the clocks change inside it", () => {
    expect(timeRange("2026-03-04T02:00:00.000Z", "2026-03-04T03:30:00.000Z", "America/Los_Angeles")).toBe(
      "Tue 3 Mar, 18:00–19:30 PST",
    );
    expect(timeRange("2026-03-08T09:00:00.000Z", "2026-03-08T11:00:00.000Z", "America/Los_Angeles")).toBe(
      "Sun 8 Mar, 01:00 PST – 04:00 PDT",
    );
    // The day a late session falls on depends on whose clock: Tuesday 18:00 in LA is Wednesday in London.
    expect(localDate("2026-03-04T02:00:00.000Z", "America/Los_Angeles")).toBe("2026-03-03");
    expect(localDate("2026-03-04T02:00:00.000Z", "Europe/London")).toBe("2026-03-04");
  });

  it("[SCH1] schedules open in the viewer's zone; the program's zone is one remembered switch away", () => {
    expect(chosenZone(null, "Europe/London", "America/Los_Angeles")).toBe("Europe/London");
    expect(chosenZone("mine", "Europe/London", "America/Los_Angeles")).toBe("Europe/London");
    expect(chosenZone("program", "Europe/London", "America/Los_Angeles")).toBe("America/Los_Angeles");
    // The same session, switched: the viewer's zone and the program's each named.
    const s = "2026-03-04T02:00:00.000Z";
    expect(dateTime(s, chosenZone(null, "Europe/London", "America/Los_Angeles"))).toBe("Wed 4 Mar, 02:00 GMT");
    expect(dateTime(s, chosenZone("program", "Europe/London", "America/Los_Angeles"))).toBe("Tue 3 Mar, 18:00 PST");
  });
});

describe("zone names", () => {
  it("[SCH1] a European zone is named, not spelled as an offset", () => {
    expect(clock("2026-07-01T12:00:00.000Z", "Europe/London")).toBe("13:00 BST");
    expect(clock("2026-12-01T12:00:00.000Z", "Europe/London")).toBe("12:00 GMT");
    expect(clock("2026-07-01T12:00:00.000Z", "Europe/Paris")).toBe("14:00 CEST");
    // A zone with no name anywhere keeps its offset, which still says which clock it is.
    expect(clock("2026-07-01T12:00:00.000Z", "Asia/Kolkata")).toMatch(/^17:30 (IST|GMT\+5:30)$/);
  });
});

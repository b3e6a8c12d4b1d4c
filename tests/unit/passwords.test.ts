import { describe, expect, it } from "vitest";
import { hashPassword, verifyOrDecoy, verifyPassword } from "../../server/auth/passwords.js";

describe("passwords", () => {
  it("[AC1] scrypt hashes verify the right password only, and are salted", async () => {
    const [a, b] = [await hashPassword("river stone"), await hashPassword("river stone")];
    expect(a).not.toBe(b);
    expect(await verifyPassword("river stone", a)).toBe(true);
    expect(await verifyPassword("river stones", a)).toBe(false);
    expect(await verifyPassword("river stone", "not-a-hash")).toBe(false);
  });
  it("[AC1] an account that does not exist never signs in, whatever password is given", async () => {
    expect(await verifyOrDecoy("decoy: no account has this password", null)).toBe(false);
    expect(await verifyOrDecoy("anything", undefined)).toBe(false);
    expect(await verifyOrDecoy("river stone", await hashPassword("river stone"))).toBe(true);
  });
});

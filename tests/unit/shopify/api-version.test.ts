// The support-window rule for Shopify API versions, on fixed dates (the real-clock check of the pinned
// version is api-version-pin.test.ts). Shopify's table: 2023-01 released January 1, 2023, supported
// until January 1, 2024. https://shopify.dev/docs/api/usage/versioning
import { describe, expect, it } from "vitest";
import { apiVersionReleaseDate, apiVersionSupportedUntil, isApiVersionPastSupport } from "~/shopify/api-version";

describe("apiVersionReleaseDate", () => {
  it("is the first of the version's month, UTC", () => {
    expect(apiVersionReleaseDate("2026-07").toISOString()).toBe("2026-07-01T00:00:00.000Z");
    expect(apiVersionReleaseDate("2025-10").toISOString()).toBe("2025-10-01T00:00:00.000Z");
  });

  it("refuses what is not a quarterly stable version", () => {
    for (const notStable of ["unstable", "2026-05", "2026-7", "2026-07-01", " 2026-07", ""]) {
      expect(() => apiVersionReleaseDate(notStable), notStable).toThrow(/not a stable Shopify API version/);
    }
  });
});

describe("apiVersionSupportedUntil", () => {
  it("is twelve months after release, as in Shopify's table (2023-01 until January 1, 2024)", () => {
    expect(apiVersionSupportedUntil("2023-01").toISOString()).toBe("2024-01-01T00:00:00.000Z");
    expect(apiVersionSupportedUntil("2023-10").toISOString()).toBe("2024-10-01T00:00:00.000Z");
    expect(apiVersionSupportedUntil("2026-07").toISOString()).toBe("2027-07-01T00:00:00.000Z");
  });
});

describe("isApiVersionPastSupport", () => {
  it("inside the window: on release day and the day before the anniversary", () => {
    expect(isApiVersionPastSupport("2026-07", new Date("2026-07-01T00:00:00Z"))).toBe(false);
    expect(isApiVersionPastSupport("2026-07", new Date("2027-06-30T12:00:00Z"))).toBe(false);
  });

  it("exactly 12 months old (the whole anniversary day) is still inside", () => {
    expect(isApiVersionPastSupport("2026-07", new Date("2027-07-01T00:00:00Z"))).toBe(false);
    expect(isApiVersionPastSupport("2026-07", new Date("2027-07-01T23:59:59.999Z"))).toBe(false);
  });

  it("one day past 12 months is outside", () => {
    expect(isApiVersionPastSupport("2026-07", new Date("2027-07-02T00:00:00Z"))).toBe(true);
    expect(isApiVersionPastSupport("2025-10", new Date("2026-10-02T00:00:00Z"))).toBe(true);
  });

  it("the version the app left (2025-10) was past its window on the day of the move, 2026-12-04", () => {
    expect(isApiVersionPastSupport("2025-10", new Date("2026-12-04T10:00:00Z"))).toBe(true);
    expect(isApiVersionPastSupport("2026-07", new Date("2026-12-04T10:00:00Z"))).toBe(false);
  });

  it("reads the calendar day in UTC, whatever the offset the Date was written with", () => {
    // 2027-07-02 01:00 in Berlin is still July 1 in UTC.
    expect(isApiVersionPastSupport("2026-07", new Date("2027-07-02T01:00:00+02:00"))).toBe(false);
    expect(isApiVersionPastSupport("2026-07", new Date("2027-07-01T20:00:00-05:00"))).toBe(true);
  });
});

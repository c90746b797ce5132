import { describe, expect, it } from "vitest";
import { instantToZonedLocal, zonedLocalToInstant } from "../../../app/domain/campaigns";
import { TimeZoneError, parseInstant } from "../../../app/domain/time";

const toUtc = (local: string, zone: string) => zonedLocalToInstant(local, zone).toISOString();

describe("shop-local wall time to instant", () => {
  it("New York, ordinary days: EST in winter, EDT in summer", () => {
    expect(toUtc("2026-01-15T09:00", "America/New_York")).toBe("2026-01-15T14:00:00.000Z");
    expect(toUtc("2026-07-04T00:00", "America/New_York")).toBe("2026-07-04T04:00:00.000Z");
  });

  it("New York spring forward (2026-03-08): 02:30 does not exist and moves forward to 03:30 EDT", () => {
    expect(toUtc("2026-03-08T01:59", "America/New_York")).toBe("2026-03-08T06:59:00.000Z");
    expect(toUtc("2026-03-08T02:00", "America/New_York")).toBe("2026-03-08T07:00:00.000Z");
    expect(toUtc("2026-03-08T02:30", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    expect(toUtc("2026-03-08T03:30", "America/New_York")).toBe("2026-03-08T07:30:00.000Z");
    expect(instantToZonedLocal(zonedLocalToInstant("2026-03-08T02:30", "America/New_York"), "America/New_York")).toBe("2026-03-08T03:30");
  });

  it("New York fall back (2026-11-01): 01:30 happens twice and the earlier (EDT) one is used", () => {
    expect(toUtc("2026-11-01T00:59", "America/New_York")).toBe("2026-11-01T04:59:00.000Z");
    expect(toUtc("2026-11-01T01:30", "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    expect(toUtc("2026-11-01T02:00", "America/New_York")).toBe("2026-11-01T07:00:00.000Z");
    // Both instants read back as 01:30 on the wall.
    expect(instantToZonedLocal(new Date("2026-11-01T05:30:00Z"), "America/New_York")).toBe("2026-11-01T01:30");
    expect(instantToZonedLocal(new Date("2026-11-01T06:30:00Z"), "America/New_York")).toBe("2026-11-01T01:30");
  });

  it("Berlin: the 2026-03-29 gap and the 2026-10-25 overlap", () => {
    expect(toUtc("2026-03-29T02:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z"); // = 03:30 CEST
    expect(toUtc("2026-10-25T02:30", "Europe/Berlin")).toBe("2026-10-25T00:30:00.000Z"); // the CEST one
    expect(toUtc("2026-12-24T18:00", "Europe/Berlin")).toBe("2026-12-24T17:00:00.000Z");
  });

  it("Kolkata: a half-hour offset and no DST", () => {
    expect(toUtc("2026-03-08T02:30", "Asia/Kolkata")).toBe("2026-03-07T21:00:00.000Z");
    expect(toUtc("2026-11-01T00:00", "Asia/Kolkata")).toBe("2026-10-31T18:30:00.000Z");
  });

  it("Chatham: +12:45/+13:45 with DST ending 2026-04-05 03:45 and starting 2026-09-27 02:45", () => {
    expect(toUtc("2026-04-05T03:15", "Pacific/Chatham")).toBe("2026-04-04T13:30:00.000Z"); // earlier of two
    expect(toUtc("2026-04-05T04:00", "Pacific/Chatham")).toBe("2026-04-04T15:15:00.000Z");
    expect(toUtc("2026-09-27T02:45", "Pacific/Chatham")).toBe("2026-09-26T14:00:00.000Z"); // gap → 03:45
    expect(toUtc("2026-09-27T03:44", "Pacific/Chatham")).toBe("2026-09-26T14:59:00.000Z"); // gap → 04:44
    expect(instantToZonedLocal(new Date("2026-09-26T14:59:00Z"), "Pacific/Chatham")).toBe("2026-09-27T04:44");
  });

  it("every existing wall time round-trips through an instant", () => {
    for (const zone of ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Chatham", "UTC"]) {
      for (let hour = 0; hour < 24 * 3; hour++) {
        const instant = new Date(Date.UTC(2026, 2, 27) + hour * 3_600_000 + 17 * 60_000);
        expect(zonedLocalToInstant(instantToZonedLocal(instant, zone), zone) <= instant).toBe(true);
        expect(instantToZonedLocal(zonedLocalToInstant(instantToZonedLocal(instant, zone), zone), zone)).toBe(instantToZonedLocal(instant, zone));
      }
    }
  });

  it("rejects unknown zones and impossible dates with clear errors", () => {
    expect(() => zonedLocalToInstant("2026-03-08T02:30", "America/Springfield")).toThrow(/Unknown time zone "America\/Springfield"/);
    expect(() => zonedLocalToInstant("2026-02-30T10:00", "UTC")).toThrow(TimeZoneError);
    expect(() => zonedLocalToInstant("2026-03-08 02:30", "UTC")).toThrow(/local date and time like/);
    expect(() => zonedLocalToInstant("2026-03-08T24:00", "UTC")).toThrow(/not a valid date/);
  });

  it("requires stored instants to carry an offset (never the server's own zone)", () => {
    expect(parseInstant("2021-12-31T19:00:00-05:00")).toBe(Date.parse("2022-01-01T00:00:00Z"));
    expect(() => parseInstant("2026-03-08T02:30")).toThrow(/with an offset/);
  });
});

import { describe, expect, it } from "vitest";
import { type CampaignRule, campaignStatus, campaignWindowFromLocal, campaignsOverlap, multiplierError, overlappingCampaigns, selectCampaign, zonedLocalToInstant } from "../../../app/domain/campaigns";
import { campaign } from "./fixtures";

const NEW_YORK = "America/New_York";
const local = (text: string) => zonedLocalToInstant(text, NEW_YORK).toISOString();

// Black Friday weekend as a New York merchant typed it: Fri 2026-11-27 00:00 to Mon 2026-11-30 00:00.
const blackFriday = campaign({ id: "bf", name: "Black Friday double points", startsAt: local("2026-11-27T00:00"), endsAt: local("2026-11-30T00:00") });

function select(campaigns: CampaignRule[], orderInstant: string, extra: Partial<Parameters<typeof selectCampaign>[0]> = {}) {
  return selectCampaign({ campaigns, orderInstant, merchandiseSubtotal: "120.00", isFirstOrder: false, discountCodes: [], stacking: "highest", ...extra });
}

describe("campaign window edges in the shop's time zone", () => {
  it("stores the window as the instants of New York midnight (EST, UTC-5)", () => {
    expect(blackFriday.startsAt).toBe("2026-11-27T05:00:00.000Z");
    expect(blackFriday.endsAt).toBe("2026-11-30T05:00:00.000Z");
  });

  it("an order at exactly 00:00:00 local on the first day earns the bonus", () => {
    expect(select([blackFriday], "2026-11-27T00:00:00-05:00")).toEqual({ multiplier: "2", campaignIds: ["bf"] });
  });

  it("an order a moment before the start, at 23:59:59.999 Thursday, does not", () => {
    expect(select([blackFriday], "2026-11-26T23:59:59.999-05:00")).toBeNull();
  });

  it("an order at exactly the end instant does not; one a millisecond earlier does", () => {
    expect(select([blackFriday], "2026-11-30T00:00:00-05:00")).toBeNull();
    expect(select([blackFriday], "2026-11-30T04:59:59.999Z")).not.toBeNull();
  });

  it("the same wall-clock window in Berlin is a different stretch of time", () => {
    const berlin = campaign({ id: "de", startsAt: zonedLocalToInstant("2026-11-27T00:00", "Europe/Berlin").toISOString(), endsAt: zonedLocalToInstant("2026-11-30T00:00", "Europe/Berlin").toISOString() });
    // 20:00 Thursday in New York is already Friday 02:00 in Berlin.
    expect(select([berlin], "2026-11-26T20:00:00-05:00")).not.toBeNull();
    expect(select([blackFriday], "2026-11-26T20:00:00-05:00")).toBeNull();
  });
});

describe("late webhooks and early endings", () => {
  it("an order placed inside the window earns the bonus even when processed after the window closed", () => {
    const webhookArrivesAt = new Date("2026-12-02T09:00:00Z");
    expect(campaignStatus(blackFriday, webhookArrivesAt)).toBe("ended");
    expect(select([blackFriday], "2026-11-29T23:58:00-05:00")).toEqual({ multiplier: "2", campaignIds: ["bf"] });
  });

  it("ending a campaign early stops it from that instant, not before", () => {
    const stopped = { ...blackFriday, endedAt: "2026-11-28T17:00:00Z" };
    expect(select([stopped], "2026-11-28T16:59:59Z")).not.toBeNull();
    expect(select([stopped], "2026-11-28T17:00:00Z")).toBeNull();
    expect(campaignStatus(stopped, new Date("2026-11-28T18:00:00Z"))).toBe("ended");
  });

  it("reports scheduled, active and ended at the edges", () => {
    expect(campaignStatus(blackFriday, new Date("2026-11-27T04:59:59.999Z"))).toBe("scheduled");
    expect(campaignStatus(blackFriday, new Date("2026-11-27T05:00:00Z"))).toBe("active");
    expect(campaignStatus(blackFriday, new Date("2026-11-30T05:00:00Z"))).toBe("ended");
    expect(campaignStatus({ ...blackFriday, endedAt: "2026-11-01T00:00:00Z" }, new Date("2026-11-02T00:00:00Z"))).toBe("ended");
  });
});

describe("conditions", () => {
  const inside = "2026-11-28T12:00:00-05:00";

  it("a promo-code campaign needs the code on the order, in any case", () => {
    const vip = campaign({ ...blackFriday, id: "vip", multiplier: "3", promoCode: "VIPWEEKEND" });
    expect(select([vip], inside, { discountCodes: ["vipweekend"] })).toEqual({ multiplier: "3", campaignIds: ["vip"] });
    expect(select([vip], inside, { discountCodes: ["BFCM20"] })).toBeNull();
    expect(select([vip], inside)).toBeNull();
  });

  it("a first-order campaign skips returning customers", () => {
    const firstOnly = campaign({ ...blackFriday, id: "first", firstOrderOnly: true });
    expect(select([firstOnly], inside, { isFirstOrder: true })).not.toBeNull();
    expect(select([firstOnly], inside, { isFirstOrder: false })).toBeNull();
  });

  it("a campaign minimum is inclusive", () => {
    const min = campaign({ ...blackFriday, id: "min", minSubtotal: "100" });
    expect(select([min], inside, { merchandiseSubtotal: "100.00" })).not.toBeNull();
    expect(select([min], inside, { merchandiseSubtotal: "99.99" })).toBeNull();
  });
});

describe("overlapping campaigns", () => {
  const inside = "2026-11-28T12:00:00-05:00";
  const triple = campaign({ ...blackFriday, id: "app-exclusive", multiplier: "3", startsAt: local("2026-11-28T00:00") });
  const oneAndHalf = campaign({ ...blackFriday, id: "weekend", multiplier: "1.5" });

  it("'highest' uses the largest multiplier only", () => {
    expect(select([blackFriday, triple, oneAndHalf], inside)).toEqual({ multiplier: "3", campaignIds: ["app-exclusive"] });
  });

  it("'highest' breaks ties by earliest start, then id", () => {
    const sameLater = campaign({ ...blackFriday, id: "a-later", startsAt: local("2026-11-28T00:00") });
    const sameId = campaign({ ...blackFriday, id: "aa" });
    expect(select([sameLater, blackFriday], inside)?.campaignIds).toEqual(["bf"]);
    expect(select([blackFriday, sameId], inside)?.campaignIds).toEqual(["aa"]);
  });

  it("'multiply' multiplies all that apply and records each, strongest first", () => {
    expect(select([oneAndHalf, blackFriday], inside, { stacking: "multiply" })).toEqual({ multiplier: "3", campaignIds: ["bf", "weekend"] });
    expect(select([oneAndHalf, blackFriday, triple], inside, { stacking: "multiply" })).toEqual({ multiplier: "9", campaignIds: ["app-exclusive", "bf", "weekend"] });
  });

  it("'multiply' rounds an exotic product to 4 decimals", () => {
    const odd = campaign({ ...blackFriday, id: "odd", multiplier: "1.2345" });
    expect(select([odd, { ...odd, id: "odd2" }], inside, { stacking: "multiply" })?.multiplier).toBe("1.524"); // 1.52399025
  });

  it("flags overlapping windows for the admin, but not back-to-back ones", () => {
    const cyberMonday = campaign({ id: "cm", startsAt: blackFriday.endsAt, endsAt: local("2026-12-01T00:00") });
    expect(campaignsOverlap(blackFriday, cyberMonday)).toBe(false);
    expect(campaignsOverlap(blackFriday, triple)).toBe(true);
    expect(overlappingCampaigns([cyberMonday, triple, blackFriday]).map(([a, b]) => [a.id, b.id])).toEqual([["bf", "app-exclusive"]]);
  });

  it("a campaign ended before an overlapping one began no longer overlaps it", () => {
    expect(campaignsOverlap({ ...blackFriday, endedAt: local("2026-11-27T12:00") }, triple)).toBe(false);
  });
});

describe("campaign form helpers", () => {
  it("turns a local window into instants and checks its order", () => {
    expect(campaignWindowFromLocal("2026-03-08T00:00", "2026-03-09T00:00", NEW_YORK)).toEqual({
      ok: true,
      startsAt: "2026-03-08T05:00:00.000Z",
      endsAt: "2026-03-09T04:00:00.000Z", // 23 hours: the DST day
    });
    expect(campaignWindowFromLocal("2026-03-09T00:00", "2026-03-08T00:00", NEW_YORK)).toEqual({ ok: false, field: "endsAt", message: "The campaign must end after it starts" });
    expect(campaignWindowFromLocal("tomorrow", "2026-03-08T00:00", NEW_YORK)).toMatchObject({ ok: false, field: "startsAt" });
  });

  it("explains a bad multiplier", () => {
    expect(multiplierError("2")).toBeNull();
    expect(multiplierError("1")).toMatch(/greater than 1/);
    expect(multiplierError("2x")).toMatch(/like 2 or 1.5/);
  });
});

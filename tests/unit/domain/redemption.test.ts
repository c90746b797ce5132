import { describe, expect, it } from "vitest";
import { instantToZonedLocal } from "../../../app/domain/campaigns";
import { type RewardOption, affordableRewards, checkRedemption, codeWindow, deterministicCode, nextReward, rewardOptionSchema } from "../../../app/domain/redemption";

function reward(overrides: Partial<RewardOption> & Pick<RewardOption, "id" | "pointsCost">): RewardOption {
  return { name: `Reward ${overrides.id}`, discountType: "fixed_amount", value: "5.00", minSubtotal: null, validityDays: 30, active: true, ...overrides };
}

const fiveOff = reward({ id: "5off", name: "$5 off", pointsCost: 500 });
const freeShipping = reward({ id: "ship", name: "Free shipping", pointsCost: 750, discountType: "free_shipping", value: "0" });
const tenPercent = reward({ id: "10pct", name: "10% off", pointsCost: 1000, discountType: "percentage", value: "10" });
const retired = reward({ id: "old", name: "Old reward", pointsCost: 100, active: false });
const catalogue = [tenPercent, retired, freeShipping, fiveOff];

describe("redemption checks", () => {
  it("lets a customer with enough points redeem", () => {
    expect(checkRedemption({ balance: 500, reward: fiveOff })).toEqual({ ok: true });
  });

  it("tells a customer how many more points they need", () => {
    expect(checkRedemption({ balance: 350, reward: fiveOff })).toEqual({ ok: false, reason: "insufficient_points", message: "You need 150 points more for $5 off." });
  });

  it("blocks a customer in debt after a refund, even for a free-looking reward", () => {
    const result = checkRedemption({ balance: -120, reward: reward({ id: "zero", pointsCost: 0 }) });
    expect(result).toMatchObject({ ok: false, reason: "in_debt" });
    expect(!result.ok && result.message).toBe("Your balance is -120 points after a refund, so rewards are paused until you earn 120 points back.");
  });

  it("refuses a reward the merchant switched off", () => {
    expect(checkRedemption({ balance: 10_000, reward: retired })).toEqual({ ok: false, reason: "reward_inactive", message: "This reward isn't available right now." });
  });

  it("says 'point' for one", () => {
    expect(checkRedemption({ balance: 499, reward: fiveOff })).toMatchObject({ message: "You need 1 point more for $5 off." });
  });
});

describe("what the customer can get", () => {
  it("lists active affordable rewards cheapest first", () => {
    expect(affordableRewards(800, catalogue).map((r) => r.id)).toEqual(["5off", "ship"]);
    expect(affordableRewards(-50, catalogue)).toEqual([]);
  });

  it("points to the cheapest reward not yet affordable", () => {
    expect(nextReward(600, catalogue)).toEqual({ reward: freeShipping, pointsNeeded: 150 });
    expect(nextReward(-100, catalogue)).toEqual({ reward: fiveOff, pointsNeeded: 600 });
    expect(nextReward(5000, catalogue)).toBeNull();
  });

  it("validates a reward from the admin form", () => {
    expect(rewardOptionSchema.safeParse({ ...tenPercent, value: "120" }).error?.issues[0]).toMatchObject({ path: ["value"], message: "A percentage discount can be at most 100" });
    expect(rewardOptionSchema.safeParse({ ...fiveOff, pointsCost: 0 }).error?.issues[0]?.message).toBe("Points cost must be at least 1");
    expect(rewardOptionSchema.parse({ ...freeShipping, minSubtotal: "" }).minSubtotal).toBeNull();
  });
});

describe("code validity window", () => {
  const endLocal = (issuedAt: string, validityDays: number, zone: string) => {
    const window = codeWindow({ issuedAt: new Date(issuedAt), validityDays, ianaTimeZone: zone });
    return { startsAt: window.startsAt.toISOString(), endsAt: window.endsAt.toISOString(), endsLocal: instantToZonedLocal(window.endsAt, zone) };
  };

  it("a 7-day code issued before New York springs forward ends at 23:59:59.999 EDT on day 7", () => {
    expect(endLocal("2026-03-01T15:00:00Z", 7, "America/New_York")).toEqual({
      startsAt: "2026-03-01T15:00:00.000Z",
      endsAt: "2026-03-09T03:59:59.999Z",
      endsLocal: "2026-03-08T23:59:59",
    });
  });

  it("a code spanning the fall-back night ends at 23:59:59.999 EST", () => {
    expect(endLocal("2026-10-30T15:00:00Z", 2, "America/New_York").endsAt).toBe("2026-11-02T04:59:59.999Z");
  });

  it("counts days from the shop's local date, not UTC's: 23:30 on Feb 28 in New York is already Mar 1 in UTC", () => {
    expect(endLocal("2026-03-01T04:30:00Z", 1, "America/New_York")).toMatchObject({ endsAt: "2026-03-02T04:59:59.999Z", endsLocal: "2026-03-01T23:59:59" });
  });

  it("Berlin, across the 2026-03-29 change", () => {
    expect(endLocal("2026-03-28T12:00:00Z", 1, "Europe/Berlin").endsAt).toBe("2026-03-29T21:59:59.999Z");
  });

  it("Kolkata and Chatham", () => {
    expect(endLocal("2026-01-01T00:00:00Z", 30, "Asia/Kolkata").endsAt).toBe("2026-01-31T18:29:59.999Z");
    expect(endLocal("2026-09-26T10:00:00Z", 1, "Pacific/Chatham")).toMatchObject({ endsAt: "2026-09-27T10:14:59.999Z", endsLocal: "2026-09-27T23:59:59" });
  });

  it("ends right before the next day even where that day starts at 01:00 (Santiago skips midnight)", () => {
    expect(endLocal("2026-09-01T12:00:00Z", 4, "America/Santiago")).toMatchObject({ endsAt: "2026-09-06T03:59:59.999Z", endsLocal: "2026-09-05T23:59:59" });
  });
});

describe("deterministic discount codes", () => {
  it("gives the same code for the same job, so a retried job doesn't create a second code", () => {
    expect(deterministicCode({ prefix: "WELCOME-", seed: "redemption_01HZX3" })).toBe("WELCOME-82J4Z44J");
    expect(deterministicCode({ prefix: "welcome", seed: "redemption_01HZX3" })).toBe("WELCOME-82J4Z44J");
  });

  it("uses only unambiguous uppercase symbols and spreads similar seeds apart", () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const code = deterministicCode({ prefix: "REWARD", seed: `redemption-${i}` });
      expect(code).toMatch(/^REWARD-[2-9A-HJ-NP-Z]{8}$/);
      codes.add(code);
    }
    expect(codes.size).toBe(20_000);
  });

  it("rejects prefixes a discount code can't carry", () => {
    expect(() => deterministicCode({ prefix: "10% OFF", seed: "x" })).toThrow(/prefix/);
    expect(() => deterministicCode({ prefix: "A", seed: "" })).toThrow(/seed/);
  });
});

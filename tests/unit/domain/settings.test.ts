import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM_SETTINGS, StoredSettingsError, parseStoredSettings, programSettingsSchema, settingsFieldErrors } from "../../../app/domain/settings";

function errorsFor(input: unknown): Record<string, string> {
  const result = programSettingsSchema.safeParse(input);
  if (result.success) throw new Error("expected the settings to be rejected");
  return settingsFieldErrors(result.error);
}

describe("program settings defaults", () => {
  it("a fresh install earns 1 point per unit of currency on merchandise only, rounding down", () => {
    expect(programSettingsSchema.parse({})).toEqual({
      enabled: true,
      pointsPerUnit: "1",
      includeShipping: false,
      includeTaxes: false,
      rounding: "down",
      excludedProductIds: [],
      excludedOrderTags: [],
      minOrderSubtotal: null,
      testOrdersEarn: false,
      pendingDays: 0,
      campaignStacking: "highest",
      welcomeBonusPoints: 0,
      welcomeBonusClawback: true,
      welcomeCode: {
        enabled: false,
        discountType: "percentage",
        value: "10",
        validityDays: 30,
        minSubtotal: null,
        combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
      },
      expiredCodesReturnPoints: true,
    });
    expect(DEFAULT_PROGRAM_SETTINGS).toEqual(programSettingsSchema.parse({}));
  });

  it("the shared defaults cannot be mutated by accident", () => {
    expect(() => {
      (DEFAULT_PROGRAM_SETTINGS.excludedProductIds as string[]).push("1");
    }).toThrow();
    expect(DEFAULT_PROGRAM_SETTINGS.excludedProductIds).toEqual([]);
  });
});

describe("program settings validation", () => {
  it("accepts product GIDs from the resource picker and stores the numeric id, once", () => {
    const settings = programSettingsSchema.parse({
      excludedProductIds: ["gid://shopify/Product/632910392", "632910392", " 788032119674292922 "],
    });
    expect(settings.excludedProductIds).toEqual(["632910392", "788032119674292922"]);
  });

  it("explains a bad product id next to the field", () => {
    expect(errorsFor({ excludedProductIds: ["gid://shopify/Collection/1"] })).toEqual({
      "excludedProductIds.0": '"gid://shopify/Collection/1" is not a product ID (use a number like 632910392 or gid://shopify/Product/632910392)',
    });
  });

  it("keeps excluded tags trimmed and without case-insensitive duplicates", () => {
    expect(programSettingsSchema.parse({ excludedOrderTags: ["Wholesale", " wholesale ", "", "Staff"] }).excludedOrderTags).toEqual(["Wholesale", "Staff"]);
  });

  it.each([
    [{ pointsPerUnit: "0" }, "pointsPerUnit", "Points per unit must be greater than 0"],
    [{ pointsPerUnit: "1.23456" }, "pointsPerUnit", "Use at most 4 decimal places"],
    [{ pointsPerUnit: "one" }, "pointsPerUnit", "Enter a number like 1 or 0.5 (no currency symbols or commas)"],
    [{ pointsPerUnit: 1 }, "pointsPerUnit", "Enter a number like 1 or 0.5"],
    [{ minOrderSubtotal: "50 USD" }, "minOrderSubtotal", "Enter a number like 1 or 0.5 (no currency symbols or commas)"],
    [{ minOrderSubtotal: "-5" }, "minOrderSubtotal", "Minimum order subtotal can't be negative"],
    [{ pendingDays: 400 }, "pendingDays", "Pending days must be at most 365"],
    [{ pendingDays: 1.5 }, "pendingDays", "Pending days must be a whole number"],
    [{ welcomeBonusPoints: -10 }, "welcomeBonusPoints", "Welcome bonus must be at least 0"],
    [{ rounding: "up" }, "rounding", "Choose rounding down or to the nearest point"],
    [{ campaignStacking: "sum" }, "campaignStacking", "Choose how overlapping campaigns combine: highest or multiply"],
    [{ welcomeCode: { value: "150" } }, "welcomeCode.value", "A percentage discount can be at most 100"],
    [{ welcomeCode: { value: "0" } }, "welcomeCode.value", "Discount value must be greater than 0"],
    [{ welcomeCode: { validityDays: 0 } }, "welcomeCode.validityDays", "Validity must be at least 1"],
  ])("rejects %j with a message a merchant understands", (input, field, message) => {
    expect(errorsFor(input)[field]).toBe(message);
  });

  it("allows a fixed-amount welcome code above 100 and reads form strings", () => {
    const settings = programSettingsSchema.parse({
      pointsPerUnit: " 0.5 ",
      minOrderSubtotal: "",
      pendingDays: "14",
      welcomeCode: { enabled: true, discountType: "fixed_amount", value: "150", minSubtotal: "500" },
    });
    expect(settings.pointsPerUnit).toBe("0.5");
    expect(settings.minOrderSubtotal).toBeNull();
    expect(settings.pendingDays).toBe(14);
    expect(settings.welcomeCode).toMatchObject({ discountType: "fixed_amount", value: "150", minSubtotal: "500", validityDays: 30 });
  });
});

describe("stored settings", () => {
  it("fills fields added after the settings were saved with their defaults", () => {
    // As saved by a first version of the app, before campaigns and welcome codes existed.
    const stored = JSON.stringify({ enabled: true, pointsPerUnit: "2", includeShipping: true, rounding: "nearest", retiredField: 1 });
    const settings = parseStoredSettings(stored);
    expect(settings.pointsPerUnit).toBe("2");
    expect(settings.includeShipping).toBe(true);
    expect(settings.rounding).toBe("nearest");
    expect(settings.campaignStacking).toBe("highest");
    expect(settings.welcomeCode.combinesWith.shippingDiscounts).toBe(false);
    expect(settings).not.toHaveProperty("retiredField");
  });

  it("fills a partly stored nested object", () => {
    expect(parseStoredSettings('{"welcomeCode":{"enabled":true}}').welcomeCode).toMatchObject({ enabled: true, value: "10", validityDays: 30 });
  });

  it("refuses broken stored settings loudly instead of silently resetting a shop's rules", () => {
    expect(() => parseStoredSettings("{not json")).toThrow(StoredSettingsError);
    expect(() => parseStoredSettings("[]")).toThrow(/JSON object/);
    expect(() => parseStoredSettings('{"pointsPerUnit":"-1"}')).toThrow(/pointsPerUnit: Points per unit can't be negative/);
  });
});

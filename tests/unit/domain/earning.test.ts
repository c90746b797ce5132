import { describe, expect, it } from "vitest";
import { pointsForOrder, previewPointsForAmount } from "../../../app/domain/earning";
import { earningBase, hasExcludedTag, splitOrderTags } from "../../../app/domain/order";
import { campaign, germanOrder, line, settingsWith, usOrder } from "./fixtures";

const earn = (order = usOrder(), settingsInput = {}, isFirstOrder = false, campaigns = [] as ReturnType<typeof campaign>[]) => pointsForOrder({ order, settings: settingsWith(settingsInput), campaigns, isFirstOrder });

const pointsOf = (result: ReturnType<typeof earn>) => Object.fromEntries(result.entries.map((e) => [e.kind, e.points]));

describe("earning base in a store that adds tax at checkout", () => {
  it.each([
    [{}, "244.98", 244, 245],
    [{ includeShipping: true }, "254.98", 254, 255],
    [{ includeTaxes: true }, "264.58", 264, 265],
    [{ includeShipping: true, includeTaxes: true }, "275.38", 275, 275],
  ])("with %j the base is %s: %i points rounding down, %i to nearest", (options, base, down, nearest) => {
    expect(earn(usOrder(), { ...options, rounding: "down" })).toMatchObject({ outcome: "earned", base, entries: [{ kind: "earn", points: down }] });
    expect(earn(usOrder(), { ...options, rounding: "nearest" }).entries).toEqual([{ kind: "earn", points: nearest }]);
  });

  it("reports each eligible line after discounts, for refunds later", () => {
    expect(earningBase(usOrder(), settingsWith({ includeTaxes: true }))).toEqual({
      base: "264.58",
      lineAmounts: { "466157049": "97.19", "518995019": "167.39" },
      shippingAmount: "0",
      merchandiseSubtotal: "244.98",
    });
  });

  it("applies the rate: 2 points per dollar on 244.98 is 489 (down) or 490 (nearest); 1.5 is 367", () => {
    expect(pointsOf(earn(usOrder(), { pointsPerUnit: "2" }))).toEqual({ earn: 489 });
    expect(pointsOf(earn(usOrder(), { pointsPerUnit: "2", rounding: "nearest" }))).toEqual({ earn: 490 });
    expect(pointsOf(earn(usOrder(), { pointsPerUnit: "1.5" }))).toEqual({ earn: 367 });
  });
});

describe("earning base in a store whose prices include VAT", () => {
  it.each([
    [{}, "180", 180],
    [{ includeTaxes: true }, "214.2", 214],
    [{ includeShipping: true }, "185", 185],
    [{ includeShipping: true, includeTaxes: true }, "220.15", 220],
  ])("with %j the base is %s (VAT taken out unless taxes earn)", (options, base, points) => {
    expect(earn(germanOrder(), options)).toMatchObject({ base, entries: [{ kind: "earn", points }] });
  });

  it("compares minimums against the subtotal the shopper saw, VAT included", () => {
    expect(earningBase(germanOrder(), settingsWith()).merchandiseSubtotal).toBe("214.2");
    expect(earn(germanOrder(), { minOrderSubtotal: "200" }).outcome).toBe("earned");
  });
});

describe("currencies with 0 and 3 decimals", () => {
  it("a yen order of 3 × ¥1000 with ¥300 off earns 27 points at 1 point per ¥100", () => {
    const order = usOrder({ lines: [line({ lineItemId: "1", unitPrice: "1000", quantity: 3, discountTotal: "300", taxTotal: "0" })], shippingLines: [] });
    expect(earn(order, { pointsPerUnit: "0.01" })).toMatchObject({ base: "2700", entries: [{ kind: "earn", points: 27 }] });
  });

  it("a dinar order keeps its fils: 12.500 KWD rounds to 13 at nearest, 12 down", () => {
    const order = usOrder({ lines: [line({ lineItemId: "1", unitPrice: "12.500", taxTotal: "0.000" })], shippingLines: [] });
    expect(pointsOf(earn(order, { rounding: "nearest" }))).toEqual({ earn: 13 });
    expect(pointsOf(earn(order, { rounding: "down" }))).toEqual({ earn: 12 });
  });
});

describe("what does not earn", () => {
  it("an excluded product earns nothing, whether configured by id or GID", () => {
    const byGid = earn(usOrder(), { excludedProductIds: ["gid://shopify/Product/921728736"] });
    expect(byGid).toMatchObject({ base: "89.99", entries: [{ kind: "earn", points: 89 }] });
    expect(byGid.ruleSnapshot.lineAmounts).toEqual({ "466157049": "89.99" });
    const gidOnLine = usOrder({ lines: [line({ lineItemId: "1", productId: "gid://shopify/Product/921728736", unitPrice: "40.00" })] });
    expect(earn(gidOnLine, { excludedProductIds: ["921728736"] }).skipReason).toBe("zero_base");
  });

  it("a gift card in the cart earns nothing (it earns when spent)", () => {
    const order = usOrder();
    order.lines.push(line({ lineItemId: "9", productId: null, unitPrice: "50.00", giftCard: true }));
    expect(earn(order).base).toBe("244.98");
  });

  it("a custom item without a product still earns", () => {
    const order = usOrder({ lines: [line({ lineItemId: "7", productId: null, unitPrice: "30.00" })], shippingLines: [] });
    expect(pointsOf(earn(order))).toEqual({ earn: 30 });
  });

  it("a fully discounted line contributes nothing and never goes negative", () => {
    const order = usOrder({ lines: [line({ lineItemId: "1", unitPrice: "20.00", discountTotal: "25.00" }), line({ lineItemId: "2", unitPrice: "10.00" })] });
    expect(earn(order).base).toBe("10");
  });

  it("an order of only gift cards is skipped as zero base", () => {
    const order = usOrder({ lines: [line({ lineItemId: "9", unitPrice: "100.00", giftCard: true })] });
    expect(earn(order, {}, true, [])).toMatchObject({ outcome: "skipped", skipReason: "zero_base", entries: [] });
  });

  it("the minimum subtotal is inclusive: 50.00 earns, 49.99 does not", () => {
    const at = (price: string) => usOrder({ lines: [line({ lineItemId: "1", unitPrice: price })] });
    expect(earn(at("50.00"), { minOrderSubtotal: "50" }).outcome).toBe("earned");
    expect(earn(at("49.99"), { minOrderSubtotal: "50" })).toMatchObject({ outcome: "skipped", skipReason: "below_minimum", base: "49.99" });
  });

  it("the minimum looks at eligible merchandise, not shipping", () => {
    const order = usOrder({ lines: [line({ lineItemId: "1", unitPrice: "45.00" })] }); // + 10.00 shipping
    expect(earn(order, { minOrderSubtotal: "50", includeShipping: true }).skipReason).toBe("below_minimum");
  });

  it("test orders earn only when the merchant allows it", () => {
    expect(earn(usOrder({ test: true }))).toMatchObject({ outcome: "skipped", skipReason: "test_order" });
    expect(earn(usOrder({ test: true }), { testOrdersEarn: true }).outcome).toBe("earned");
  });

  it("a paused program earns nothing, not even a welcome bonus", () => {
    expect(earn(usOrder(), { enabled: false, welcomeBonusPoints: 100 }, true)).toMatchObject({ outcome: "skipped", skipReason: "program_paused", entries: [] });
  });

  it("a guest checkout has nobody to credit", () => {
    expect(earn(usOrder({ customerId: null })).skipReason).toBe("guest_order");
  });

  it("an excluded tag matches regardless of case", () => {
    expect(earn(usOrder({ tags: ["wholesale", "Net30"] }), { excludedOrderTags: ["Wholesale"] }).skipReason).toBe("excluded_tag");
    expect(hasExcludedTag(splitOrderTags("tag1, Staff Order"), ["staff order"])).toBe(true);
    expect(hasExcludedTag(["VIP"], ["vip-staff"])).toBe(false);
  });
});

describe("welcome bonus", () => {
  it("is added on the customer's first order only", () => {
    expect(pointsOf(earn(usOrder(), { welcomeBonusPoints: 100 }, true))).toEqual({ earn: 244, welcome_bonus: 100 });
    expect(pointsOf(earn(usOrder(), { welcomeBonusPoints: 100 }, false))).toEqual({ earn: 244 });
  });

  it("needs a qualifying order: a first order below the minimum gets no welcome bonus", () => {
    const small = usOrder({ lines: [line({ lineItemId: "1", unitPrice: "19.99" })] });
    expect(earn(small, { welcomeBonusPoints: 100, minOrderSubtotal: "25" }, true)).toMatchObject({ outcome: "skipped", entries: [] });
  });

  it("is recorded in the snapshot with the clawback rule in force", () => {
    const result = earn(usOrder(), { welcomeBonusPoints: 100, welcomeBonusClawback: false }, true);
    expect(result.ruleSnapshot).toMatchObject({ welcomePoints: 100, welcomeBonusClawback: false });
  });
});

describe("campaign bonus on an order", () => {
  const doublePoints = campaign({ id: "spring-double", multiplier: "2", startsAt: "2026-05-01T04:00:00Z", endsAt: "2026-05-18T04:00:00Z" });

  it("double points on 244.98 earns 244 plus a 245-point bonus (rounded once on the total, 489)", () => {
    const result = earn(usOrder(), {}, false, [doublePoints]);
    expect(result.entries).toEqual([
      { kind: "earn", points: 244 },
      { kind: "campaign_bonus", points: 245, campaignId: "spring-double" },
    ]);
    expect(result.ruleSnapshot).toMatchObject({ multiplier: "2", campaignIds: ["spring-double"], earnPoints: 244, bonusPoints: 245 });
  });

  it("an order outside the window earns only the base points", () => {
    expect(pointsOf(earn(usOrder({ processedAt: "2026-05-18T00:00:00-04:00" }), {}, false, [doublePoints]))).toEqual({ earn: 244 });
  });

  it("snapshots every rule a later reversal needs, as plain JSON", () => {
    const result = earn(usOrder(), { includeShipping: true, rounding: "nearest", welcomeBonusPoints: 50 }, true, [doublePoints]);
    expect(JSON.parse(JSON.stringify(result.ruleSnapshot))).toEqual({
      version: 1,
      pointsPerUnit: "1",
      rounding: "nearest",
      multiplier: "2",
      campaignIds: ["spring-double"],
      base: "254.98",
      lineAmounts: { "466157049": "89.99", "518995019": "154.99" },
      shippingAmount: "10",
      includeShipping: true,
      includeTaxes: false,
      taxesIncluded: false,
      earnPoints: 255,
      bonusPoints: 255,
      welcomePoints: 50,
      welcomeBonusClawback: true,
    });
  });
});

describe("product page preview", () => {
  it("shows what a product's price would earn, boosted by an active campaign", () => {
    const settings = settingsWith({ pointsPerUnit: "1" });
    expect(previewPointsForAmount("25.00", settings, null)).toBe(25);
    expect(previewPointsForAmount("25.00", settings, "2")).toBe(50);
    expect(previewPointsForAmount("19.99", settingsWith({ rounding: "nearest" }), "1.5")).toBe(30);
    expect(previewPointsForAmount("25.00", settingsWith({ enabled: false }), null)).toBe(0);
  });
});

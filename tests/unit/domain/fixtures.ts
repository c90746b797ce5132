// Real-shaped orders for the loyalty tests (shop money as Shopify sends it).
import type { CampaignRule } from "../../../app/domain/campaigns";
import type { OrderForEarning, OrderLine } from "../../../app/domain/order";
import { type ProgramSettings, type ProgramSettingsInput, programSettingsSchema } from "../../../app/domain/settings";

export function settingsWith(overrides: ProgramSettingsInput = {}): ProgramSettings {
  return programSettingsSchema.parse(overrides);
}

export function line(overrides: Partial<OrderLine> & Pick<OrderLine, "lineItemId" | "unitPrice">): OrderLine {
  return { productId: "788032119674292922", quantity: 1, discountTotal: "0.00", taxTotal: "0.00", giftCard: false, ...overrides };
}

/**
 * A US store (taxes on top): sunglasses 89.99, a lounger 159.99 with 5.00 off, 10.00 shipping.
 * Merchandise after discounts 244.98; taxes 7.20 + 12.40 on the lines, 0.80 on shipping.
 */
export function usOrder(overrides: Partial<OrderForEarning> = {}): OrderForEarning {
  return {
    orderId: "820982911946154508",
    processedAt: "2026-05-14T15:20:11-04:00",
    test: false,
    taxesIncluded: false,
    tags: [],
    discountCodes: [],
    lines: [
      line({ lineItemId: "466157049", productId: "632910392", unitPrice: "89.99", taxTotal: "7.20" }),
      line({ lineItemId: "518995019", productId: "921728736", unitPrice: "159.99", discountTotal: "5.00", taxTotal: "12.40" }),
    ],
    shippingLines: [{ price: "10.00", discountTotal: "0.00", taxTotal: "0.80" }],
    customerId: "115310627314723954",
    ...overrides,
  };
}

/**
 * A German store (prices include 19% VAT): 2 × 119.00 with 10% off (23.80) = 214.20 including
 * 34.20 VAT, so 180.00 net; shipping 5.95 including 0.95 VAT.
 */
export function germanOrder(overrides: Partial<OrderForEarning> = {}): OrderForEarning {
  return {
    orderId: "5530000000001",
    processedAt: "2026-05-14T10:00:00+02:00",
    test: false,
    taxesIncluded: true,
    tags: [],
    discountCodes: ["SOMMER10"],
    lines: [line({ lineItemId: "1001", productId: "2001", quantity: 2, unitPrice: "119.00", discountTotal: "23.80", taxTotal: "34.20" })],
    shippingLines: [{ price: "5.95", discountTotal: "0.00", taxTotal: "0.95" }],
    customerId: "3001",
    ...overrides,
  };
}

export function campaign(overrides: Partial<CampaignRule> & Pick<CampaignRule, "id">): CampaignRule {
  return {
    name: `Campaign ${overrides.id}`,
    multiplier: "2",
    startsAt: "2026-05-01T00:00:00Z",
    endsAt: "2026-06-01T00:00:00Z",
    minSubtotal: null,
    firstOrderOnly: false,
    promoCode: null,
    endedAt: null,
    ...overrides,
  };
}

// The domain's view of an order and a refund. The webhook layer maps Shopify's payloads onto these
// types (shop money only: `*_set.shop_money.amount`, so points never depend on the shopper's
// presentment currency). Field meanings follow the REST order/refund payloads:
//   line_items[].price_set            unit price before discounts
//   line_items[].discount_allocations every discount allocated to the line, order-level ones included
//     https://shopify.dev/docs/api/admin-graphql/2025-01/objects/DiscountAllocation
//   line_items[].tax_lines            tax charged on the line (already inside the price when taxes_included)
//     https://shopify.dev/docs/api/storefront/2025-01/objects/Order ("Taxes aren't included unless
//     the order is a taxes-included order")
//   refund_line_items[].subtotal_set / total_tax_set   refunded amount after discounts, and its tax
//     https://shopify.dev/docs/api/admin-graphql/2026-07/objects/RefundLineItem
import { type Fixed, FIXED_ZERO, maxFixed, multiplyByQuantity, parseMoney, toDecimalString } from "./money";
import { type ProgramSettings, normaliseProductId } from "./settings";

export interface OrderLine {
  lineItemId: string;
  /** null for custom items (no product), which are never excluded by product. */
  productId: string | null;
  quantity: number;
  /** Shop money, per unit, before discounts. */
  unitPrice: string;
  /** Sum of discount_allocations for the whole line, shop money. */
  discountTotal: string;
  /** Sum of tax_lines for the whole line, shop money. */
  taxTotal: string;
  giftCard: boolean;
}

export interface ShippingLine {
  price: string;
  discountTotal: string;
  taxTotal: string;
}

export interface OrderForEarning {
  orderId: string;
  /** ISO instant (processed_at): decides which campaigns apply. */
  processedAt: string;
  test: boolean;
  taxesIncluded: boolean;
  tags: string[];
  discountCodes: string[];
  lines: OrderLine[];
  shippingLines: ShippingLine[];
  /** null for guest checkouts, which have nobody to credit. */
  customerId: string | null;
}

export interface RefundLine {
  lineItemId: string;
  quantity: number;
  /** refund_line_items[].subtotal_set.shop_money: after discounts, with tax inside when taxes_included. */
  subtotal: string;
  /** refund_line_items[].total_tax_set.shop_money */
  totalTax: string;
}

export interface RefundShippingLine {
  /** refund_shipping_lines[].subtotal_amount_set.shop_money */
  subtotal: string;
  /** refund_shipping_lines[].tax_amount_set.shop_money */
  totalTax: string;
}

export interface RefundForReversal {
  refundId: string;
  createdAt: string;
  lines: RefundLine[];
  /** Refunded shipping; matters only when the order earned on shipping. */
  shippingLines?: RefundShippingLine[];
}

/** The part of the settings that decides the base (also stored in the earn snapshot). */
export type BaseRules = Pick<ProgramSettings, "includeShipping" | "includeTaxes" | "excludedProductIds">;

export interface EarningBase {
  /** Amount points are computed on (decimal string, shop currency). */
  base: string;
  /** Eligible amount per eligible line, keyed by lineItemId: what a refund of that line can take back. */
  lineAmounts: Record<string, string>;
  /** Eligible shipping amount ("0" unless shipping earns). */
  shippingAmount: string;
  /**
   * Eligible merchandise after discounts, as the shopper saw it (tax inside only in taxes-included
   * shops), before shipping: what minimum-subtotal rules compare against.
   */
  merchandiseSubtotal: string;
}

/**
 * The eligible part of an amount and its tax. Taxes-included prices carry the tax inside, so it is
 * taken out unless taxes earn; otherwise tax sits on top and is added only when taxes earn.
 */
export function amountWithTaxRule(amount: Fixed, tax: Fixed, taxesIncluded: boolean, includeTaxes: boolean): Fixed {
  if (taxesIncluded) return includeTaxes ? amount : amount - tax;
  return includeTaxes ? amount + tax : amount;
}

export function isLineEligible(line: Pick<OrderLine, "productId" | "giftCard">, excludedProductIds: readonly string[]): boolean {
  if (line.giftCard) return false; // a gift card is stored value, not a purchase: it earns when spent
  return line.productId === null || !excludedProductIds.includes(normaliseProductId(line.productId) ?? line.productId);
}

/** Case-insensitive: "VIP" in settings matches an order tagged "vip". */
export function hasExcludedTag(orderTags: readonly string[], excludedOrderTags: readonly string[]): boolean {
  const excluded = new Set(excludedOrderTags.map((tag) => tag.trim().toLowerCase()));
  return orderTags.some((tag) => excluded.has(tag.trim().toLowerCase()));
}

/**
 * Order payloads carry `tags` as one comma-separated string ("tag1, tag2"); this splits it.
 */
export function splitOrderTags(tags: string | null | undefined): string[] {
  return (tags ?? "")
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
}

/** Accepts the full ProgramSettings (or just the base rules, e.g. from a snapshot). */
export function earningBase(order: OrderForEarning, rules: BaseRules): EarningBase {
  const lineAmounts = new Map<string, Fixed>();
  let merchandiseSubtotal = FIXED_ZERO;

  for (const [index, line] of order.lines.entries()) {
    if (!isLineEligible(line, rules.excludedProductIds)) continue;
    const label = `line ${line.lineItemId || index}`;
    const unitPrice = parseMoney(line.unitPrice, `${label} unitPrice`);
    const discount = parseMoney(line.discountTotal, `${label} discountTotal`);
    const tax = parseMoney(line.taxTotal, `${label} taxTotal`);
    // A 100% discount (or a discount rounding past the price) leaves nothing, never less.
    const afterDiscount = maxFixed(FIXED_ZERO, multiplyByQuantity(unitPrice, line.quantity) - discount);
    const eligible = maxFixed(FIXED_ZERO, amountWithTaxRule(afterDiscount, tax, order.taxesIncluded, rules.includeTaxes));
    merchandiseSubtotal += afterDiscount;
    lineAmounts.set(line.lineItemId, (lineAmounts.get(line.lineItemId) ?? FIXED_ZERO) + eligible);
  }

  let shippingAmount = FIXED_ZERO;
  if (rules.includeShipping) {
    for (const [index, shipping] of order.shippingLines.entries()) {
      const label = `shipping line ${index}`;
      const price = parseMoney(shipping.price, `${label} price`);
      const discount = parseMoney(shipping.discountTotal, `${label} discountTotal`);
      const tax = parseMoney(shipping.taxTotal, `${label} taxTotal`);
      const afterDiscount = maxFixed(FIXED_ZERO, price - discount);
      shippingAmount += maxFixed(FIXED_ZERO, amountWithTaxRule(afterDiscount, tax, order.taxesIncluded, rules.includeTaxes));
    }
  }

  let base = shippingAmount;
  for (const amount of lineAmounts.values()) base += amount;

  return {
    base: toDecimalString(base),
    lineAmounts: Object.fromEntries([...lineAmounts].map(([id, amount]) => [id, toDecimalString(amount)])),
    shippingAmount: toDecimalString(shippingAmount),
    merchandiseSubtotal: toDecimalString(merchandiseSubtotal),
  };
}

// What the UI extensions send, validated, and the thank-you page's checkout figures mapped onto the
// domain's order so the preview runs the same earning rules as orders/paid.
// Nothing here is trusted for identity: the shop and customer come from the session token only
// (identity.server.ts). These figures only feed a preview that is never written.
//
// Where the figures come from on the Thank you page (purchase.thank-you.block.render):
//   lines[].cost.totalAmount   the line after line-level discounts, before order-level ones
//     https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/checkout-apis/cart-lines-api
//   discountAllocations        order-level discounts, cost.totalShippingAmount / totalTaxAmount / totalAmount
//     https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/checkout-apis/cost-api
//   orderConfirmation.order.id gid://shopify/OrderIdentity/<n>, <n> being the order's id once created;
//   orderConfirmation.isFirstOrder  Shopify's own answer to "first order at this shop"
//     https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/checkout-apis/order-api
import { z } from "zod";
import { type Fixed, FIXED_ZERO, parseMoney, sumFixed, toDecimalString } from "../domain/money";
import type { OrderForEarning, OrderLine } from "../domain/order";

const MAX_LINES = 250;

/** The order's GID as the webhooks key it (decision 003), from either form the extension APIs give. */
export const orderIdInput = z
  .string()
  .max(80)
  .regex(/^gid:\/\/shopify\/(?:Order|OrderIdentity)\/\d{1,20}$/, "expected an order GID")
  .transform((gid) => `gid://shopify/Order/${gid.slice(gid.lastIndexOf("/") + 1)}`);

const amount = z.string().regex(/^\d{1,12}(?:\.\d{1,6})?$/, "expected a non-negative decimal amount");

export const checkoutFiguresInput = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/),
  lines: z
    .array(
      z.object({
        productId: z
          .string()
          .regex(/^gid:\/\/shopify\/Product\/\d{1,20}$/)
          .nullable(),
        quantity: z.number().int().min(1).max(100_000),
        amount,
      }),
    )
    .max(MAX_LINES),
  orderDiscount: amount.default("0"),
  shipping: amount.default("0"),
  tax: amount.default("0"),
  total: amount,
  discountCodes: z.array(z.string().min(1).max(255)).max(25).default([]),
  isFirstOrder: z.boolean().default(false),
});

export type CheckoutFigures = z.infer<typeof checkoutFiguresInput>;

export const thankYouInput = z.object({ orderId: orderIdInput, checkout: checkoutFiguresInput.optional() });
export type ThankYouInput = z.infer<typeof thankYouInput>;

/** `part` of `whole` shares of `total`, the last share taking the rounding remainder (shares sum to total). */
function allocate(total: Fixed, weights: Fixed[]): Fixed[] {
  const whole = sumFixed(weights);
  if (whole === FIXED_ZERO || total === FIXED_ZERO) return weights.map(() => FIXED_ZERO);
  let given = FIXED_ZERO;
  return weights.map((weight, index) => {
    if (index === weights.length - 1) return total - given;
    const share = (total * weight) / whole;
    given += share;
    return share;
  });
}

/**
 * The checkout as the domain's order. The checkout gives totals, not Shopify's per-line allocations,
 * so order-level discounts and tax are spread over the lines in proportion to their amounts (Shopify
 * allocates order discounts the same way; a cent may differ). Whether prices include tax is read off
 * the totals: with tax included, total = lines − order discount + shipping.
 */
export function checkoutAsOrder(orderId: string, customerRef: string, figures: CheckoutFigures, processedAt: Date): OrderForEarning {
  const lineAmounts = figures.lines.map((l) => parseMoney(l.amount));
  const discounts = allocate(parseMoney(figures.orderDiscount), lineAmounts);
  const afterDiscounts = lineAmounts.map((a, i) => a - discounts[i]!);
  const taxes = allocate(parseMoney(figures.tax), afterDiscounts);
  const shipping = parseMoney(figures.shipping);
  const tax = parseMoney(figures.tax);
  const withoutTax = sumFixed(afterDiscounts) + shipping;
  const total = parseMoney(figures.total);
  const distance = (a: Fixed) => (a > total ? a - total : total - a);
  const taxesIncluded = tax > FIXED_ZERO && distance(withoutTax) < distance(withoutTax + tax);
  const lines: OrderLine[] = figures.lines.map((line, index) => ({
    lineItemId: `checkout-line-${index}`,
    productId: line.productId,
    // The line's amount is for all its units: one "unit" of the whole line gives the same base.
    quantity: 1,
    unitPrice: line.amount,
    discountTotal: toDecimalString(discounts[index]!),
    taxTotal: toDecimalString(taxes[index]!),
    giftCard: false,
  }));
  return {
    orderId,
    processedAt: processedAt.toISOString(),
    test: false,
    taxesIncluded,
    tags: [],
    discountCodes: figures.discountCodes,
    lines,
    shippingLines: shipping > FIXED_ZERO ? [{ price: figures.shipping, discountTotal: "0", taxTotal: "0" }] : [],
    customerId: customerRef,
  };
}

// orders/paid, orders/cancelled and refunds/create: zod over the fields the app uses, mapped onto the
// domain's OrderForEarning / RefundForReversal. Amounts are read from `*_set.shop_money` so points never
// depend on the shopper's presentment currency.
// Payloads: https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-of-topics-orders/paid
//           https://shopify.dev/docs/api/webhooks/latest?reference=toml#list-of-topics-refunds/create
//
// Shopify sends only the fields listed in each subscription's `include_fields` (shopify.app.toml;
// https://shopify.dev/docs/apps/build/webhooks/customize/modify-payloads), so these schemas must
// need nothing outside that list: tests/unit/shopify/include-fields.test.ts checks every field path
// declared here against the toml, both ways (docs/decisions/015-webhook-include-fields.md).
//
// Ids: the library JSON.parses the body, so numeric ids arrive as JS numbers. Orders are keyed on
// `gid://shopify/Order/<id>` built from the numeric id in EVERY topic (refunds only carry `order_id`),
// so all three topics agree on the key (docs/decisions/003-order-keys.md).
import { z } from "zod";
import type { OrderForEarning, RefundForReversal } from "../domain/order";
import { splitOrderTags } from "../domain/order";
import { parseMoney, sumFixed, toDecimalString } from "../domain/money";
import { numericId } from "./webhook-payloads";

const amount = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, "expected a decimal amount"));
const moneySet = z.object({ shop_money: z.object({ amount, currency_code: z.string() }) });
const allocation = z.object({ amount_set: moneySet });
const taxLine = z.object({ price_set: moneySet });
const isoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "expected an ISO date-time");

const orderCustomer = z
  .object({
    id: numericId,
    email: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
  })
  .passthrough();

export const orderPayload = z
  .object({
    id: numericId,
    name: z.string().nullish(),
    processed_at: isoInstant.nullish(),
    created_at: isoInstant,
    test: z.boolean().default(false),
    taxes_included: z.boolean().default(false),
    tags: z.string().nullish(),
    total_price_set: moneySet.optional(),
    discount_codes: z.array(z.object({ code: z.string() }).passthrough()).default([]),
    customer: orderCustomer.nullish(),
    line_items: z.array(
      z
        .object({
          id: numericId,
          product_id: numericId.nullish(),
          quantity: z.number().int().nonnegative(),
          price_set: moneySet,
          gift_card: z.boolean().default(false),
          discount_allocations: z.array(allocation).default([]),
          tax_lines: z.array(taxLine).default([]),
        })
        .passthrough(),
    ),
    shipping_lines: z.array(z.object({ price_set: moneySet, discount_allocations: z.array(allocation).default([]), tax_lines: z.array(taxLine).default([]) }).passthrough()).default([]),
  })
  .passthrough();

export type OrderPayload = z.infer<typeof orderPayload>;

/** orders/cancelled: the cancellation only needs the order and when (the order's lines came with orders/paid). */
export const orderCancelledPayload = z.object({ id: numericId, cancelled_at: isoInstant.nullish() }).passthrough();

export type OrderCancelledPayload = z.infer<typeof orderCancelledPayload>;

export const refundPayload = z
  .object({
    id: numericId,
    order_id: numericId,
    created_at: isoInstant,
    refund_line_items: z
      .array(
        z
          .object({
            line_item_id: numericId,
            quantity: z.number().int().nonnegative(),
            subtotal_set: moneySet,
            total_tax_set: moneySet,
          })
          .passthrough(),
      )
      .default([]),
    refund_shipping_lines: z.array(z.object({ subtotal_amount_set: moneySet, tax_amount_set: moneySet }).passthrough()).default([]),
  })
  .passthrough();

export type RefundPayload = z.infer<typeof refundPayload>;

const sum = (values: string[]): string => toDecimalString(sumFixed(values.map((v) => parseMoney(v))));

export function orderGid(numeric: string): string {
  return `gid://shopify/Order/${numeric}`;
}

export function refundGid(numeric: string): string {
  return `gid://shopify/Refund/${numeric}`;
}

export function orderCustomerGid(order: OrderPayload): string | null {
  if (!order.customer) return null;
  return `gid://shopify/Customer/${order.customer.id}`;
}

export function toOrderForEarning(order: OrderPayload): OrderForEarning {
  return {
    orderId: orderGid(order.id),
    processedAt: order.processed_at ?? order.created_at,
    test: order.test,
    taxesIncluded: order.taxes_included,
    tags: splitOrderTags(order.tags),
    discountCodes: order.discount_codes.map((d) => d.code),
    customerId: orderCustomerGid(order),
    lines: order.line_items.map((line) => ({
      lineItemId: line.id,
      productId: line.product_id ?? null,
      quantity: line.quantity,
      unitPrice: line.price_set.shop_money.amount,
      discountTotal: sum(line.discount_allocations.map((a) => a.amount_set.shop_money.amount)),
      taxTotal: sum(line.tax_lines.map((t) => t.price_set.shop_money.amount)),
      giftCard: line.gift_card,
    })),
    shippingLines: order.shipping_lines.map((s) => ({
      price: s.price_set.shop_money.amount,
      discountTotal: sum(s.discount_allocations.map((a) => a.amount_set.shop_money.amount)),
      taxTotal: sum(s.tax_lines.map((t) => t.price_set.shop_money.amount)),
    })),
  };
}

export function toRefundForReversal(refund: RefundPayload): RefundForReversal {
  return {
    refundId: refundGid(refund.id),
    createdAt: refund.created_at,
    lines: refund.refund_line_items.map((line) => ({
      lineItemId: line.line_item_id,
      quantity: line.quantity,
      subtotal: line.subtotal_set.shop_money.amount,
      totalTax: line.total_tax_set.shop_money.amount,
    })),
    shippingLines: refund.refund_shipping_lines.map((s) => ({
      subtotal: s.subtotal_amount_set.shop_money.amount,
      totalTax: s.tax_amount_set.shop_money.amount,
    })),
  };
}

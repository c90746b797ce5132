// The demo shop's orders as Shopify's webhook bodies: orders/paid (and orders/cancelled, the same order
// with cancelled_at) built from Shopify's documented examples (dev/payloads/order-fixtures.ts) with
// the demo order's lines, customer, totals and discount code.
import type { FakeDiscount } from "../../dev/shopify-admin-fake";
import { cancelledPayload, orderPayload, type OrderSpec } from "../../dev/payloads/order-fixtures";
import { fromCents, lineNet, toCents, type DemoCustomer, type DemoOrder } from "./model";

/** The orders/paid payload of an order as Shopify would send it. `discount`: its code's discount, if any. */
export function paidPayload(order: DemoOrder, customer: DemoCustomer | null, discount: FakeDiscount | undefined): Record<string, unknown> {
  const payload = orderPayload(orderSpec(order, customer)) as Record<string, unknown> & {
    line_items: Record<string, unknown>[];
    shipping_lines: Record<string, unknown>[];
    customer: Record<string, unknown> | null;
  };
  const money = (amount: string) => ({ shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } });
  const subtotal = fromCents(order.lines.reduce((s, l) => s + lineNet(l), 0));
  const discounts = fromCents(order.lines.reduce((s, l) => s + toCents(l.discount), 0) + toCents(order.shippingDiscount));
  order.lines.forEach((line, i) => {
    const item = payload.line_items[i]!;
    Object.assign(item, { title: line.title, name: line.title, variant_title: null, sku: `DEMO-${line.productId}`, vendor: "Demo Shop", product_id: line.productId, variant_id: line.productId + 1_000_000 });
  });
  const firstShipping = payload.shipping_lines[0];
  if (firstShipping) {
    Object.assign(firstShipping, { title: "Standard", code: "Standard" });
    if (toCents(order.shippingDiscount) > 0) firstShipping.discount_allocations = [{ amount: order.shippingDiscount, amount_set: money(order.shippingDiscount), discount_application_index: 0 }];
  }
  Object.assign(payload, {
    name: `#${order.number}`,
    order_number: order.number,
    number: order.number - 1000,
    email: customer?.email ?? "guest@example.com",
    contact_email: customer?.email ?? "guest@example.com",
    currency: "USD",
    presentment_currency: "USD",
    subtotal_price: subtotal,
    subtotal_price_set: money(subtotal),
    total_discounts: discounts,
    total_discounts_set: money(discounts),
    total_price: order.total,
    total_price_set: money(order.total),
    current_total_price: order.total,
    current_total_price_set: money(order.total),
    total_tax: "0.00",
    total_tax_set: money("0.00"),
    discount_codes: order.discountCode
      ? [{ code: order.discountCode, amount: discounts, type: discount?.value.kind === "percentage" ? "percentage" : discount?.value.kind === "free_shipping" ? "shipping" : "fixed_amount" }]
      : [],
    source_name: order.source === "storefront" ? "web" : "shopify_draft_order",
  });
  if (payload.customer && customer) {
    Object.assign(payload.customer, { first_name: customer.firstName, last_name: customer.lastName, email: customer.email, orders_count: customer.numberOfOrders });
  }
  return payload;
}

/** Shopify's orders/cancelled body: the order itself, now with cancelled_at and cancel_reason. */
export function cancelledOrderPayload(order: DemoOrder, customer: DemoCustomer | null, discount: FakeDiscount | undefined): Record<string, unknown> {
  const { cancel_reason } = cancelledPayload(orderSpec(order, customer));
  return { ...paidPayload(order, customer, discount), cancelled_at: order.cancelledAt, cancel_reason, financial_status: "voided" };
}

function orderSpec(order: DemoOrder, customer: DemoCustomer | null): OrderSpec {
  return {
    id: order.id,
    customerId: customer ? customer.id : null,
    email: customer?.email ?? "guest@example.com",
    processedAt: order.processedAt,
    lines: order.lines.map((l) => ({ id: l.id, price: l.price, quantity: l.quantity, productId: l.productId, ...(toCents(l.discount) > 0 ? { discount: l.discount } : {}) })),
    ...(toCents(order.shipping) > 0 ? { shipping: order.shipping } : {}),
    discountCodes: order.discountCode ? [order.discountCode] : [],
  };
}

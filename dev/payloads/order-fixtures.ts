// Real-shaped order webhook payloads: Shopify's documented examples at the pinned API version
// (./webhook-samples) with the fields a test cares about replaced. Ids stay below 2^53, as real ones are.
import { webhookSample as sample } from "./webhook-samples";

const money = (amount: string, currency = "USD") => ({ shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } });

export interface LineSpec {
  id: number;
  price: string;
  quantity?: number;
  discount?: string;
  tax?: string;
  productId?: number | null;
  giftCard?: boolean;
}

export interface OrderSpec {
  id: number;
  customerId?: number | null;
  email?: string;
  processedAt?: string;
  lines: LineSpec[];
  shipping?: string;
  shippingTax?: string;
  taxesIncluded?: boolean;
  test?: boolean;
  tags?: string;
  discountCodes?: string[];
  cancelledAt?: string | null;
}

export function orderPayload(spec: OrderSpec) {
  const order = sample("orders/paid");
  const template = order.line_items[0];
  const total = spec.lines.reduce((s, l) => s + Number(l.price) * (l.quantity ?? 1) - Number(l.discount ?? 0), 0) + Number(spec.shipping ?? 0);
  Object.assign(order, {
    id: spec.id,
    admin_graphql_api_id: `gid://shopify/Order/${spec.id}`,
    name: `#${spec.id}`,
    processed_at: spec.processedAt ?? "2026-11-20T15:00:00Z",
    created_at: spec.processedAt ?? "2026-11-20T15:00:00Z",
    cancelled_at: spec.cancelledAt ?? null,
    cancel_reason: spec.cancelledAt ? "customer" : null,
    financial_status: "paid",
    test: spec.test ?? false,
    taxes_included: spec.taxesIncluded ?? false,
    tags: spec.tags ?? "",
    total_price: total.toFixed(2),
    total_price_set: money(total.toFixed(2)),
    discount_codes: (spec.discountCodes ?? []).map((code) => ({ code, amount: "0.00", type: "percentage" })),
    customer:
      spec.customerId === null
        ? null
        : { ...order.customer, id: spec.customerId ?? 7001, admin_graphql_api_id: `gid://shopify/Customer/${spec.customerId ?? 7001}`, email: spec.email ?? `customer${spec.customerId ?? 7001}@example.com` },
    line_items: spec.lines.map((l) => ({
      ...template,
      id: l.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`,
      product_id: l.productId === undefined ? 632910392 : l.productId,
      quantity: l.quantity ?? 1,
      price: l.price,
      price_set: money(l.price),
      gift_card: l.giftCard ?? false,
      discount_allocations: l.discount ? [{ amount: l.discount, amount_set: money(l.discount), discount_application_index: 0 }] : [],
      tax_lines: l.tax ? [{ price: l.tax, price_set: money(l.tax), rate: 0.1, title: "Tax" }] : [],
    })),
    shipping_lines: spec.shipping
      ? [
          {
            ...order.shipping_lines[0],
            price: spec.shipping,
            price_set: money(spec.shipping),
            discount_allocations: [],
            tax_lines: spec.shippingTax ? [{ price: spec.shippingTax, price_set: money(spec.shippingTax), rate: 0.1, title: "Tax" }] : [],
          },
        ]
      : [],
    refunds: [],
  });
  return order;
}

export interface RefundSpec {
  id: number;
  orderId: number;
  createdAt?: string;
  lines: { lineItemId: number; quantity?: number; subtotal: string; tax?: string }[];
}

export function refundPayload(spec: RefundSpec) {
  const refund = sample("refunds/create");
  const template = refund.refund_line_items[0];
  Object.assign(refund, {
    id: spec.id,
    admin_graphql_api_id: `gid://shopify/Refund/${spec.id}`,
    order_id: spec.orderId,
    created_at: spec.createdAt ?? "2026-11-21T10:00:00Z",
    processed_at: spec.createdAt ?? "2026-11-21T10:00:00Z",
    refund_line_items: spec.lines.map((l, i) => ({
      ...template,
      id: spec.id * 10 + i,
      line_item_id: l.lineItemId,
      quantity: l.quantity ?? 1,
      subtotal: Number(l.subtotal),
      total_tax: Number(l.tax ?? "0"),
      subtotal_set: money(l.subtotal),
      total_tax_set: money(l.tax ?? "0.00"),
      line_item: { ...template.line_item, id: l.lineItemId },
    })),
    refund_shipping_lines: [],
  });
  return refund;
}

export function cancelledPayload(spec: OrderSpec) {
  return { ...orderPayload(spec), cancelled_at: spec.cancelledAt ?? "2026-11-22T09:00:00Z", cancel_reason: "customer" };
}

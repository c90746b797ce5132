// Shopify-shaped API values for the host's scenarios: what the Thank you page gives an extension about
// the order just placed (orderConfirmation, lines, cost, discount codes and allocations), and what the
// order status page gives (order, authenticationState). Shapes from @shopify/ui-extensions 2026.7:
// https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/checkout-apis/order-api
// https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/order-apis/order-api
import { signal } from "./server";

export interface CheckoutLineSpec {
  title: string;
  productId: number | null;
  quantity?: number;
  /** Per unit, before discounts. */
  unitPrice: string;
  /** Line-level discount, whole line. */
  discount?: string;
}

export interface CheckoutSpec {
  orderId: number;
  currency?: string;
  lines: CheckoutLineSpec[];
  /** Order-level discount (cart discount allocations). */
  orderDiscount?: string;
  discountCodes?: string[];
  shipping?: string;
  tax?: string;
  isFirstOrder?: boolean;
}

const money = (amount: number, currencyCode: string) => ({ amount: Math.round(amount * 100) / 100, currencyCode });

export function checkoutTotals(spec: CheckoutSpec) {
  const lines = spec.lines.map((l) => (l.quantity ?? 1) * Number(l.unitPrice) - Number(l.discount ?? 0));
  const subtotal = lines.reduce((a, b) => a + b, 0) - Number(spec.orderDiscount ?? 0);
  const total = subtotal + Number(spec.shipping ?? 0) + Number(spec.tax ?? 0);
  return { lines, subtotal, total };
}

/** The purchase.thank-you.* APIs for an order placed with this checkout. */
export function thankYouApi(spec: CheckoutSpec): Record<string, unknown> {
  const currency = spec.currency ?? "USD";
  const { lines, subtotal, total } = checkoutTotals(spec);
  const codes = spec.discountCodes ?? [];
  return {
    orderConfirmation: signal({ order: { id: `gid://shopify/OrderIdentity/${spec.orderId}` }, number: `CONF${spec.orderId}`, isFirstOrder: spec.isFirstOrder ?? false }),
    lines: signal(
      spec.lines.map((line, i) => ({
        id: `gid://shopify/CartLine/${i + 1}`,
        quantity: line.quantity ?? 1,
        merchandise: {
          type: "variant",
          id: `gid://shopify/ProductVariant/${(line.productId ?? 0) + 1}`,
          title: line.title,
          selectedOptions: [],
          product: { id: line.productId === null ? "gid://shopify/Product/0" : `gid://shopify/Product/${line.productId}`, vendor: "", productType: "" },
          requiresShipping: true,
        },
        cost: { totalAmount: money(lines[i]!, currency) },
        attributes: [],
        discountAllocations: line.discount ? [{ type: "automatic", title: "Line discount", discountedAmount: money(Number(line.discount), currency) }] : [],
        lineComponents: [],
      })),
    ),
    cost: {
      subtotalAmount: signal(money(subtotal, currency)),
      totalShippingAmount: signal(spec.shipping ? money(Number(spec.shipping), currency) : undefined),
      totalTaxAmount: signal(spec.tax ? money(Number(spec.tax), currency) : undefined),
      totalAmount: signal(money(total, currency)),
    },
    discountCodes: signal(codes.map((code) => ({ code }))),
    discountAllocations: signal(spec.orderDiscount ? [{ type: "code", code: codes[0] ?? "", discountedAmount: money(Number(spec.orderDiscount), currency) }] : []),
    buyerJourney: { completed: signal(true) },
    checkoutSettings: signal({ orderSubmission: "ORDER" }),
  };
}

/** The customer-account.order-status.* APIs for an order. */
export function orderStatusApi(order: { orderId: number; name: string; processedAt?: string }, authenticated = true): Record<string, unknown> {
  return {
    order: signal({ id: `gid://shopify/Order/${order.orderId}`, name: order.name, confirmationNumber: `CONF${order.orderId}`, processedAt: order.processedAt, cancelledAt: undefined }),
    authenticationState: signal(authenticated ? "fully_authenticated" : "pre_authenticated"),
  };
}

/** Order-summary rows for the page around the block. */
export function summaryRows(spec: CheckoutSpec, format: (amount: number) => string) {
  const { lines, total } = checkoutTotals(spec);
  const rows = spec.lines.map((l, i) => ({ label: `${l.title}${(l.quantity ?? 1) > 1 ? ` × ${l.quantity}` : ""}`, amount: format(lines[i]!) }));
  if (spec.orderDiscount) rows.push({ label: `Discount${spec.discountCodes?.[0] ? ` (${spec.discountCodes[0]})` : ""}`, amount: `−${format(Number(spec.orderDiscount))}` });
  if (spec.shipping) rows.push({ label: "Shipping", amount: format(Number(spec.shipping)) });
  if (spec.tax) rows.push({ label: "Taxes", amount: format(Number(spec.tax)) });
  return { rows, total: format(total) };
}

// What the demo shop holds, as Shopify would: customers, orders with their lines and refunds, and
// the arithmetic on them (money in cents, what is refundable, an order's status). Plain data.
import type { PendingDelivery } from "../webhooks";

export interface DemoCustomer {
  /** Numeric Shopify customer id (gid://shopify/Customer/<id>). */
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  /** Orders placed before the app was installed (Shopify counts them, the app never saw them). */
  priorOrders: number;
  /** Shopify's `numberOfOrders`: prior orders plus every order placed in the demo. */
  numberOfOrders: number;
}

export interface DemoLine {
  id: number;
  productId: number;
  title: string;
  /** Unit price, "45.00". */
  price: string;
  quantity: number;
  /** The line's share of the order's discount, "4.50". */
  discount: string;
}

export interface DemoRefund {
  id: number;
  amount: string;
  at: string;
}

export interface DemoOrder {
  /** Shopify's order id (large number); the webhook payloads carry it. */
  id: number;
  /** The order number people use: #1042. */
  number: number;
  customerId: number | null;
  processedAt: string;
  lines: DemoLine[];
  shipping: string;
  shippingDiscount: string;
  discountCode: string | null;
  /** Merchandise after discounts + shipping after discounts. */
  total: string;
  refunds: DemoRefund[];
  cancelledAt: string | null;
  /** orders/paid held back to arrive after the next event for this order ("deliver out of order"). */
  held: PendingDelivery[];
  source: "seed" | "simulator" | "storefront" | "cli";
}

/** Shopify's ids and numbers for the demo shop's objects. */
export const FIRST_CUSTOMER_ID = 1001;
export const FIRST_ORDER_NUMBER = 1001;
export const ORDER_ID_BASE = 5_300_000_000_000;
export const REFUND_ID_BASE = 910_000_000_000;

export const gid = (customerId: number) => `gid://shopify/Customer/${customerId}`;

/** A request the demo shop refuses (unknown customer or order, bad amount…): shown to the user, not a crash. */
export class DemoInputError extends Error {}

// ---------------------------------------------------------------------------------------------
// Money in cents

export const toCents = (amount: string | number): number => Math.round(Number(amount) * 100);
export const fromCents = (cents: number): string => (cents / 100).toFixed(2);
export const isAmount = (text: string): boolean => /^\d+(\.\d{1,2})?$/.test(text.trim()) && toCents(text) > 0;

export function lineNet(line: DemoLine): number {
  return toCents(line.price) * line.quantity - toCents(line.discount);
}

export function refundedCents(order: DemoOrder): number {
  return order.refunds.reduce((sum, r) => sum + toCents(r.amount), 0);
}

/** What can still be refunded (merchandise after discounts; shipping is not refunded in the demo). */
export function refundableCents(order: DemoOrder): number {
  return Math.max(0, order.lines.reduce((sum, l) => sum + lineNet(l), 0) - refundedCents(order));
}

export function orderStatus(order: DemoOrder): string {
  if (order.held.some((d) => d.topic === "orders/paid")) return "paid (webhook held)";
  if (order.cancelledAt) return "cancelled";
  const refunded = refundedCents(order);
  if (refunded > 0) return refundableCents(order) === 0 ? "refunded" : "partially refunded";
  return "paid";
}

/** "Ana Ruiz", or "a guest" for an order without a customer. */
export const customerFullName = (c: DemoCustomer | null | undefined) => (c ? `${c.firstName} ${c.lastName}` : "a guest");

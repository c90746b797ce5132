// Discount codes as checkout sees them: whether a code is usable by this customer now, what it takes
// off, and how an order-level amount is spread over the order's lines.
import type { FakeDiscount } from "../../dev/shopify-admin-fake";
import { fromCents, gid, toCents, type DemoLine, type DemoOrder } from "./model";

export interface DiscountCheck {
  ok: boolean;
  discount: FakeDiscount | null;
  /** Why checkout would refuse it (ok = false). */
  reason: string;
  /** "10% off", "$5.00 off", "Free shipping". */
  summary: string;
}

export function discountSummary(discount: FakeDiscount): string {
  const v = discount.value;
  if (v.kind === "percentage") return `${Math.round(v.percentage * 10000) / 100}% off`;
  if (v.kind === "fixed_amount") return `$${Number(v.amount).toFixed(2)} off`;
  return "Free shipping";
}

/**
 * Is a code usable at checkout for this customer now (exists, active, theirs, not used up)? `discount`:
 * the code's discount in the Admin API (null: none); `orders`: the shop's orders (a code's uses are the
 * orders that carry it and were not cancelled).
 */
export function checkDiscount(discount: FakeDiscount | null, orders: readonly DemoOrder[], customerId: number | null, now: Date): DiscountCheck {
  if (!discount) return { ok: false, discount: null, reason: "This discount code doesn't exist in the shop.", summary: "" };
  const summary = discountSummary(discount);
  const fail = (reason: string): DiscountCheck => ({ ok: false, discount, reason, summary });
  if (Date.parse(discount.startsAt) > now.getTime()) return fail("This code isn't active yet.");
  if (discount.endsAt && Date.parse(discount.endsAt) <= now.getTime()) return fail("This code has expired.");
  if (discount.customers !== "all" && (customerId === null || !discount.customers.includes(gid(customerId)))) {
    return fail(customerId === null ? "Sign in to use this code: it belongs to a customer account." : "This code belongs to another customer.");
  }
  const uses = orders.filter((o) => o.discountCode?.toUpperCase() === discount.code.toUpperCase() && !o.cancelledAt);
  if (discount.usageLimit !== null && uses.length >= discount.usageLimit) return fail("This code has already been used.");
  if (discount.appliesOncePerCustomer && customerId !== null && uses.some((o) => o.customerId === customerId)) return fail("You've already used this code.");
  return { ok: true, discount, reason: "", summary };
}

/** Spreads an order-level amount off over the lines in proportion to their value (cents add up exactly). */
export function allocate(totalOffCents: number, lines: DemoLine[]): void {
  const values = lines.map((l) => toCents(l.price) * l.quantity);
  const total = values.reduce((a, b) => a + b, 0);
  let left = Math.min(totalOffCents, total);
  lines.forEach((line, i) => {
    const share = i === lines.length - 1 ? left : Math.min(left, Math.round((totalOffCents * values[i]!) / total));
    line.discount = fromCents(share);
    left -= share;
  });
}

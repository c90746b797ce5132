// The codes a shopper holds and can still use, as every shopper surface lists them (storefront panel,
// thank-you and order-status blocks, the account's Rewards page). Pure: the caller passes the rows and
// the clock.
export type CodeSource = "welcome" | "redemption";

export interface HeldCode {
  code: string;
  source: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  terms: { title: string; discountType: "percentage" | "fixed_amount" | "free_shipping"; value: string; minSubtotal: string | null };
}

export interface ActiveCodeView {
  code: string;
  source: string;
  title: string;
  discountType: "percentage" | "fixed_amount" | "free_shipping";
  /** Amount off in shop money or percent; "0" for free shipping. */
  value: string;
  /** Shopify's "minimum purchase amount" (subtotal at or above it, in shop money); null when there is none. */
  minSubtotal: string | null;
  /** ISO instant: the code stops working then (the end of the shop's local day). */
  endsAt: string;
  /**
   * Whole seconds from the answer until `endsAt`, by the server's clock. A countdown runs from this
   * rather than from `endsAt` and the device's clock, which may be minutes or days off.
   */
  secondsLeft: number;
}

/** The view of one code at `now`, whatever its status (the redemption answer shows a code still being created). */
export function activeCodeView(c: HeldCode, now: Date): ActiveCodeView {
  // A minimum of 0 is no minimum: the shopper should not read "on orders of $0 or more".
  const minimum = c.terms.minSubtotal !== null && Number(c.terms.minSubtotal) > 0 ? c.terms.minSubtotal : null;
  return {
    code: c.code,
    source: c.source,
    title: c.terms.title,
    discountType: c.terms.discountType,
    value: c.terms.discountType === "free_shipping" ? "0" : c.terms.value,
    minSubtotal: minimum,
    endsAt: c.endsAt.toISOString(),
    secondsLeft: Math.max(0, Math.floor((c.endsAt.getTime() - now.getTime()) / 1000)),
  };
}

/** Started (startsAt at or before now) and not ended (endsAt after now): at endsAt itself the code no longer works. */
export function isActiveAt(c: Pick<HeldCode, "status" | "startsAt" | "endsAt">, now: Date): boolean {
  return c.status === "issued" && c.startsAt.getTime() <= now.getTime() && c.endsAt.getTime() > now.getTime();
}

/**
 * Active = created in Shopify (`issued`: a code still being created cannot be used at checkout yet),
 * already started and not yet ended. Used, expired and failed codes drop off. Soonest ending first:
 * that is the one to use; codes ending together keep one order (by code, not by locale).
 */
export function activeCodeViews(codes: readonly HeldCode[], now: Date): ActiveCodeView[] {
  return codes
    .filter((c) => isActiveAt(c, now))
    .sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime() || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((c) => activeCodeView(c, now));
}

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
  minSubtotal: string | null;
  /** ISO instant: the code stops working then (the end of the shop's local day). */
  endsAt: string;
}

/**
 * Active = created in Shopify (`issued`: a code still being created cannot be used at checkout yet),
 * already started and not yet ended. Used, expired and failed codes drop off. Soonest ending first:
 * that is the one to use.
 */
export function activeCodeViews(codes: readonly HeldCode[], now: Date): ActiveCodeView[] {
  return codes
    .filter((c) => c.status === "issued" && c.startsAt.getTime() <= now.getTime() && c.endsAt.getTime() > now.getTime())
    .sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime() || a.code.localeCompare(b.code))
    .map((c) => ({
      code: c.code,
      source: c.source,
      title: c.terms.title,
      discountType: c.terms.discountType,
      value: c.terms.discountType === "free_shipping" ? "0" : c.terms.value,
      minSubtotal: c.terms.minSubtotal,
      endsAt: c.endsAt.toISOString(),
    }));
}

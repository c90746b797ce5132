// Every kind of ledger entry, once: what it means for balances and how it reads to a merchant (admin
// pages, data exports) and to a shopper (storefront panel). A new kind is added here and nowhere else;
// the Record types below make the compiler ask for its labels.

export const ENTRY_KINDS = ["earn", "campaign_bonus", "welcome_bonus", "refund_reversal", "cancel_reversal", "redemption", "redemption_return", "manual", "expiry", "flow_adjustment"] as const;

export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Kinds whose positive points count towards "lifetime earned" (and the dashboard's points earned). */
// A Shopify Flow workflow's "Adjust loyalty points" run (reviews, birthdays): its own kind, not `manual`,
// so staff adjustments and automated ones read apart (docs/decisions/021-shopify-flow.md).
export const EARNING_KINDS: readonly EntryKind[] = ["earn", "campaign_bonus", "welcome_bonus", "manual", "flow_adjustment"];

export function isEarningKind(kind: string): boolean {
  return (EARNING_KINDS as readonly string[]).includes(kind);
}

const MERCHANT_LABELS: Record<EntryKind, string> = {
  earn: "Points earned on an order",
  campaign_bonus: "Campaign bonus",
  welcome_bonus: "Welcome bonus",
  refund_reversal: "Taken back after a refund",
  cancel_reversal: "Taken back after a cancellation",
  redemption: "Redeemed for a reward",
  redemption_return: "Returned from an unused reward",
  manual: "Manual adjustment",
  expiry: "Expired",
  flow_adjustment: "Adjusted by a Shopify Flow workflow",
};

/** Shorter, in the shopper's words: the storefront panel's history lines. */
const SHOPPER_LABELS: Record<EntryKind, string> = {
  earn: "Points for order",
  campaign_bonus: "Campaign bonus",
  welcome_bonus: "Welcome bonus",
  refund_reversal: "Refund",
  cancel_reversal: "Order cancelled",
  redemption: "Reward",
  redemption_return: "Points returned",
  manual: "Adjustment",
  expiry: "Points expired",
  flow_adjustment: "Adjustment",
};

/** What an entry kind means to a merchant; an unknown kind (a newer app version's) reads as itself. */
export function merchantEntryLabel(kind: string): string {
  return (MERCHANT_LABELS as Record<string, string>)[kind] ?? kind;
}

/** What an entry kind means to a shopper; an unknown kind reads as itself. */
export function shopperEntryLabel(kind: string): string {
  return (SHOPPER_LABELS as Record<string, string>)[kind] ?? kind;
}

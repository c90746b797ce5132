// The answer of /extension-api/thank-you and /extension-api/order-status, as the UI extensions read it
// (extensions/order-earnings-ui imports these types). Plain types, no imports: the extensions'
// TypeScript programs include this file.
export type EarningsStatus = "applied" | "preview" | "pending";

export interface WelcomeCodeView {
  /** null until the code exists in Shopify (it cannot be used before). */
  code: string | null;
  discountType: "percentage" | "fixed_amount" | "free_shipping";
  value: string;
  minSubtotal: string | null;
  /** ISO instant the code stops working (end of the shop's local day). */
  endsAt: string;
}

export interface OrderEarnings {
  status: EarningsStatus;
  /** Nothing more is on its way: the extension stops asking. */
  settled: boolean;
  signedIn: boolean;
  /** The shop's currency: points and code values are in shop money. */
  currency: string;
  order: {
    points: number;
    basePoints: number;
    bonusPoints: number;
    /** pending until the program's pending period ends, then available; none when the order earns nothing. */
    state: "pending" | "available" | "none";
    availableAt: string | null;
    /** Why the order earns nothing (program_paused, below_minimum, …), or null. */
    skipReason: string | null;
  } | null;
  welcome: {
    bonusPoints: number;
    /** expected: the first-order check has not run yet (or this is a preview); granted: in the ledger. */
    state: "expected" | "granted";
    code: WelcomeCodeView | null;
  } | null;
  balance: {
    available: number;
    pending: number;
    nextReward: { name: string; pointsCost: number; pointsNeeded: number } | null;
  } | null;
}

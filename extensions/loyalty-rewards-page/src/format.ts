// How the Rewards page and the profile block say numbers, money and dates: through `shopify.i18n`, in
// the customer's locale, with the extension's own translations (locales/*.json).
// https://shopify.dev/docs/apps/build/customer-accounts/localization/localize
import type { AccountSummary, ActiveCode, HistoryEntry, Reward } from "./account-api";

export interface I18nLike {
  translate: (key: string, options?: Record<string, string | number>) => string;
  formatNumber: (n: number, options?: Intl.NumberFormatOptions) => string;
  formatCurrency: (n: number, options?: Intl.NumberFormatOptions) => string;
  formatDate: (d: Date, options?: Intl.DateTimeFormatOptions) => string;
}

export function points(i18n: I18nLike, count: number): string {
  return i18n.translate("points", { count, points: i18n.formatNumber(count) });
}

/** "€5.00 off", "10% off", "Free shipping": the same words for a reward and for a code it gave. */
export function discountValue(i18n: I18nLike, terms: Pick<Reward, "discountType" | "value">, currencyCode: string): string {
  if (terms.discountType === "free_shipping") return i18n.translate("discount.freeShipping");
  const value = Number(terms.value);
  if (terms.discountType === "percentage") return i18n.translate("discount.percentOff", { percent: i18n.formatNumber(value, { maximumFractionDigits: 2 }) });
  return i18n.translate("discount.amountOff", { amount: i18n.formatCurrency(value, { currency: currencyCode }) });
}

export function minimumSpend(i18n: I18nLike, code: ActiveCode, currencyCode: string): string {
  if (!code.minSubtotal || Number(code.minSubtotal) <= 0) return i18n.translate("codes.noMinimum");
  return i18n.translate("codes.minimum", { amount: i18n.formatCurrency(Number(code.minSubtotal), { currency: currencyCode }) });
}

/** A code works until the end of a day in the shop's time zone: that day, said in the customer's language. */
export function endDate(i18n: I18nLike, code: Pick<ActiveCode, "endsAt">, summary: Pick<AccountSummary, "timeZone">): string {
  return i18n.formatDate(new Date(code.endsAt), { dateStyle: "long", timeZone: summary.timeZone });
}

export function historyDate(i18n: I18nLike, entry: HistoryEntry, summary: Pick<AccountSummary, "timeZone">): string {
  return i18n.formatDate(new Date(entry.at), { dateStyle: "medium", timeZone: summary.timeZone });
}

const KNOWN_KINDS = ["earn", "campaign_bonus", "welcome_bonus", "refund_reversal", "cancel_reversal", "redemption", "redemption_return", "manual", "expiry"];

/** "Points for order #1001", "Reward: €5 off": the kind in the customer's language, then the order or reward. */
export function historyReason(i18n: I18nLike, entry: HistoryEntry): string {
  // A kind this build does not know (a newer backend's) reads as the backend's English description.
  if (!KNOWN_KINDS.includes(entry.kind)) return entry.description;
  const label = i18n.translate(`history.kind.${entry.kind}`);
  return entry.detail ? i18n.translate("history.withDetail", { label, detail: entry.detail }) : label;
}

export function signedPoints(i18n: I18nLike, n: number): string {
  return i18n.formatNumber(n, { signDisplay: "always" });
}

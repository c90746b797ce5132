// Display helpers shared by the admin pages (server and browser): numbers, money, dates in the
// shop's time zone. What each ledger entry kind means: app/domain/entry-kinds.ts.
import { gidNumber } from "../shopify/gid";

export function formatNumber(value: number): string {
  return value.toLocaleString("en-US");
}

export function formatPoints(value: number, signed = false): string {
  const text = Math.abs(value).toLocaleString("en-US");
  const sign = value < 0 ? "−" : signed && value > 0 ? "+" : "";
  return `${sign}${text}`;
}

/** 0.4231 → "42.3%"; null → "—" (nothing to divide by). */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  return `${(ratio * 100).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
}

/**
 * "19.99" in USD → "$19.99". Intl formats the decimal string itself (no float conversion), so an
 * amount is shown exactly as stored.
 */
export function formatCurrency(amount: string, currencyCode: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(amount as unknown as number);
  } catch {
    return `${amount} ${currencyCode}`;
  }
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", withTime ? { timeZone, dateStyle: "medium", timeStyle: "short" } : { timeZone, dateStyle: "medium" });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** "Nov 23, 2026, 9:44 AM" in the shop's zone. */
export function formatDateTime(instant: Date | string | null, timeZone: string): string {
  if (instant === null) return "—";
  return dateTimeFormat(timeZone, true).format(typeof instant === "string" ? new Date(instant) : instant);
}

export function formatDate(instant: Date | string | null, timeZone: string): string {
  if (instant === null) return "—";
  return dateTimeFormat(timeZone, false).format(typeof instant === "string" ? new Date(instant) : instant);
}

/** "GMT-5"-style label of the zone at an instant, for "times are in …" hints. */
export function timeZoneLabel(timeZone: string, at = new Date()): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "shortOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName");
  return `${timeZone.replace(/_/g, " ")} (${part?.value ?? "UTC"})`;
}

/** Opens the order in Shopify admin (App Bridge navigates the top frame). */
export function adminOrderUrl(orderGid: string): string | null {
  const id = gidNumber(orderGid);
  return id ? `shopify://admin/orders/${id}` : null;
}

export function adminCustomerUrl(customerGid: string): string | null {
  const id = gidNumber(customerGid);
  return id ? `shopify://admin/customers/${id}` : null;
}

export function customerDisplayName(customer: { firstName: string | null; lastName: string | null; email: string | null; redactedAt?: Date | string | null }): string {
  if (customer.redactedAt) return "Redacted customer";
  const name = [customer.firstName, customer.lastName].filter((part) => part && part.trim() !== "").join(" ");
  return name || customer.email || "Unnamed customer";
}

/** "$" for USD, "€" for EUR: the prefix of money fields. */
export function currencySymbol(currencyCode: string): string {
  try {
    const part = new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode, currencyDisplay: "narrowSymbol" }).formatToParts(0).find((p) => p.type === "currency");
    return part?.value ?? currencyCode;
  } catch {
    return currencyCode;
  }
}

/** "1 order", "2 orders". */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

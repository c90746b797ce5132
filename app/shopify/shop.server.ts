// The shop's own settings the app needs (name, time zone, currency). Sent through ./admin-client.server.
import { ADMIN_OPERATION_NAMES } from "./admin-documents";
import { adminRequest, isRecord, stringifyShort, type AdminCallOptions, type AdminGraphql } from "./admin-client.server";
import { AdminPermanentError } from "./admin-errors";
import { CURRENCY_CODE } from "./admin-input";

export interface ShopInfo {
  /** The shop's display name. */
  name: string;
  /** IANA time zone, e.g. "Europe/Paris" (Shop.ianaTimezone). */
  ianaTimezone: string;
  /** ISO 4217 code of the currency the shop sells in, e.g. "EUR" (Shop.currencyCode, enum CurrencyCode). */
  currencyCode: string;
}

/**
 * `shop { name ianaTimezone currencyCode }`. No access scope needed.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/shop
 */
export async function getShopInfo(client: AdminGraphql, options: AdminCallOptions = {}): Promise<ShopInfo> {
  const operation = ADMIN_OPERATION_NAMES.shopInfo;
  const { data, cost } = await adminRequest(client, "shopInfo", {}, options);
  const shop = isRecord(data.shop) ? data.shop : null;
  if (!shop || typeof shop.name !== "string" || typeof shop.ianaTimezone !== "string" || shop.ianaTimezone === "" || typeof shop.currencyCode !== "string" || !CURRENCY_CODE.test(shop.currencyCode)) {
    throw new AdminPermanentError(`${operation}: unexpected shop in the answer: ${stringifyShort(data.shop)}`, { operation, cost });
  }
  return { name: shop.name, ianaTimezone: shop.ianaTimezone, currencyCode: shop.currencyCode };
}

// Checks of the values the Admin operation files (discounts, customers, metafields, shop,
// program-metafield) send or accept. A failed check is an AdminInvalidInputError: nothing is sent.
import { AdminInvalidInputError } from "./admin-errors";

export const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d+$/;
export const APP_INSTALLATION_GID = /^gid:\/\/shopify\/AppInstallation\/\d+$/;
/** A value of the Admin API's CurrencyCode enum: ISO 4217 letters ("EUR"), plus "USDC" (2025-10 to 2026-07). */
export const CURRENCY_CODE = /^[A-Z]{3,4}$/;
/** 2025-11-02T10:00:00Z / 2025-11-02T10:00:00.000+01:00 (what Date#toISOString and Shopify's DateTime produce). */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
export const DECIMAL = /^\d+(\.\d+)?$/;

export function assertCustomerGid(gid: string, fn: string): void {
  if (typeof gid !== "string" || !CUSTOMER_GID.test(gid)) {
    throw new AdminInvalidInputError(`${fn}: expected a customer GID like gid://shopify/Customer/123, got ${JSON.stringify(gid)}`);
  }
}

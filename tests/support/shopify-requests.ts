// Requests as Shopify sends them, signed with Shopify's own test helpers.
import { getHmac, setUpValidRequest, setUpValidSession, RequestType } from "@shopify/shopify-api/test-helpers";
import type { Session } from "@shopify/shopify-api";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_SHOP } from "./test-env";

let sequence = 0;

export interface WebhookOptions {
  shop?: string;
  webhookId?: string;
  eventId?: string;
  /** Sign with another secret: what a forger without our secret would send. */
  secret?: string;
  apiVersion?: string;
}

/** Shopify's webhook headers for `body`, signed with X-Shopify-Hmac-Sha256 (for Request or fetch). */
export function webhookHeaders(topic: string, body: string, options: WebhookOptions = {}): Record<string, string> {
  const webhookId = options.webhookId ?? `wh-${Date.now()}-${process.pid}-${++sequence}`;
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": options.shop ?? TEST_SHOP,
    "X-Shopify-Api-Version": options.apiVersion ?? "2025-10",
    "X-Shopify-Webhook-Id": webhookId,
    "X-Shopify-Event-Id": options.eventId ?? `ev-${webhookId}`,
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Hmac-Sha256": getHmac(body, options.secret ?? TEST_API_SECRET),
  };
}

/** A webhook delivery as the route receives it. */
export function webhookRequest(topic: string, payload: unknown, options: WebhookOptions = {}): Request {
  const body = JSON.stringify(payload);
  return new Request(`${TEST_APP_URL}/webhooks/${topic}`, { method: "POST", body, headers: webhookHeaders(topic, body, options) });
}

/** An embedded admin document request carrying a valid session token (id_token), as App Bridge sends. */
export async function adminRequest(path: string, init: RequestInit = {}, shop = TEST_SHOP): Promise<Request> {
  return setUpValidRequest(
    { type: RequestType.Admin, store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET },
    new Request(`${TEST_APP_URL}${path}`, init),
  );
}

/** A fetch from the embedded app with `Authorization: Bearer <session token>`. */
export async function bearerRequest(path: string, init: RequestInit = {}, shop = TEST_SHOP): Promise<Request> {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET },
    new Request(`${TEST_APP_URL}${path}`, init),
  );
}

/** An app-proxy request signed the way Shopify signs them. */
export async function appProxyRequest(path: string, init: RequestInit = {}, shop = TEST_SHOP): Promise<Request> {
  return setUpValidRequest(
    { type: RequestType.Public, store: shop.replace(".myshopify.com", ""), apiSecretKey: TEST_API_SECRET },
    new Request(`${TEST_APP_URL}${path}`, init),
  );
}

/** The offline session token exchange would have stored after install. */
export function offlineSession(shop = TEST_SHOP): Session {
  return setUpValidSession({ shop, isOnline: false, id: `offline_${shop}`, expires: undefined as unknown as Date, accessToken: "shpat_test_token", scope: "read_orders,read_customers,write_customers,write_discounts,write_app_proxy" });
}

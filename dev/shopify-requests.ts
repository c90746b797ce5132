// Requests as Shopify sends them, signed with Shopify's own test helpers.
import { getHmac, setUpValidRequest, setUpValidSession, RequestType } from "@shopify/shopify-api/test-helpers";
import type { Session } from "@shopify/shopify-api";
import { TEST_API_KEY, TEST_API_SECRET, TEST_APP_URL, TEST_SHOP } from "./harness/test-env";
import { PINNED_API_VERSION } from "../app/shopify/api-version";

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
    "X-Shopify-Api-Version": options.apiVersion ?? PINNED_API_VERSION,
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
  return setUpValidRequest({ type: RequestType.Admin, store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET }, new Request(`${TEST_APP_URL}${path}`, init));
}

/** A fetch from the embedded app with `Authorization: Bearer <session token>`. */
export async function bearerRequest(path: string, init: RequestInit = {}, shop = TEST_SHOP): Promise<Request> {
  return setUpValidRequest({ type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: TEST_API_KEY, apiSecretKey: TEST_API_SECRET }, new Request(`${TEST_APP_URL}${path}`, init));
}

/** An app-proxy request signed the way Shopify signs them. */
export async function appProxyRequest(path: string, init: RequestInit = {}, shop = TEST_SHOP): Promise<Request> {
  return setUpValidRequest({ type: RequestType.Public, store: shop.replace(".myshopify.com", ""), apiSecretKey: TEST_API_SECRET }, new Request(`${TEST_APP_URL}${path}`, init));
}

export const TEST_SCOPES = "read_orders,read_customers,write_customers,write_discounts,write_app_proxy";

/**
 * The offline session token exchange stores after install: an expiring access token (60 minutes, as
 * Shopify issues them) with its refresh token. `expiresInMs` shortens it for renewal tests.
 */
export function offlineSession(shop = TEST_SHOP, options: { expiresInMs?: number; accessToken?: string; refreshToken?: string } = {}): Session {
  const now = Date.now();
  return setUpValidSession({
    shop,
    isOnline: false,
    id: `offline_${shop}`,
    expires: new Date(now + (options.expiresInMs ?? 3_600_000)),
    accessToken: options.accessToken ?? "shpat_test_token",
    refreshToken: options.refreshToken ?? "shprt_test_refresh",
    refreshTokenExpires: new Date(now + 90 * 86_400_000),
    scope: TEST_SCOPES,
  });
}

/** A session from before expiring tokens: a non-expiring access token, no refresh token. */
export function legacyOfflineSession(shop = TEST_SHOP, accessToken = "shpat_legacy_token"): Session {
  return setUpValidSession({ shop, isOnline: false, id: `offline_${shop}`, expires: undefined as unknown as Date, accessToken, scope: TEST_SCOPES });
}

/** The offline session's row as PrismaSessionStorage stores it (for tests that write the database directly). */
export function offlineSessionRow(session: Session) {
  return {
    id: session.id,
    shop: session.shop,
    state: "",
    isOnline: false,
    scope: session.scope ?? null,
    accessToken: session.accessToken!,
    expires: session.expires ?? null,
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpires: session.refreshTokenExpires ?? null,
  };
}

/** The tokens the Admin fake must know for `session` (addShop's token options). */
export function fakeShopTokens(session: Session): { accessToken: string; refreshToken?: string; accessTokenExpiresAt?: number } {
  return {
    accessToken: session.accessToken!,
    ...(session.refreshToken ? { refreshToken: session.refreshToken } : {}),
    ...(session.expires ? { accessTokenExpiresAt: session.expires.getTime() } : {}),
  };
}

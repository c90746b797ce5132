// Session tokens as Shopify admin issues them to an embedded app (App Bridge's `shopify.idToken()`):
// an HS256 JWT signed with the app's client secret, the same claims as `getJwt` in
// @shopify/shopify-api/test-helpers. https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens
import { createHmac, randomUUID } from "node:crypto";
import { DEMO_SHOP, DEMO_STAFF_USER_ID } from "./config";

export interface SessionTokenOptions {
  apiKey: string;
  apiSecret: string;
  shop?: string;
  userId?: string;
  /** Seconds since the epoch (default: now). */
  now?: number;
  /** Lifetime in seconds; Shopify's are one minute. */
  ttl?: number;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function signSessionToken(options: SessionTokenOptions): { token: string; expiresAt: number } {
  const shop = options.shop ?? DEMO_SHOP;
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const exp = now + (options.ttl ?? 60);
  const payload = {
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: options.apiKey,
    sub: options.userId ?? DEMO_STAFF_USER_ID,
    exp,
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: `demo-session-${shop}`,
  };
  const unsigned = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(payload))}`;
  const signature = createHmac("sha256", options.apiSecret).update(unsigned).digest("base64url");
  return { token: `${unsigned}.${signature}`, expiresAt: exp };
}

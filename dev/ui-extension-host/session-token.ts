// Session tokens as Shopify gives them to checkout and customer-account UI extensions
// (shopify.sessionToken.get()): an HS256 JWT signed with the app's client secret, 5 minutes long, whose
// `dest` names the shop and whose `sub` is the customer's GID when someone is signed in (absent for a
// guest). Signed with Shopify's own test helper (getJwt), claims overridden to the extension's.
// https://shopify.dev/docs/api/checkout-ui-extensions/latest/target-apis/platform-apis/session-token-api
// https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/session-token-api
import { randomUUID } from "node:crypto";
import { getJwt } from "@shopify/shopify-api/test-helpers";

export interface ExtensionTokenOptions {
  /** example.myshopify.com */
  shop: string;
  apiKey: string;
  /** The app's client secret, or another one: what a forger would sign with. */
  secret: string;
  /** gid://shopify/Customer/<id>, or null/undefined for a guest (no `sub`). */
  customerGid?: string | null;
  /** Lifetime in seconds (Shopify's: 300). Negative: already expired. */
  ttlSeconds?: number;
  /** Seconds since the epoch (default: now). */
  now?: number;
}

export async function extensionSessionToken(options: ExtensionTokenOptions): Promise<{ token: string; expiresAt: number }> {
  const now = Math.floor(options.now ?? Date.now() / 1000);
  const ttl = options.ttlSeconds ?? 300;
  const exp = now + ttl;
  const claims: Record<string, unknown> = {
    iss: `https://${options.shop}`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    // Present and undefined overrides getJwt's default `sub`; JSON then leaves the claim out (a guest).
    sub: options.customerGid ?? undefined,
    exp,
    // An expired token was also issued in the past, so only `exp` is what refuses it.
    nbf: Math.min(now, exp) - 5,
    iat: Math.min(now, exp) - 5,
    jti: randomUUID(),
    sid: randomUUID(),
  };
  const store = options.shop.replace(/\.myshopify\.com$/, "");
  const { token } = await getJwt(store, options.apiKey, options.secret, claims);
  return { token, expiresAt: exp };
}

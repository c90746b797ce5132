// Who is asking, for the checkout and customer-account UI extensions (thank-you and order-status
// blocks, the account's Rewards page). The extension sends its Shopify session token as a bearer
// token; Shopify's library checks the signature (the app's secret) and expiry. The shop comes from
// `dest` and the customer ONLY from `sub`: nothing the extension puts in the URL or body names them.
// https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/session-token
// https://shopify.dev/docs/api/customer-account-ui-extensions/latest/apis/session-token
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { shopByDomain } from "../features/shopper/summary.server";
import { jsonResponse } from "../platform/http.server";

export type ExtensionSurface = "checkout" | "customer_account";

export interface ExtensionIdentity {
  shopId: string;
  shopDomain: string;
  /** The shop's currency and time zone: points are in shop money, code end dates are shop-local days. */
  currencyCode: string;
  ianaTimezone: string;
  /** gid://shopify/Customer/<id>, or null (a guest at checkout). */
  customerGid: string | null;
  /** The token's `jti`: the same token is sent again while Shopify's cache keeps it (replay guards key on it). */
  tokenId: string | null;
  /** Adds the CORS headers Shopify's extension sandbox needs (its origin is not the app's). */
  cors: (response: Response) => Response;
}

const claims = z.object({
  dest: z.string().transform((d) => d.replace(/^https?:\/\//, "").replace(/\/.*$/, "")),
  sub: z
    .string()
    .regex(/^gid:\/\/shopify\/Customer\/\d{1,20}$/)
    .optional()
    .catch(undefined),
  jti: z.string().min(1).max(128).optional().catch(undefined),
});

function withCors(response: Response): Response {
  // Error answers need the headers too, or the extension sees a network error instead of the status.
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", "*");
  headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Throws a Response (with CORS headers) when the token is missing, forged, expired or names a shop
 * that has not installed the app; answers an OPTIONS preflight with 204. `requireCustomer`: the
 * surface needs a signed-in customer (customer accounts always have one).
 */
export async function authenticateExtension(request: Request, surface: ExtensionSurface, options: { requireCustomer?: boolean } = {}): Promise<ExtensionIdentity> {
  let context;
  try {
    context = surface === "checkout" ? await authenticate.public.checkout(request) : await authenticate.public.customerAccount(request);
  } catch (thrown) {
    if (thrown instanceof Response) throw withCors(thrown);
    throw thrown;
  }
  const parsed = claims.safeParse(context.sessionToken);
  if (!parsed.success) throw withCors(jsonResponse({ error: "invalid session token" }, { status: 401 }));
  const shop = await shopByDomain(parsed.data.dest);
  if (!shop || shop.uninstalledAt) throw withCors(jsonResponse({ error: "this shop has no rewards program" }, { status: 404 }));
  const customerGid = parsed.data.sub ?? null;
  if (options.requireCustomer && !customerGid) throw withCors(jsonResponse({ error: "sign in to see your rewards" }, { status: 401 }));
  return { shopId: shop.id, shopDomain: shop.domain, currencyCode: shop.currencyCode, ianaTimezone: shop.ianaTimezone, customerGid, tokenId: parsed.data.jti ?? null, cors: withCors };
}

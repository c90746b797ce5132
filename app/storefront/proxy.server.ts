// The storefront's live data and redemption, reached through Shopify's app proxy
// (`/apps/loyalty/*` -> `/proxy/*`). Shopify signs every proxied request and adds
// `logged_in_customer_id`; that parameter is the ONLY source of the shopper's identity.
// https://shopify.dev/docs/apps/build/online-store/display-dynamic-data#security
// Data access: Prisma models.
import { z } from "zod";
import prisma from "../db.server";
import { authenticate } from "../shopify.server";
import { jsonResponse } from "../platform/http.server";
import { codeTerms } from "../features/codes/codes.server";
import { activeCodeView } from "../domain/shopper-codes";
import { shopByDomain, shopperSummary, type ShopperSummary } from "../features/shopper/summary.server";
import { redeemForShopper, redeemRefusal } from "../features/codes/shopper-redeem.server";
import { createCodeNow } from "../worker/run-now.server";

export interface ProxyIdentity {
  shopDomain: string;
  /** gid://shopify/Customer/<id>, or null when nobody is logged in. */
  customerGid: string | null;
  signature: string;
}

export { REDEEM_LIMIT_PER_MINUTE } from "../features/codes/redeem-requests.server";

/**
 * Verifies the request with Shopify's library (signature over the sorted parameters, timestamp within
 * 90 s). The library version that runs on Node 20 joins a repeated parameter's values before signing,
 * so `logged_in_customer_id=1&logged_in_customer_id=2` could ride on a signature made for "1,2": any
 * repeated parameter is refused here first.
 */
export async function authenticateProxy(request: Request): Promise<ProxyIdentity> {
  const url = new URL(request.url);
  const keys = [...url.searchParams.keys()];
  const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (repeated.length > 0) throw jsonResponse({ error: `repeated parameter: ${[...new Set(repeated)].join(", ")}` }, 400);
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response) throw jsonResponse({ error: "invalid signature" }, thrown.status === 400 ? 401 : thrown.status);
    throw thrown;
  }
  const shopDomain = url.searchParams.get("shop") ?? "";
  const customer = url.searchParams.get("logged_in_customer_id");
  return {
    shopDomain,
    customerGid: customer && /^\d+$/.test(customer) ? `gid://shopify/Customer/${customer}` : null,
    signature: url.searchParams.get("signature") ?? "",
  };
}

/** GET /apps/loyalty/balance: the shopper summary every surface shares. */
export async function storefrontBalance(identity: ProxyIdentity): Promise<ShopperSummary | null> {
  const shop = await shopByDomain(identity.shopDomain);
  if (!shop || !identity.customerGid) return null;
  return shopperSummary(shop.id, identity.customerGid);
}

export const redeemBody = z.object({ rewardId: z.string().min(1).max(64) });

/** POST /apps/loyalty/redeem */
export async function storefrontRedeem(identity: ProxyIdentity & { customerGid: string }, body: z.infer<typeof redeemBody>): Promise<Response> {
  const shop = await prisma.shop.findUnique({ where: { domain: identity.shopDomain } });
  if (!shop) return jsonResponse({ ok: false, reason: "unknown_shop", message: "This shop has no rewards program." }, 404);
  // A signed URL is good for 90 s; each may be served once. The rate limit is shared with the account page.
  const result = await redeemForShopper(prisma, { shopId: shop.id, customerGid: identity.customerGid, rewardId: body.rewardId, requestKey: identity.signature }, createCodeNow);
  if (!result.ok) return redeemRefusal(result);
  return jsonResponse({
    ok: true,
    code: result.code.code,
    status: result.code.status,
    endsAt: result.code.endsAt.toISOString(),
    // Shopify's shareable discount link: the code is applied to the shopper's cart, then the redirect
    // (https://help.shopify.com/en/manual/discounts/managing-discount-codes, "Promote a discount using a shareable link").
    applyUrl: `/discount/${encodeURIComponent(result.code.code)}?redirect=/cart`,
    balance: result.balance,
    // The new code as the balance answer lists it, so the panel adds it to "Your codes" without asking again.
    // Shown even while still being created (status "creating"): the worker finishes it within seconds.
    activeCode: activeCodeView({ ...result.code, terms: codeTerms(result.code) }, new Date()),
  });
}

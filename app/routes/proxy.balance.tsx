import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "../platform/http.server";
import { authenticateProxy, storefrontBalance } from "../storefront/proxy.server";

// GET /apps/loyalty/balance (Shopify's app proxy forwards it here, signed).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const identity = await authenticateProxy(request);
  const balance = identity.customerGid ? await storefrontBalance(identity) : null;
  if (!balance) return jsonResponse({ loggedIn: false, message: "Sign in to see your points." }, 401);
  return jsonResponse(balance, { headers: { "Cache-Control": "private, no-store" } });
};

import type { ActionFunctionArgs } from "@remix-run/node";
import { jsonResponse } from "../platform/http.server";
import { authenticateProxy, redeemBody, storefrontRedeem } from "../storefront/proxy.server";

// POST /apps/loyalty/redeem {"rewardId": "..."}: the customer is the signed logged_in_customer_id, never the body.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return jsonResponse({ ok: false, reason: "method_not_allowed", message: "Use POST." }, 405);
  const identity = await authenticateProxy(request);
  if (!identity.customerGid) return jsonResponse({ ok: false, reason: "not_logged_in", message: "Sign in to redeem your points." }, 401);
  // JSON only: a cross-site form post cannot send application/json without a CORS preflight.
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) {
    return jsonResponse({ ok: false, reason: "unsupported_media_type", message: "Send JSON." }, 415);
  }
  const body = redeemBody.safeParse(await request.json().catch(() => null));
  if (!body.success) return jsonResponse({ ok: false, reason: "invalid_request", message: "Choose a reward to redeem." }, 400);
  return storefrontRedeem({ ...identity, customerGid: identity.customerGid }, body.data);
};

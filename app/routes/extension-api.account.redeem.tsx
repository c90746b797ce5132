import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticateExtension } from "../extension-api/identity.server";
import { accountRedeem, accountRedeemBody } from "../extension-api/account.server";
import { jsonResponse } from "../platform/http.server";

// POST /extension-api/account/redeem {"rewardId", "requestId"} from the Rewards page. The customer is the
// session token's `sub`; a customer id in the body is not read. OPTIONS (CORS preflight) is answered 204.
export const action = async ({ request }: ActionFunctionArgs) => {
  const identity = await authenticateExtension(request, "customer_account", { requireCustomer: true });
  const customerGid = identity.customerGid!;
  if (request.method !== "POST") return identity.cors(jsonResponse({ ok: false, reason: "method_not_allowed", message: "Use POST." }, { status: 405, headers: { Allow: "POST, OPTIONS" } }));
  // JSON only, as the storefront proxy.
  if (!(request.headers.get("Content-Type") ?? "").startsWith("application/json")) {
    return identity.cors(jsonResponse({ ok: false, reason: "unsupported_media_type", message: "Send JSON." }, 415));
  }
  // Two short ids: anything near a kilobyte is not from the page (the server-wide body cap is issue 20's).
  if (Number(request.headers.get("Content-Length") ?? "0") > 1024) return identity.cors(jsonResponse({ ok: false, reason: "too_large", message: "Request too large." }, 413));
  const body = accountRedeemBody.safeParse(await request.json().catch(() => null));
  if (!body.success) return identity.cors(jsonResponse({ ok: false, reason: "invalid_request", message: "Choose a reward to redeem." }, 400));
  return identity.cors(await accountRedeem({ ...identity, customerGid }, body.data));
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const identity = await authenticateExtension(request, "customer_account", { requireCustomer: true });
  return identity.cors(jsonResponse({ ok: false, reason: "method_not_allowed", message: "Use POST." }, { status: 405, headers: { Allow: "POST, OPTIONS" } }));
};

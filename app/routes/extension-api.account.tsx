import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticateExtension } from "../extension-api/identity.server";
import { accountSummary } from "../extension-api/account.server";
import { jsonResponse } from "../platform/http.server";

// GET /extension-api/account: the Rewards page and the profile block (customer-account UI extensions).
// The customer is the session token's `sub`, never a parameter.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const identity = await authenticateExtension(request, "customer_account", { requireCustomer: true });
  const summary = await accountSummary({ ...identity, customerGid: identity.customerGid! });
  return identity.cors(jsonResponse(summary, { headers: { "Cache-Control": "private, no-store" } }));
};

// The sandbox's CORS preflight (OPTIONS) reaches the action; authenticateExtension answers it with 204.
export const action = async ({ request }: ActionFunctionArgs) => {
  const identity = await authenticateExtension(request, "customer_account", { requireCustomer: true });
  return identity.cors(jsonResponse({ ok: false, reason: "method_not_allowed", message: "Use GET." }, { status: 405, headers: { Allow: "GET, OPTIONS" } }));
};

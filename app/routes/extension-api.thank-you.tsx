import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticateExtension } from "../extension-api/identity.server";
import { thankYouInput } from "../extension-api/checkout-input";
import { answer, readJsonBody } from "../extension-api/request.server";
import { thankYouEarnings, UnknownOrder } from "../extension-api/order-earnings.server";

// POST /extension-api/thank-you {"orderId", "checkout"?}: what this order earns, from the thank-you block
// (purchase.thank-you.block.render) with its checkout session token. OPTIONS is the CORS preflight
// (answered by Shopify's library inside authenticateExtension).
export const action = async ({ request }: ActionFunctionArgs) => {
  const identity = await authenticateExtension(request, "checkout");
  if (request.method !== "POST") return answer(identity, { error: "use POST" }, 405);
  const body = await readJsonBody(request, thankYouInput, identity);
  if (!body.ok) return body.response;
  try {
    const shop = { id: identity.shopId, currencyCode: identity.currencyCode, ianaTimezone: identity.ianaTimezone };
    return answer(identity, await thankYouEarnings(shop, identity.customerGid, body.data.orderId, body.data.checkout));
  } catch (error) {
    if (error instanceof UnknownOrder) return answer(identity, { error: "unknown order" }, 404);
    throw error;
  }
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const identity = await authenticateExtension(request, "checkout");
  return answer(identity, { error: "use POST" }, 405);
};

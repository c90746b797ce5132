import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { authenticateExtension } from "../extension-api/identity.server";
import { orderIdInput } from "../extension-api/checkout-input";
import { answer } from "../extension-api/request.server";
import { orderStatusEarnings, UnknownOrder } from "../extension-api/order-earnings.server";

// GET /extension-api/order-status?orderId=gid://shopify/Order/…: what this order earned, from the
// order-status block (customer-account.order-status.block.render) with its customer-account session
// token. Customer accounts always have a signed-in customer (sub).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const identity = await authenticateExtension(request, "customer_account", { requireCustomer: true });
  const orderId = orderIdInput.safeParse(new URL(request.url).searchParams.get("orderId"));
  if (!orderId.success) return answer(identity, { error: "orderId must be an order GID" }, 400);
  try {
    const shop = { id: identity.shopId, currencyCode: identity.currencyCode, ianaTimezone: identity.ianaTimezone };
    return answer(identity, await orderStatusEarnings(shop, identity.customerGid!, orderId.data));
  } catch (error) {
    if (error instanceof UnknownOrder) return answer(identity, { error: "unknown order" }, 404);
    throw error;
  }
};

// Remix sends every method but GET and HEAD to the action: OPTIONS (the preflight, answered inside
// authenticateExtension with CORS headers) and anything else, which is refused.
export const action = async ({ request }: ActionFunctionArgs) => {
  const identity = await authenticateExtension(request, "customer_account");
  return answer(identity, { error: "use GET" }, 405);
};

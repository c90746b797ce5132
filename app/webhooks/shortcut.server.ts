// The production server's shortcut for webhook deliveries (server.mjs, docs/decisions/009): a POST to
// /webhooks/<topic> goes straight to receiveWebhook, without express and Remix's router, which cost
// more than the delivery's own work. The route files (webhooks.orders.paid.tsx, ...) remain the
// declaration of each endpoint and serve `shopify app dev`; both paths call the same receiveWebhook.
import { receiveWebhook } from "./receive.server";
import { WEBHOOK_HANDLERS } from "./handlers.server";

const PREFIX = "/webhooks/";

/** The topic's handler when `pathname` is one of the app's webhook endpoints (/webhooks/orders/paid). */
export function webhookHandlerForPath(pathname: string) {
  return pathname.startsWith(PREFIX) ? (WEBHOOK_HANDLERS[pathname.slice(PREFIX.length)] ?? null) : null;
}

/** Answers a webhook delivery, or returns null when the request is not one (Remix serves it then). */
export function handleWebhookRequest(request: Request): Promise<Response> | null {
  if (request.method !== "POST") return null;
  const handler = webhookHandlerForPath(new URL(request.url).pathname);
  return handler ? receiveWebhook(request, handler) : null;
}

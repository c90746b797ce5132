// The production server's shortcut for webhook deliveries (server.mjs, docs/decisions/009): a POST to
// /webhooks/<topic> goes straight to answerWebhook, without express, Remix's router and Fetch API
// objects, which cost more than the delivery's own work. The route files (webhooks.orders.paid.tsx, ...) remain the
// declaration of each endpoint and serve `shopify app dev`; both paths call the same answerWebhook.
import { answerWebhook, type WebhookAnswer, type WebhookDelivery } from "./receive.server";
import { WEBHOOK_HANDLERS } from "./handlers.server";

const PREFIX = "/webhooks/";

/** The topic's handler when `pathname` is one of the app's webhook endpoints (/webhooks/orders/paid). */
export function webhookHandlerForPath(pathname: string) {
  return pathname.startsWith(PREFIX) ? (WEBHOOK_HANDLERS[pathname.slice(PREFIX.length)] ?? null) : null;
}

/** Answers a delivery to one of the webhook endpoints (server.mjs checked the path first). */
export function answerWebhookDelivery(pathname: string, delivery: WebhookDelivery): Promise<WebhookAnswer> {
  const handler = webhookHandlerForPath(pathname);
  if (!handler) return Promise.resolve({ status: 404, body: { error: "no such webhook endpoint" } });
  return answerWebhook(delivery, handler);
}

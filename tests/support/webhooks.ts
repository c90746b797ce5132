// Sending signed webhooks through the real route modules.
import * as ordersPaid from "../../app/routes/webhooks.orders.paid";
import * as ordersCancelled from "../../app/routes/webhooks.orders.cancelled";
import * as refundsCreate from "../../app/routes/webhooks.refunds.create";
import * as customersRedact from "../../app/routes/webhooks.customers.redact";
import * as customersDataRequest from "../../app/routes/webhooks.customers.data_request";
import * as shopRedact from "../../app/routes/webhooks.shop.redact";
import * as appUninstalled from "../../app/routes/webhooks.app.uninstalled";
import { callAction } from "./app";
import { webhookRequest, type WebhookOptions } from "./shopify-requests";

const routes = {
  "orders/paid": ordersPaid,
  "orders/cancelled": ordersCancelled,
  "refunds/create": refundsCreate,
  "customers/redact": customersRedact,
  "customers/data_request": customersDataRequest,
  "shop/redact": shopRedact,
  "app/uninstalled": appUninstalled,
} as const;

export type Topic = keyof typeof routes;

export async function sendWebhook(topic: Topic, payload: unknown, options: WebhookOptions = {}): Promise<{ status: number; body: any }> {
  const response = await callAction(routes[topic], webhookRequest(topic, payload, options));
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body };
}

// Sending signed webhooks through the real route modules.
import * as ordersPaid from "../../app/routes/webhooks.orders.paid";
import * as ordersCancelled from "../../app/routes/webhooks.orders.cancelled";
import * as refundsCreate from "../../app/routes/webhooks.refunds.create";
import * as customersRedact from "../../app/routes/webhooks.customers.redact";
import * as customersDataRequest from "../../app/routes/webhooks.customers.data_request";
import * as shopRedact from "../../app/routes/webhooks.shop.redact";
import * as appUninstalled from "../../app/routes/webhooks.app.uninstalled";
import { callAction, prisma } from "./app";
import { applyReceivedWebhooks } from "../../app/webhooks/inbox.server";
import { webhookRequest, type WebhookOptions } from "../../dev/shopify-requests";

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

export interface SentWebhook {
  /** The route's answer to Shopify. */
  status: number;
  body: any;
  /** What applying the stored delivery did (the delivery row after the applier ran). */
  outcome: string | null;
  reason: string | null;
}

/** Applies every stored delivery that is due, as the worker does moments after a route answers. */
export async function applyStoredWebhooks(): Promise<void> {
  while ((await applyReceivedWebhooks(prisma)) > 0);
}

/** Sends a signed webhook through its route, then lets the applier run (`apply: false` to skip). */
export async function sendWebhook(topic: Topic, payload: unknown, options: WebhookOptions & { apply?: boolean } = {}): Promise<SentWebhook> {
  const request = webhookRequest(topic, payload, options);
  const webhookId = request.headers.get("X-Shopify-Webhook-Id");
  const shop = request.headers.get("X-Shopify-Shop-Domain");
  const response = await callAction(routes[topic], request);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  if (options.apply !== false) await applyStoredWebhooks();
  const delivery = webhookId && shop ? await prisma.webhookDelivery.findUnique({ where: { shop_webhookId: { shop, webhookId } } }) : null;
  return { status: response.status, body, outcome: delivery?.outcome ?? null, reason: delivery?.reason ?? null };
}

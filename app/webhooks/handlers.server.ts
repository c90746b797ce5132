// Every webhook topic the app applies, by topic: the routes receive with these handlers and the
// applier (inbox.server.ts) applies stored deliveries with them.
import type { WebhookHandler } from "../platform/webhook-handler";
import { ordersCancelled, ordersPaid, refundsCreate } from "../features/orders/webhooks.server";
import { appScopesUpdate, appUninstalled } from "../features/shops/webhooks.server";
import { customersDataRequest, customersRedact, shopRedact } from "../features/privacy/compliance.server";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const WEBHOOK_HANDLERS: Record<string, WebhookHandler<any>> = Object.fromEntries(
  [ordersPaid, ordersCancelled, refundsCreate, appUninstalled, appScopesUpdate, customersDataRequest, customersRedact, shopRedact].map((h) => [h.topic, h]),
);

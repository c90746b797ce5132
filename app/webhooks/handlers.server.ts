// Every webhook topic the app applies, by topic: the routes receive with these handlers and the
// applier (inbox.server.ts) applies stored deliveries with them.
import type { z } from "zod";
import type { WebhookHandler } from "../platform/webhook-handler";
import { ordersCancelled, ordersPaid, refundsCreate } from "../features/orders/webhooks.server";
import { appScopesUpdate, appUninstalled } from "../features/shops/webhooks.server";
import { customersDataRequest, customersRedact, shopRedact } from "../features/privacy/compliance.server";

// Handlers of different payload schemas in one map: each delivery is parsed with its own handler's schema first.
export const WEBHOOK_HANDLERS: Record<string, WebhookHandler<z.ZodTypeAny>> = Object.fromEntries(
  [ordersPaid, ordersCancelled, refundsCreate, appUninstalled, appScopesUpdate, customersDataRequest, customersRedact, shopRedact].map((h) => [h.topic, h]),
);

// The app's own webhooks, app/uninstalled and app/scopes_update, applied in the delivery's Prisma transaction.
// Data access: Prisma models.
import type { WebhookHandler } from "../../platform/webhook-handler";
import { appScopesUpdatePayload, appUninstalledPayload } from "../../shopify/webhook-payloads";
import { markUninstalled } from "./lifecycle.server";

// The shop's data stays until shop/redact (48 h later): a merchant who reinstalls keeps members' points.
export const appUninstalled: WebhookHandler<typeof appUninstalledPayload> = {
  topic: "app/uninstalled",
  schema: appUninstalledPayload,
  apply: async (tx, _payload, meta) => {
    await markUninstalled(tx, meta.shop);
    return { outcome: "applied" };
  },
};

export const appScopesUpdate: WebhookHandler<typeof appScopesUpdatePayload> = {
  topic: "app/scopes_update",
  schema: appScopesUpdatePayload,
  apply: async (tx, payload, meta) => {
    const { count } = await tx.session.updateMany({ where: { shop: meta.shop }, data: { scope: payload.current.join(",") } });
    return count > 0 ? { outcome: "applied" } : { outcome: "skipped", reason: "no session for shop" };
  },
};

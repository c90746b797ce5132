// The shop-wide data lifecycle: install (setup job), uninstall, redact.
// Data access: Prisma models, inside the caller's transaction.
import type { Tx } from "../../platform/db.server";
import { enqueueJob } from "../../outbox/outbox.server";

/** After install or reinstall: metafield definition, program metafield (app/jobs/shop-setup.server.ts). */
export async function enqueueShopSetup(tx: Tx, shopId: string, at = new Date()): Promise<void> {
  await enqueueJob(tx, { shopId, kind: "shop_setup", payload: {}, dedupeKey: `setup:${at.getTime()}` });
}

export async function markUninstalled(tx: Tx, domain: string): Promise<void> {
  await tx.session.deleteMany({ where: { shop: domain } });
  await tx.shop.updateMany({ where: { domain, uninstalledAt: null }, data: { uninstalledAt: new Date() } });
}

/**
 * shop/redact (48 hours after uninstall): everything the app stored about the shop goes, including the
 * customers' data-request exports. Every table that holds a shop's data has a foreign key to its Shop
 * row with ON DELETE CASCADE (prisma/schema.prisma), so deleting that row deletes them all, tables
 * added later included. Two tables name the shop by domain and exist before the row (the first webhook
 * delivery, the session from token exchange): sessions are deleted here; the webhook log keeps its rows
 * (shop, topic, webhook id, outcome: they make a late redelivery a no-op) but loses every stored body;
 * one still waiting becomes "failed" ("payload redacted"). `exceptWebhookId`: the shop/redact delivery
 * being applied, whose body the applier clears itself when it commits.
 */
export async function deleteShopData(tx: Tx, domain: string, options: { exceptWebhookId?: string } = {}): Promise<{ deleted: boolean }> {
  await tx.session.deleteMany({ where: { shop: domain } });
  const others = options.exceptWebhookId ? { webhookId: { not: options.exceptWebhookId } } : {};
  await tx.webhookDelivery.updateMany({ where: { shop: domain, outcome: "received", payload: { not: null }, ...others }, data: { payload: null, outcome: "failed", reason: "payload redacted", nextAttemptAt: null } });
  await tx.webhookDelivery.updateMany({ where: { shop: domain, outcome: { notIn: ["received", "applying"] }, payload: { not: null }, ...others }, data: { payload: null } });
  const { count } = await tx.shop.deleteMany({ where: { domain } });
  return { deleted: count > 0 };
}

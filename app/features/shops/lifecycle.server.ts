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
 * customers' data-request exports. The webhook log keeps its rows (shop, topic, webhook id, outcome:
 * they make a late redelivery a no-op) but loses every stored body; one still waiting becomes "failed"
 * ("payload redacted"). `exceptWebhookId`: the shop/redact delivery being applied, whose body the
 * applier clears itself when it commits.
 */
export async function deleteShopData(tx: Tx, domain: string, options: { exceptWebhookId?: string } = {}): Promise<{ deleted: boolean }> {
  await tx.session.deleteMany({ where: { shop: domain } });
  const others = options.exceptWebhookId ? { webhookId: { not: options.exceptWebhookId } } : {};
  await tx.webhookDelivery.updateMany({ where: { shop: domain, outcome: "received", payload: { not: null }, ...others }, data: { payload: null, outcome: "failed", reason: "payload redacted", nextAttemptAt: null } });
  await tx.webhookDelivery.updateMany({ where: { shop: domain, outcome: { notIn: ["received", "applying"] }, payload: { not: null }, ...others }, data: { payload: null } });
  const shop = await tx.shop.findUnique({ where: { domain } });
  if (!shop) return { deleted: false };
  const shopId = shop.id;
  await tx.dataRequestExport.deleteMany({ where: { shopId } });
  await tx.proxyRequest.deleteMany({ where: { shopId } });
  await tx.ledgerEntry.deleteMany({ where: { shopId } });
  await tx.issuedCode.deleteMany({ where: { shopId } });
  await tx.outboxJob.deleteMany({ where: { shopId } });
  await tx.orderRecord.deleteMany({ where: { shopId } });
  await tx.campaign.deleteMany({ where: { shopId } });
  await tx.reward.deleteMany({ where: { shopId } });
  await tx.programSettings.deleteMany({ where: { shopId } });
  await tx.customer.deleteMany({ where: { shopId } });
  await tx.shop.delete({ where: { id: shopId } });
  return { deleted: true };
}

// Shop rows and the shop-wide data lifecycle (install, uninstall, redact).
import type { Tx } from "../webhooks/receive.server";
import { execute, newId, selectRow, type SqlSteps } from "../sql/statements";
import { runInPrisma } from "../sql/run.server";

/** The shop's row id, creating the row for a shop's very first delivery. */
export function* ensureShopSteps(domain: string, now = new Date()): SqlSteps<{ id: string }> {
  // Read first: the row exists for every delivery but a shop's very first one.
  const found = yield* selectRow<{ id: string }>`SELECT "id" FROM "Shop" WHERE "domain" = ${domain}`;
  if (found) return found;
  yield* execute`
    INSERT INTO "Shop" ("id", "domain", "installedAt", "createdAt", "updatedAt") VALUES (${newId()}, ${domain}, ${now}, ${now}, ${now})
    ON CONFLICT ("domain") DO NOTHING`;
  const created = yield* selectRow<{ id: string }>`SELECT "id" FROM "Shop" WHERE "domain" = ${domain}`;
  return created!;
}

export async function ensureShop(tx: Tx, domain: string): Promise<{ id: string }> {
  return runInPrisma(tx, ensureShopSteps(domain));
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

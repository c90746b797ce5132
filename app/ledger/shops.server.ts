// Shop rows and the shop-wide data lifecycle (install, uninstall, redact).
import type { Tx } from "../webhooks/receive.server";

export async function ensureShop(tx: Tx, domain: string) {
  // Read first: the row exists for every delivery but a shop's very first one.
  return (await tx.shop.findUnique({ where: { domain } })) ?? tx.shop.upsert({ where: { domain }, create: { domain }, update: {} });
}

export async function markUninstalled(tx: Tx, domain: string): Promise<void> {
  await tx.session.deleteMany({ where: { shop: domain } });
  await tx.shop.updateMany({ where: { domain, uninstalledAt: null }, data: { uninstalledAt: new Date() } });
}

/** shop/redact (48 hours after uninstall): everything the app stored about the shop goes. */
export async function deleteShopData(tx: Tx, domain: string): Promise<{ deleted: boolean }> {
  await tx.session.deleteMany({ where: { shop: domain } });
  const shop = await tx.shop.findUnique({ where: { domain } });
  if (!shop) return { deleted: false };
  const shopId = shop.id;
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

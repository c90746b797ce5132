// Mandatory compliance topics. https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
import type { Tx, WebhookHandler } from "./receive.server";
import { customerGid, customersDataRequestPayload, customersRedactPayload, shopRedactPayload } from "../shopify/webhook-payloads";
import { deleteShopData } from "../ledger/shops.server";
import { log } from "../logger.server";

/** Everything stored about one customer of one shop. */
export async function customerDataExport(tx: Tx, shopDomain: string, shopifyCustomerId: string) {
  const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return null;
  const customer = await tx.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId } } });
  if (!customer) return null;
  const [ledger, codes, orders] = await Promise.all([
    tx.ledgerEntry.findMany({ where: { shopId: shop.id, customerId: customer.id }, orderBy: { createdAt: "asc" } }),
    tx.issuedCode.findMany({ where: { shopId: shop.id, customerId: customer.id }, orderBy: { createdAt: "asc" } }),
    tx.orderRecord.findMany({ where: { shopId: shop.id, customerId: customer.id }, orderBy: { createdAt: "asc" } }),
  ]);
  return { customer, ledger, codes, orders };
}

export const customersDataRequest: WebhookHandler<typeof customersDataRequestPayload> = {
  topic: "customers/data_request",
  schema: customersDataRequestPayload,
  apply: async (tx, payload, meta) => {
    const data = await customerDataExport(tx, meta.shop, customerGid(payload.customer.id));
    // The merchant receives the export from the app's support channel; the log line is the record.
    log.info("customers/data_request export", { shop: meta.shop, customer: payload.customer.id, found: Boolean(data), entries: data?.ledger.length ?? 0 });
    return data ? { outcome: "applied" } : { outcome: "skipped", reason: "no data stored for this customer" };
  },
};

export const customersRedact: WebhookHandler<typeof customersRedactPayload> = {
  topic: "customers/redact",
  schema: customersRedactPayload,
  apply: async (tx, payload, meta) => {
    const shop = await tx.shop.findUnique({ where: { domain: meta.shop } });
    if (!shop) return { outcome: "skipped", reason: "unknown shop" };
    const gid = customerGid(payload.customer.id);
    const customer = await tx.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: gid } } });
    if (!customer) return { outcome: "skipped", reason: "no data stored for this customer" };
    // Personal data goes; the points stay (as an anonymous member) so the shop's totals remain right.
    await tx.customer.update({
      where: { id: customer.id },
      data: { email: null, firstName: null, lastName: null, shopifyCustomerId: `redacted:${customer.id}`, redactedAt: new Date() },
    });
    return { outcome: "applied" };
  },
};

export const shopRedact: WebhookHandler<typeof shopRedactPayload> = {
  topic: "shop/redact",
  schema: shopRedactPayload,
  apply: async (tx, _payload, meta) => {
    const { deleted } = await deleteShopData(tx, meta.shop);
    return deleted ? { outcome: "applied" } : { outcome: "skipped", reason: "no data stored for this shop" };
  },
};

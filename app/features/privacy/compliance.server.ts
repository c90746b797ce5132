// Mandatory compliance topics: customers/data_request, customers/redact, shop/redact.
// https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
// Shopify sends the customer's id, email and phone (and the orders concerned); the app answers 200 and
// does the work. A data request is the app's to fulfil: "provide this data to the store owner
// directly". The export below is stored (DataRequestExport) in the delivery's transaction and the
// merchant downloads it from the admin's Privacy page (app/routes/app.privacy.tsx).
// Data access: Prisma models, inside the delivery's Prisma transaction (these topics are rare).
//
// What counts as personal data here: the customer's email, first and last name and phone, wherever
// they are (the Customer row, free-text ledger reasons, job errors, stored webhook bodies, stored
// exports). Shopify's numeric ids are not personal data on their own; after a redaction the Customer
// row no longer carries the Shopify id (`redacted:<row id>`), so the points that stay are anonymous.
import type { Customer } from "@prisma/client";
import type { Tx } from "../../platform/db.server";
import type { WebhookHandler, WebhookMeta } from "../../platform/webhook-handler";
import { customerGid, customersDataRequestPayload, customersRedactPayload, shopRedactPayload } from "../../shopify/webhook-payloads";
import { gidNumber } from "../../shopify/gid";
import { deleteShopData } from "../shops/lifecycle.server";
import { merchantEntryLabel } from "../../domain/entry-kinds";
import { log } from "../../platform/logger.server";

export const EXPORT_FORMAT = "loyalty-customer-data-export/1";
/** What replaces personal data inside free text (ledger reasons, job errors). */
export const REDACTED = "[redacted]";
/** The reason a waiting webhook delivery gets when a redaction removed its body. */
export const PAYLOAD_REDACTED = "payload redacted";

/** Who a data request or redaction is about, as far as the app can recognise them. */
export interface CustomerIdentity {
  /** Shopify's numeric customer id, as a string. */
  numericId: string;
  gid: string;
  emails: string[];
  phones: string[];
  /** Numeric Shopify order ids that concern the customer (theirs, and the ones Shopify lists). */
  orderIds: Set<string>;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function identityOf(payload: { customer: { id: string; email?: string | null; phone?: string | null } }, customer: Customer | null, orderGids: string[], listedOrders: string[]): CustomerIdentity {
  const clean = (values: (string | null | undefined)[]) => [...new Set(values.map((v) => (v ?? "").trim()).filter((v) => v !== ""))];
  return {
    numericId: payload.customer.id,
    gid: customerGid(payload.customer.id),
    emails: clean([payload.customer.email, customer?.email]),
    phones: clean([payload.customer.phone]).filter((p) => p.replace(/\D/g, "").length >= 6),
    orderIds: new Set([...listedOrders, ...orderGids.map(gidNumber).filter((id): id is string => id !== null)]),
  };
}

/**
 * Whether a stored webhook body names the customer: its `customer` is them (by id or GID), it is about
 * one of their orders (orders/*: `id`; refunds/create: `order_id`), or it contains their email or phone
 * anywhere (a guest checkout with their address, for instance).
 */
export function deliveryNamesCustomer(topic: string, raw: string, who: CustomerIdentity): boolean {
  const body = parseJson(raw);
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const customer = b.customer as Record<string, unknown> | null | undefined;
    if (customer && typeof customer === "object" && (String(customer.id) === who.numericId || customer.admin_graphql_api_id === who.gid)) return true;
    const orderId = topic.startsWith("orders/") ? b.id : topic === "refunds/create" ? b.order_id : undefined;
    if ((typeof orderId === "number" || typeof orderId === "string") && who.orderIds.has(String(orderId))) return true;
  }
  const text = raw.toLowerCase();
  return who.emails.some((email) => text.includes(email.toLowerCase())) || who.phones.some((phone) => raw.includes(phone));
}

/** The shop's stored webhook bodies (waiting, or kept after a failure) that name the customer. */
async function deliveriesNaming(tx: Tx, shopDomain: string, who: CustomerIdentity, exceptWebhookId: string) {
  const rows = await tx.webhookDelivery.findMany({ where: { shop: shopDomain, payload: { not: null }, webhookId: { not: exceptWebhookId } }, orderBy: { receivedAt: "asc" } });
  return rows.filter((row) => row.payload !== null && deliveryNamesCustomer(row.topic, row.payload, who));
}

/** Outbox jobs whose payload names the customer (our row id, the Shopify GID, or one of their codes). */
async function jobsNaming(tx: Tx, shopId: string, customer: Customer | null, gid: string, codeIds: string[]) {
  const jobs = await tx.outboxJob.findMany({
    where: { shopId, OR: [{ payload: { contains: gid } }, ...(customer ? [{ payload: { contains: customer.id } }] : []), ...codeIds.map((id) => ({ payload: { contains: id } }))] },
    orderBy: { createdAt: "asc" },
  });
  return jobs.filter((job) => {
    const payload = parseJson(job.payload) as Record<string, unknown> | null;
    if (!payload || typeof payload !== "object") return false;
    const codeId = payload.issuedCodeId ?? payload.codeId;
    return payload.customerGid === gid || (customer !== null && payload.customerId === customer.id) || (typeof codeId === "string" && codeIds.includes(codeId));
  });
}

export interface CustomerDataExport {
  format: typeof EXPORT_FORMAT;
  generatedAt: string;
  shop: { domain: string };
  request: { dataRequestId: string; webhookId: string; shopifyCustomerId: string; email: string | null; phone: string | null; ordersRequested: string[] };
  /** Our member record (points balances, names, email), or null when the app never stored one. */
  customer: Record<string, unknown> | null;
  ledgerEntries: Record<string, unknown>[];
  issuedCodes: Record<string, unknown>[];
  redemptions: Record<string, unknown>[];
  orders: Record<string, unknown>[];
  outboxJobs: Record<string, unknown>[];
  webhookDeliveries: Record<string, unknown>[];
  proxyRequests: Record<string, unknown>[];
}

export type ExportSummary = Record<"ledgerEntries" | "issuedCodes" | "redemptions" | "orders" | "outboxJobs" | "webhookDeliveries" | "proxyRequests", number> & { customerFound: boolean };

export function summarizeExport(doc: CustomerDataExport): ExportSummary {
  return {
    customerFound: doc.customer !== null,
    ledgerEntries: doc.ledgerEntries.length,
    issuedCodes: doc.issuedCodes.length,
    redemptions: doc.redemptions.length,
    orders: doc.orders.length,
    outboxJobs: doc.outboxJobs.length,
    webhookDeliveries: doc.webhookDeliveries.length,
    proxyRequests: doc.proxyRequests.length,
  };
}

/**
 * Everything the app stores about one customer of one shop (null when the shop is unknown). Each row
 * is exported whole; JSON columns are parsed so the document reads as one JSON tree.
 */
export async function customerDataExport(
  tx: Tx,
  shopDomain: string,
  request: { shopifyCustomerId: string; email?: string | null; phone?: string | null; ordersRequested?: string[]; dataRequestId?: string; webhookId?: string },
  now = new Date(),
): Promise<CustomerDataExport | null> {
  const shop = await tx.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return null;
  const gid = request.shopifyCustomerId;
  const numericId = gidNumber(gid) ?? gid;
  const requested = (request.ordersRequested ?? []).map((id) => `gid://shopify/Order/${id}`);
  const customer = await tx.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: gid } } });
  const [ledger, codes, orders, proxyRequests] = await Promise.all([
    customer ? tx.ledgerEntry.findMany({ where: { shopId: shop.id, customerId: customer.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }) : [],
    customer ? tx.issuedCode.findMany({ where: { shopId: shop.id, customerId: customer.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }) : [],
    tx.orderRecord.findMany({
      where: { shopId: shop.id, OR: [...(customer ? [{ customerId: customer.id }] : []), ...(requested.length ? [{ orderId: { in: requested } }] : [])] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    tx.proxyRequest.findMany({ where: { shopId: shop.id, customerId: gid }, orderBy: { createdAt: "asc" } }),
  ]);
  // With no customer and no requested orders the OR above is empty, which Prisma reads as "any order".
  const ownOrders = customer || requested.length ? orders : [];
  const who = identityOf(
    { customer: { id: numericId, email: request.email, phone: request.phone } },
    customer,
    ownOrders.map((o) => o.orderId),
    request.ordersRequested ?? [],
  );
  const [jobs, deliveries] = await Promise.all([
    jobsNaming(
      tx,
      shop.id,
      customer,
      gid,
      codes.map((c) => c.id),
    ),
    deliveriesNaming(tx, shopDomain, who, request.webhookId ?? ""),
  ]);
  const redemptions = codes
    .filter((code) => code.source === "redemption")
    .map((code) => ({
      redemptionId: code.redemptionId,
      code: code.code,
      status: code.status,
      pointsSpent: code.pointsSpent,
      reward: parseJson(code.rewardSnapshot),
      createdAt: code.createdAt,
      ledgerEntryIds: ledger.filter((e) => e.redemptionId !== null && e.redemptionId === code.redemptionId).map((e) => e.id),
    }));
  const doc: CustomerDataExport = {
    format: EXPORT_FORMAT,
    generatedAt: now.toISOString(),
    shop: { domain: shopDomain },
    request: {
      dataRequestId: request.dataRequestId ?? "",
      webhookId: request.webhookId ?? "",
      shopifyCustomerId: gid,
      email: request.email ?? null,
      phone: request.phone ?? null,
      ordersRequested: request.ordersRequested ?? [],
    },
    customer: customer ? { ...customer } : null,
    ledgerEntries: ledger.map((e) => ({ ...e, description: merchantEntryLabel(e.kind), ruleSnapshot: parseJson(e.ruleSnapshot) })),
    issuedCodes: codes.map((c) => ({ ...c, rewardSnapshot: parseJson(c.rewardSnapshot) })),
    redemptions,
    orders: ownOrders.map((o) => ({ ...o, earnSnapshot: parseJson(o.earnSnapshot), refunds: parseJson(o.refunds), discountCodes: parseJson(o.discountCodes) })),
    outboxJobs: jobs.map((j) => ({ ...j, payload: parseJson(j.payload) })),
    webhookDeliveries: deliveries.map((d) => ({ ...d, payload: parseJson(d.payload) })),
    proxyRequests,
  };
  // Dates become ISO strings, exactly as the download serialises them.
  return JSON.parse(JSON.stringify(doc)) as CustomerDataExport;
}

export const customersDataRequest: WebhookHandler<typeof customersDataRequestPayload> = {
  topic: "customers/data_request",
  schema: customersDataRequestPayload,
  apply: async (tx, payload, meta) => {
    const shop = await tx.shop.findUnique({ where: { domain: meta.shop } });
    if (!shop) return { outcome: "skipped", reason: "unknown shop" };
    const dataRequestId = payload.data_request?.id ?? `webhook:${meta.webhookId}`;
    const gid = customerGid(payload.customer.id);
    // A redelivery (new webhook id, same data request) keeps the first export.
    const existing = await tx.dataRequestExport.findUnique({ where: { shopId_dataRequestId: { shopId: shop.id, dataRequestId } }, select: { id: true } });
    if (existing) return { outcome: "skipped", reason: "export already stored for this data request" };
    const doc = await customerDataExport(tx, meta.shop, {
      shopifyCustomerId: gid,
      email: payload.customer.email,
      phone: payload.customer.phone,
      ordersRequested: payload.orders_requested,
      dataRequestId,
      webhookId: meta.webhookId,
    });
    if (!doc) return { outcome: "skipped", reason: "unknown shop" };
    const summary = summarizeExport(doc);
    // Even "nothing stored" is an answer the merchant owes the customer, so the export is kept either way.
    await tx.dataRequestExport.upsert({
      where: { shopId_dataRequestId: { shopId: shop.id, dataRequestId } },
      create: { shopId: shop.id, shopifyCustomerId: gid, dataRequestId, webhookId: meta.webhookId, document: JSON.stringify(doc), summary: JSON.stringify(summary) },
      update: {},
    });
    log.info("customers/data_request export stored", { shop: meta.shop, dataRequestId, ...summary });
    const empty = !summary.customerFound && Object.entries(summary).every(([key, n]) => key === "customerFound" || n === 0);
    return empty ? { outcome: "skipped", reason: "no data stored for this customer (an empty export was stored)" } : { outcome: "applied" };
  },
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replaces each of `secrets` (case-insensitive, whole words) in `text` with [redacted]. */
export function scrubText(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.trim() === "") continue;
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(secret.trim())}(?![\\p{L}\\p{N}])`, "giu"), REDACTED);
  }
  return out;
}

/**
 * Scrubs the bodies of stored webhook deliveries that name the customer. A delivery still waiting can no longer be applied: it becomes "failed"
 * with the reason "payload redacted". The delivery being applied right now is left to the applier,
 * which clears its body when it commits. Conditional updates: a delivery another applier takes
 * meanwhile is simply not matched.
 */
export async function redactDeliveries(tx: Tx, shopDomain: string, who: CustomerIdentity, meta: Pick<WebhookMeta, "webhookId">): Promise<number> {
  const rows = await deliveriesNaming(tx, shopDomain, who, meta.webhookId);
  let scrubbed = 0;
  for (const row of rows) {
    const waiting = await tx.webhookDelivery.updateMany({
      where: { id: row.id, outcome: "received" },
      data: { payload: null, outcome: "failed", reason: PAYLOAD_REDACTED, nextAttemptAt: null },
    });
    const other = waiting.count ? { count: 0 } : await tx.webhookDelivery.updateMany({ where: { id: row.id, outcome: { notIn: ["received", "applying"] } }, data: { payload: null } });
    scrubbed += waiting.count + other.count;
  }
  return scrubbed;
}

export const customersRedact: WebhookHandler<typeof customersRedactPayload> = {
  topic: "customers/redact",
  schema: customersRedactPayload,
  apply: async (tx, payload, meta) => {
    const shop = await tx.shop.findUnique({ where: { domain: meta.shop } });
    if (!shop) return { outcome: "skipped", reason: "unknown shop" };
    const gid = customerGid(payload.customer.id);
    const customer = await tx.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: gid } } });
    const orders = customer ? await tx.orderRecord.findMany({ where: { shopId: shop.id, customerId: customer.id }, select: { orderId: true } }) : [];
    const who = identityOf(
      payload,
      customer,
      orders.map((o) => o.orderId),
      payload.orders_to_redact,
    );
    const secrets = [...who.emails, ...who.phones, ...(customer ? [[customer.firstName, customer.lastName].filter(Boolean).join(" "), customer.firstName ?? "", customer.lastName ?? ""] : [])].filter(
      (s) => s.trim().length >= 2,
    );

    // 1. Stored exports of this customer are personal data themselves: deleted (the merchant has had
    //    them since the data request; Shopify sends the redaction at least 10 days after it).
    const exports = await tx.dataRequestExport.deleteMany({ where: { shopId: shop.id, shopifyCustomerId: gid } });
    // 2. Webhook bodies still stored that name the customer.
    const deliveries = await redactDeliveries(tx, meta.shop, who, meta);
    // 3. The app-proxy replay/rate-limit rows carry the customer's Shopify id; they are only kept an hour anyway.
    await tx.proxyRequest.deleteMany({ where: { shopId: shop.id, customerId: gid } });
    if (!customer) {
      return exports.count || deliveries ? { outcome: "applied", reason: "no member record; stored webhook bodies and exports removed" } : { outcome: "skipped", reason: "no data stored for this customer" };
    }
    // 4. Free text that may quote the customer (a staff member's adjustment reason, a job's error).
    //    Points, kinds and keys never change, so every balance and total stays as it was.
    if (secrets.length) {
      const entries = await tx.ledgerEntry.findMany({ where: { shopId: shop.id, customerId: customer.id, reason: { not: null } }, select: { id: true, reason: true } });
      for (const entry of entries) {
        const scrubbed = scrubText(entry.reason!, secrets);
        if (scrubbed !== entry.reason) await tx.ledgerEntry.update({ where: { id: entry.id }, data: { reason: scrubbed } });
      }
      const codes = await tx.issuedCode.findMany({ where: { shopId: shop.id, customerId: customer.id }, select: { id: true } });
      const jobs = await jobsNaming(
        tx,
        shop.id,
        customer,
        gid,
        codes.map((c) => c.id),
      );
      for (const job of jobs) {
        const lastError = job.lastError === null ? null : scrubText(job.lastError, secrets);
        if (lastError !== job.lastError) await tx.outboxJob.update({ where: { id: job.id }, data: { lastError } });
      }
    }
    // 5. The member record: personal data goes; the points stay (as an anonymous member) so the shop's
    //    totals remain right.
    await tx.customer.update({
      where: { id: customer.id },
      data: { email: null, firstName: null, lastName: null, shopifyCustomerId: `redacted:${customer.id}`, redactedAt: customer.redactedAt ?? new Date() },
    });
    log.info("customers/redact applied", { shop: meta.shop, customer: customer.id, exportsDeleted: exports.count, deliveriesScrubbed: deliveries });
    return { outcome: "applied" };
  },
};

export const shopRedact: WebhookHandler<typeof shopRedactPayload> = {
  topic: "shop/redact",
  schema: shopRedactPayload,
  apply: async (tx, _payload, meta) => {
    const { deleted } = await deleteShopData(tx, meta.shop, { exceptWebhookId: meta.webhookId });
    return deleted ? { outcome: "applied" } : { outcome: "skipped", reason: "no data stored for this shop" };
  },
};

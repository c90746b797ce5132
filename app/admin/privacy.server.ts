// The Privacy page: customers' data requests (customers/data_request) as the merchant sees them, and
// the download of a stored export. Everything is scoped to the session's shop: another shop's export
// id is simply not found. https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
// Data access: Prisma models.
import prisma from "../db.server";
import type { ExportSummary } from "../features/privacy/compliance.server";
import { customerDisplayName, formatDateTime } from "./format";
import { gidNumber } from "../shopify/gid";
import { DATA_REQUESTS_SHOWN } from "./shared";

export { DATA_REQUESTS_SHOWN };

export type DataRequestStatus = "ready" | "waiting" | "failed";

export interface DataRequestRow {
  /** The export's id when there is one (the download), else the webhook delivery's. */
  id: string;
  status: DataRequestStatus;
  receivedAt: string;
  dataRequestId: string | null;
  /** Shopify's numeric customer id, when known. */
  shopifyCustomerId: string | null;
  /** Our member, when the app has one for the customer (name shown only while not redacted). */
  member: { id: string; name: string } | null;
  summary: ExportSummary | null;
  downloadUrl: string | null;
  reason: string | null;
}

function readSummary(text: string): ExportSummary | null {
  try {
    return JSON.parse(text) as ExportSummary;
  } catch {
    return null;
  }
}

/** What a waiting or failed customers/data_request delivery still says about its request. */
function requestOfPayload(payload: string | null): { customerId: string | null; dataRequestId: string | null } {
  if (payload === null) return { customerId: null, dataRequestId: null };
  try {
    const body = JSON.parse(payload) as { customer?: { id?: unknown }; data_request?: { id?: unknown } };
    const id = (v: unknown) => (typeof v === "number" || typeof v === "string" ? String(v) : null);
    return { customerId: id(body.customer?.id), dataRequestId: id(body.data_request?.id) };
  } catch {
    return { customerId: null, dataRequestId: null };
  }
}

/** Stored exports (ready) and data requests not turned into one yet (waiting, failed), newest first. */
export async function listDataRequests(shop: { id: string; domain: string }, timeZone: string): Promise<{ rows: DataRequestRow[]; total: number }> {
  const [exports, total, pending] = await Promise.all([
    prisma.dataRequestExport.findMany({
      where: { shopId: shop.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: DATA_REQUESTS_SHOWN,
      select: { id: true, shopifyCustomerId: true, dataRequestId: true, summary: true, createdAt: true },
    }),
    prisma.dataRequestExport.count({ where: { shopId: shop.id } }),
    prisma.webhookDelivery.findMany({
      where: { shop: shop.domain, topic: "customers/data_request", outcome: { in: ["received", "applying", "failed"] } },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: DATA_REQUESTS_SHOWN,
      select: { id: true, outcome: true, reason: true, lastError: true, payload: true, receivedAt: true },
    }),
  ]);
  const gids = [...new Set(exports.map((e) => e.shopifyCustomerId))];
  const members = gids.length
    ? await prisma.customer.findMany({
        where: { shopId: shop.id, shopifyCustomerId: { in: gids } },
        select: { id: true, shopifyCustomerId: true, firstName: true, lastName: true, email: true, redactedAt: true },
      })
    : [];
  const memberByGid = new Map(members.map((m) => [m.shopifyCustomerId, m]));
  const rows: (DataRequestRow & { at: number })[] = [
    ...exports.map((e) => {
      const member = memberByGid.get(e.shopifyCustomerId);
      return {
        at: e.createdAt.getTime(),
        id: e.id,
        status: "ready" as const,
        receivedAt: formatDateTime(e.createdAt, timeZone),
        dataRequestId: e.dataRequestId.startsWith("webhook:") ? null : e.dataRequestId,
        shopifyCustomerId: gidNumber(e.shopifyCustomerId),
        member: member ? { id: member.id, name: customerDisplayName(member) } : null,
        summary: readSummary(e.summary),
        downloadUrl: `/app/privacy/exports/${e.id}`,
        reason: null,
      };
    }),
    ...pending.map((d) => {
      const request = requestOfPayload(d.payload);
      const failed = d.outcome === "failed";
      return {
        at: d.receivedAt.getTime(),
        id: d.id,
        status: failed ? ("failed" as const) : ("waiting" as const),
        receivedAt: formatDateTime(d.receivedAt, timeZone),
        dataRequestId: request.dataRequestId,
        shopifyCustomerId: request.customerId,
        member: null,
        summary: null,
        downloadUrl: null,
        reason: failed ? (d.reason ?? d.lastError ?? "The export could not be built") : null,
      };
    }),
  ];
  rows.sort((a, b) => b.at - a.at);
  return { rows: rows.slice(0, DATA_REQUESTS_SHOWN).map(({ at: _at, ...row }) => row), total };
}

/** The stored export as a download, or null when it is not this shop's (or no longer exists). */
export async function exportDownload(shopId: string, exportId: string): Promise<{ filename: string; body: string } | null> {
  const row = await prisma.dataRequestExport.findFirst({ where: { id: exportId, shopId } });
  if (!row) return null;
  const customer = gidNumber(row.shopifyCustomerId) ?? "customer";
  const request = row.dataRequestId.replace(/[^A-Za-z0-9_-]/g, "-");
  return { filename: `customer-${customer}-data-request-${request}.json`, body: JSON.stringify(JSON.parse(row.document), null, 2) };
}

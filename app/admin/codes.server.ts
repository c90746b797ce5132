// Issued discount codes and the outbox jobs that failed for good, for the Codes page.
// Data access: Prisma models.
import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { requeueFailedJob } from "../outbox/outbox.server";
import { adminOrderUrl, customerDisplayName, formatCurrency, formatDateTime } from "./format";

import { CODE_STATUSES, CODES_PAGE_SIZE, type CodeStatus } from "./shared";

export { CODE_STATUSES, CODES_PAGE_SIZE, type CodeStatus };

export interface CodesQuery {
  status: CodeStatus | null;
  page: number;
}

export function parseCodesQuery(url: URL): CodesQuery {
  const status = url.searchParams.get("status");
  const page = Math.min(10_000, Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  return { status: (CODE_STATUSES as readonly string[]).includes(status ?? "") ? (status as CodeStatus) : null, page };
}

export interface CodeRow {
  id: string;
  code: string;
  source: string;
  status: string;
  customer: { id: string; name: string };
  value: string;
  endsAt: string;
  order: { name: string; url: string | null } | null;
}

/** "$10.00 off", "15% off", "Free shipping", with the minimum when there is one. */
export function describeCodeValue(rewardSnapshot: string, currencyCode: string): string {
  let terms: { discountType?: unknown; value?: unknown; minSubtotal?: unknown };
  try {
    terms = JSON.parse(rewardSnapshot) as typeof terms;
  } catch {
    return "—";
  }
  const value = typeof terms.value === "string" ? terms.value : "";
  let text: string;
  if (terms.discountType === "free_shipping") text = "Free shipping";
  else if (terms.discountType === "percentage") text = `${value}% off`;
  else if (terms.discountType === "fixed_amount") text = `${formatCurrency(value, currencyCode)} off`;
  else return "—";
  if (typeof terms.minSubtotal === "string" && terms.minSubtotal !== "") text += ` over ${formatCurrency(terms.minSubtotal, currencyCode)}`;
  return text;
}

export async function listCodes(shop: { id: string; currencyCode: string }, timeZone: string, query: CodesQuery) {
  const where: Prisma.IssuedCodeWhereInput = { shopId: shop.id, ...(query.status ? { status: query.status } : {}) };
  const [rows, counts] = await Promise.all([
    prisma.issuedCode.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * CODES_PAGE_SIZE,
      take: CODES_PAGE_SIZE + 1,
    }),
    prisma.issuedCode.groupBy({ by: ["status"], where: { shopId: shop.id }, _count: { _all: true } }),
  ]);
  const shown = rows.slice(0, CODES_PAGE_SIZE);
  const customerIds = [...new Set(shown.map((c) => c.customerId))];
  const orderIds = [...new Set(shown.map((c) => c.usedByOrderId).filter((id): id is string => id !== null))];
  const [customers, orders] = await Promise.all([
    customerIds.length
      ? prisma.customer.findMany({
          where: { shopId: shop.id, id: { in: customerIds } },
          select: { id: true, firstName: true, lastName: true, email: true, redactedAt: true },
        })
      : [],
    orderIds.length ? prisma.orderRecord.findMany({ where: { shopId: shop.id, orderId: { in: orderIds } }, select: { orderId: true, orderName: true } }) : [],
  ]);
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const orderName = new Map(orders.map((o) => [o.orderId, o.orderName]));
  return {
    codes: shown.map((code): CodeRow => {
      const customer = customerById.get(code.customerId);
      return {
        id: code.id,
        code: code.code,
        source: code.source,
        status: code.status,
        customer: { id: code.customerId, name: customer ? customerDisplayName(customer) : "Unknown customer" },
        value: describeCodeValue(code.rewardSnapshot, shop.currencyCode),
        endsAt: formatDateTime(code.endsAt, timeZone),
        order: code.usedByOrderId
          ? {
              name: orderName.get(code.usedByOrderId) ?? `Order ${code.usedByOrderId.replace(/^gid:\/\/shopify\/Order\//, "")}`,
              url: adminOrderUrl(code.usedByOrderId),
            }
          : null,
      };
    }),
    counts: Object.fromEntries(counts.map((row) => [row.status, row._count._all])) as Partial<Record<string, number>>,
    hasNext: rows.length > CODES_PAGE_SIZE,
    hasPrevious: query.page > 1,
  };
}

export interface FailedJobRow {
  id: string;
  kind: string;
  lastError: string;
  attempts: number;
  updatedAt: string;
}

export const JOB_KIND_LABELS: Record<string, string> = {
  first_order_check: "First-order check (welcome bonus)",
  create_discount_code: "Create discount code",
  sync_customer_metafield: "Sync points to customer",
};

export async function failedJobs(shopId: string, timeZone: string): Promise<FailedJobRow[]> {
  const jobs = await prisma.outboxJob.findMany({ where: { shopId, status: "failed" }, orderBy: [{ updatedAt: "desc" }, { id: "desc" }], take: 100 });
  return jobs.map((job) => ({
    id: job.id,
    kind: JOB_KIND_LABELS[job.kind] ?? job.kind,
    lastError: job.lastError ?? "No error recorded",
    attempts: job.attempts,
    updatedAt: formatDateTime(job.updatedAt, timeZone),
  }));
}

export interface WaitingForAccess {
  /** Jobs parked because Shopify refused the shop's offline grant (app/shopify/offline-token.server.ts). */
  jobs: number;
  /** When Shopify refused it, formatted for the shop; null when the shop is not marked. */
  since: string | null;
  reason: string | null;
}

/**
 * Background work waiting for the merchant to re-authorise the app. Opening the admin normally
 * renews access at once (token exchange), so this shows only while that has not happened yet.
 */
export async function waitingForAccess(shopId: string, timeZone: string): Promise<WaitingForAccess> {
  const [jobs, shop] = await Promise.all([
    prisma.outboxJob.count({ where: { shopId, status: "needs_reauth" } }),
    prisma.shop.findUnique({ where: { id: shopId }, select: { adminAuthLostAt: true, adminAuthLostReason: true } }),
  ]);
  return { jobs, since: shop?.adminAuthLostAt ? formatDateTime(shop.adminAuthLostAt, timeZone) : null, reason: shop?.adminAuthLostReason ?? null };
}

/**
 * Queues a failed job again. null when the job is not this shop's; false when it was no longer
 * failed (a second click, or another tab retried it first): nothing changes then.
 */
export async function retryFailedJob(shopId: string, jobId: string): Promise<boolean | null> {
  const job = await prisma.outboxJob.findFirst({ where: { id: jobId, shopId }, select: { id: true } });
  if (!job) return null;
  return requeueFailedJob(prisma, shopId, jobId);
}

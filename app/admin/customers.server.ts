// Customers as the admin lists and adjusts them. The list reads only the Customer row's cached
// columns (balance, pending, lifetime earned, last activity) so sorting and paging stay on the
// [shopId, balance] and [shopId, lastActivityAt] indexes at 100,000 customers.
// Data access: Prisma models.
import { randomUUID } from "node:crypto";
import type { Customer, Prisma } from "@prisma/client";
import prisma from "../db.server";
import { dialectOf } from "../platform/db.server";
import { appendEntries } from "../ledger/ledger.server";
import { isUniqueViolation } from "../platform/sql/statements";
import { adminOrderUrl, customerDisplayName, formatDate, formatDateTime } from "./format";
import { merchantEntryLabel } from "../domain/entry-kinds";
import type { FieldErrors } from "./settings.server";

import { CUSTOMERS_PAGE_SIZE, LEDGER_PAGE_SIZE } from "./shared";

export { CUSTOMERS_PAGE_SIZE, LEDGER_PAGE_SIZE };

export type CustomerSort = "activity" | "balance" | "lifetime";
export type SortDirection = "asc" | "desc";

export interface CustomerListQuery {
  q: string;
  sort: CustomerSort;
  dir: SortDirection;
  page: number;
}

export function parseCustomerListQuery(url: URL): CustomerListQuery {
  const sortParam = url.searchParams.get("sort");
  const sort: CustomerSort = sortParam === "balance" || sortParam === "lifetime" ? sortParam : "activity";
  const dir: SortDirection = url.searchParams.get("dir") === "asc" ? "asc" : "desc";
  const page = Math.min(10_000, Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  return { q: (url.searchParams.get("q") ?? "").trim().slice(0, 100), sort, dir, page };
}

export interface CustomerListRow {
  id: string;
  name: string;
  email: string | null;
  balance: number;
  pending: number;
  lifetimeEarned: number;
  lastActivity: string;
}

/** Each word must appear in the first name, last name or email ("jane doe" finds Jane Doe). */
function searchFilter(q: string): Prisma.CustomerWhereInput {
  const terms = q
    .split(/\s+/)
    .filter((term) => term !== "")
    .slice(0, 5);
  if (terms.length === 0) return {};
  // SQLite's LIKE ignores ASCII case already; PostgreSQL needs mode: "insensitive" (a PostgreSQL-only
  // option, absent from the SQLite client's types).
  const postgres = dialectOf(prisma) === "postgresql";
  const contains = (term: string) => (postgres ? ({ contains: term, mode: "insensitive" } as unknown as Prisma.StringNullableFilter) : { contains: term });
  return { AND: terms.map((term) => ({ OR: [{ firstName: contains(term) }, { lastName: contains(term) }, { email: contains(term) }] })) };
}

function customerOrder(sort: CustomerSort, dir: SortDirection): Prisma.CustomerOrderByWithRelationInput[] {
  if (sort === "balance") return [{ balance: dir }, { id: dir }];
  if (sort === "lifetime") return [{ lifetimeEarned: dir }, { id: dir }];
  // Customers with no activity yet count as the least recent: last when newest come first, first
  // when oldest do. That is SQLite's own order for NULLs, so there the [shopId, lastActivityAt]
  // index serves it as is (with a NULLS clause SQLite sorts instead: bench-results/from-decisions-and-comments.md);
  // PostgreSQL sorts NULLs the other way by default and is told.
  if (dialectOf(prisma) === "sqlite") return [{ lastActivityAt: dir }, { id: dir }];
  return [{ lastActivityAt: { sort: dir, nulls: dir === "desc" ? "last" : "first" } }, { id: dir }];
}

export async function listCustomers(shopId: string, timeZone: string, query: CustomerListQuery) {
  const rows = await prisma.customer.findMany({
    where: { shopId, ...searchFilter(query.q) },
    orderBy: customerOrder(query.sort, query.dir),
    skip: (query.page - 1) * CUSTOMERS_PAGE_SIZE,
    take: CUSTOMERS_PAGE_SIZE + 1, // one more tells whether there is a next page
    select: {
      id: true,
      firstName: true,
      lastName: true,
      email: true,
      redactedAt: true,
      balance: true,
      pending: true,
      lifetimeEarned: true,
      lastActivityAt: true,
    },
  });
  return {
    customers: rows.slice(0, CUSTOMERS_PAGE_SIZE).map((c): CustomerListRow => ({
      id: c.id,
      name: customerDisplayName(c),
      email: c.redactedAt ? null : c.email,
      balance: c.balance,
      pending: c.pending,
      lifetimeEarned: c.lifetimeEarned,
      lastActivity: formatDateTime(c.lastActivityAt, timeZone),
    })),
    hasNext: rows.length > CUSTOMERS_PAGE_SIZE,
    hasPrevious: query.page > 1,
  };
}

export async function findCustomer(shopId: string, id: string): Promise<Customer | null> {
  return prisma.customer.findFirst({ where: { id, shopId } });
}

export interface LedgerRow {
  id: string;
  date: string;
  points: number;
  status: "pending" | "available";
  availableOn: string | null;
  kind: string;
  kindLabel: string;
  /** Why, in words: order, campaign, refund, reward, reason. */
  details: string[];
  order: { name: string; url: string | null } | null;
  by: string;
}

/** Who wrote an entry, in a merchant's words. */
export function actorLabel(actor: string): string {
  if (actor.startsWith("staff:")) {
    const id = actor.slice("staff:".length);
    return /^\d+$/.test(id) ? `Staff member #${id}` : "Staff";
  }
  const webhooks: Record<string, string> = {
    "webhook:orders/paid": "Order paid",
    "webhook:orders/cancelled": "Order cancelled",
    "webhook:refunds/create": "Refund",
  };
  if (webhooks[actor]) return webhooks[actor];
  if (actor.startsWith("webhook:")) return "Shopify";
  if (actor === "shopper") return "Customer";
  if (actor.startsWith("system:")) return "Automatic";
  return actor;
}

export async function customerLedger(shopId: string, customerId: string, timeZone: string, page: number, now = new Date()) {
  const entries = await prisma.ledgerEntry.findMany({
    where: { shopId, customerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * LEDGER_PAGE_SIZE,
    take: LEDGER_PAGE_SIZE + 1,
  });
  const shown = entries.slice(0, LEDGER_PAGE_SIZE);
  const orderIds = [...new Set(shown.map((e) => e.orderId).filter((id): id is string => id !== null))];
  const campaignIds = [...new Set(shown.map((e) => e.campaignId).filter((id): id is string => id !== null))];
  const redemptionIds = [...new Set(shown.map((e) => e.redemptionId).filter((id): id is string => id !== null))];
  const [orders, campaigns, codes] = await Promise.all([
    orderIds.length ? prisma.orderRecord.findMany({ where: { shopId, orderId: { in: orderIds } }, select: { orderId: true, orderName: true } }) : [],
    campaignIds.length ? prisma.campaign.findMany({ where: { shopId, id: { in: campaignIds } }, select: { id: true, name: true } }) : [],
    redemptionIds.length ? prisma.issuedCode.findMany({ where: { shopId, redemptionId: { in: redemptionIds } }, select: { redemptionId: true, code: true } }) : [],
  ]);
  const orderName = new Map(orders.map((o) => [o.orderId, o.orderName]));
  const campaignName = new Map(campaigns.map((c) => [c.id, c.name]));
  const codeOf = new Map(codes.map((c) => [c.redemptionId, c.code]));
  const rows = shown.map((entry): LedgerRow => {
    const details: string[] = [];
    if (entry.campaignId) details.push(`Campaign: ${campaignName.get(entry.campaignId) ?? "deleted campaign"}`);
    if (entry.refundId) details.push(`Refund ${entry.refundId.replace(/^gid:\/\/shopify\/Refund\//, "#")}`);
    if (entry.reverses) details.push(`Reverses ${merchantEntryLabel(entry.reverses).toLowerCase()}`);
    if (entry.redemptionId) details.push(codeOf.has(entry.redemptionId) ? `Code ${codeOf.get(entry.redemptionId)}` : "Reward redemption");
    if (entry.reason) details.push(entry.kind === "manual" ? `Reason: ${entry.reason}` : entry.reason);
    const pending = entry.status === "pending" && entry.availableAt > now;
    return {
      id: entry.id,
      date: formatDateTime(entry.createdAt, timeZone),
      points: entry.points,
      status: pending ? "pending" : "available",
      availableOn: pending ? formatDate(entry.availableAt, timeZone) : null,
      kind: entry.kind,
      kindLabel: merchantEntryLabel(entry.kind),
      details,
      order: entry.orderId ? { name: orderName.get(entry.orderId) ?? `Order ${entry.orderId.replace(/^gid:\/\/shopify\/Order\//, "")}`, url: adminOrderUrl(entry.orderId) } : null,
      by: actorLabel(entry.actor),
    };
  });
  return { entries: rows, hasNext: entries.length > LEDGER_PAGE_SIZE, hasPrevious: page > 1, page };
}

export type AdjustResult =
  | { ok: true; duplicate: boolean; balance: number; points: number }
  | { ok: false; fieldErrors: FieldErrors }
  | { ok: false; needsConfirmation: true; balance: number; resultingBalance: number }
  | { ok: false; notFound: true };

export const MAX_ADJUSTMENT = 1_000_000;

/** The adjustment form's idempotency key, new on every page load. */
export function adjustmentNonce(): string {
  return randomUUID();
}

export function parseAdjustment(form: FormData): { ok: true; points: number; reason: string; nonce: string; confirmNegative: boolean } | { ok: false; fieldErrors: FieldErrors } {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  const fieldErrors: FieldErrors = {};
  const rawPoints = text("points").replace(/^\+/, "");
  const points = /^-?\d+$/.test(rawPoints) ? Number(rawPoints) : Number.NaN;
  if (!Number.isSafeInteger(points) || points === 0) fieldErrors.points = "Enter a whole number of points other than 0, like 100 or -50";
  else if (Math.abs(points) > MAX_ADJUSTMENT) fieldErrors.points = `Adjust by at most ${MAX_ADJUSTMENT.toLocaleString("en-US")} points at a time`;
  const reason = text("reason");
  if (reason === "") fieldErrors.reason = "Say why: the customer sees their history, and so does your team";
  else if (reason.length > 500) fieldErrors.reason = "Keep the reason under 500 characters";
  const nonce = text("nonce");
  if (!/^[A-Za-z0-9-]{8,100}$/.test(nonce)) fieldErrors._form = "This form has expired. Reload the page and try again.";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, points, reason, nonce, confirmNegative: text("confirmNegative") === "true" };
}

/**
 * A staff adjustment, written through appendEntries (which moves the cached balance). The form's
 * nonce is the idempotency key, so a double submit writes once. A deduction that would leave the
 * available balance below zero is written only once the merchant has confirmed it.
 */
export async function adjustPoints(input: { shopId: string; customerId: string; form: FormData; actor: string; now?: Date }): Promise<AdjustResult> {
  const parsed = parseAdjustment(input.form);
  if (!parsed.ok) return parsed;
  const now = input.now ?? new Date();
  const idempotencyKey = `manual:${parsed.nonce}`;
  try {
    return await prisma.$transaction(async (tx): Promise<AdjustResult> => {
      const customer = await tx.customer.findFirst({ where: { id: input.customerId, shopId: input.shopId } });
      if (!customer) return { ok: false, notFound: true };
      const existing = await tx.ledgerEntry.findUnique({ where: { shopId_idempotencyKey: { shopId: input.shopId, idempotencyKey } } });
      if (existing) return { ok: true, duplicate: true, balance: customer.balance, points: existing.points };
      const resultingBalance = customer.balance + parsed.points;
      if (parsed.points < 0 && resultingBalance < 0 && !parsed.confirmNegative) {
        return { ok: false, needsConfirmation: true, balance: customer.balance, resultingBalance };
      }
      await appendEntries(
        tx,
        [
          {
            shopId: input.shopId,
            customerId: customer.id,
            points: parsed.points,
            kind: "manual",
            availableAt: now,
            idempotencyKey,
            actor: input.actor,
            reason: parsed.reason,
          },
        ],
        now,
      );
      return { ok: true, duplicate: false, balance: resultingBalance, points: parsed.points };
    });
  } catch (error) {
    // The same nonce committed by a concurrent request: that one wrote it.
    if (!isUniqueViolation(error)) throw error;
    const customer = await findCustomer(input.shopId, input.customerId);
    return { ok: true, duplicate: true, balance: customer?.balance ?? 0, points: parsed.points };
  }
}

/** Active rewards, cheapest first, for redeeming on a customer's behalf. */
export async function redeemableRewards(shopId: string): Promise<{ id: string; name: string; pointsCost: number }[]> {
  return prisma.reward.findMany({ where: { shopId, active: true }, orderBy: { pointsCost: "asc" }, select: { id: true, name: true, pointsCost: true } });
}

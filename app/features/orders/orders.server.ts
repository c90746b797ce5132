// Ledger effects of order webhooks. Every delivery records its fact on the order's row (locked for
// the transaction) and then `reconcileOrderSteps` appends whatever entries the facts call for that are
// not there yet. Entries carry unique keys, so duplicates, reorders and late deliveries converge on the
// same ledger (docs/decisions/002-ledger.md).
// Data access: SQL steps (app/platform/sql): this is the webhook hot path, run straight on the
// database driver by the applier (docs/decisions/009-hot-path-sql.md).
import type { OrderRecord } from "@prisma/client";
import type { EarnRuleSnapshot } from "../../domain/earning";
import { reversalForCancel, reversalForRefund, type ReversedPoints } from "../../domain/clawback";
import type { RefundForReversal } from "../../domain/order";
import { parseMoney, toDecimalString } from "../../domain/money";
import type { OrderCancelledPayload, OrderPayload, RefundPayload } from "../../shopify/order-payloads";
import { orderCustomerGid, orderGid, toOrderForEarning, toRefundForReversal } from "../../shopify/order-payloads";
import type { WebhookMeta, WebhookOutcome } from "../../platform/webhook-handler";
import { execute, newId, selectRow, selectRows, toDate, toDateOrNull, toInt, TransactionMemo, type SqlSteps } from "../../platform/sql/statements";
import { ensureShopSteps } from "../shops/shops.server";
import { planOrderEarningSteps } from "./earning-plan.server";
import { appendEntrySteps, type NewEntry } from "../../ledger/ledger.server";
import { enqueueJobSteps } from "../../outbox/outbox.server";
import { markCodesUsedSteps } from "../codes/code-use.server";

const DAY_MS = 86_400_000;

interface StoredRefund extends RefundForReversal {
  applied: boolean;
}

/** The member row of the order's customer (created on their first order); returns its id. */
function* upsertCustomerSteps(shopId: string, gid: string, payload: OrderPayload["customer"], now: Date): SqlSteps<string> {
  const email = payload?.email ?? null;
  const firstName = payload?.first_name ?? null;
  const lastName = payload?.last_name ?? null;
  const row = yield* selectRow<{ id: string }>`
    INSERT INTO "Customer" ("id", "shopId", "shopifyCustomerId", "email", "firstName", "lastName", "createdAt", "updatedAt")
    VALUES (${newId()}, ${shopId}, ${gid}, ${email}, ${firstName}, ${lastName}, ${now}, ${now})
    ON CONFLICT ("shopId", "shopifyCustomerId") DO UPDATE
      SET "email" = excluded."email", "firstName" = excluded."firstName", "lastName" = excluded."lastName", "updatedAt" = excluded."updatedAt"
    RETURNING "id"`;
  return row!.id;
}

interface LockedOrder {
  id: string;
  paidAt: Date | null;
  cancelledAt: Date | null;
  refunds: string;
}

/** Creates the order's row if needed and takes its row lock for the rest of the transaction. */
function* lockOrderSteps(shopId: string, orderId: string, now: Date): SqlSteps<LockedOrder> {
  const row = yield* selectRow<{ id: string; paidAt: unknown; cancelledAt: unknown; refunds: string }>`
    INSERT INTO "OrderRecord" ("id", "shopId", "orderId", "createdAt", "updatedAt") VALUES (${newId()}, ${shopId}, ${orderId}, ${now}, ${now})
    ON CONFLICT ("shopId", "orderId") DO UPDATE SET "lockVersion" = "OrderRecord"."lockVersion" + 1, "updatedAt" = excluded."updatedAt"
    RETURNING "id", "paidAt", "cancelledAt", "refunds"`;
  return { id: row!.id, paidAt: toDateOrNull(row!.paidAt), cancelledAt: toDateOrNull(row!.cancelledAt), refunds: row!.refunds };
}

function actorOf(meta: WebhookMeta): string {
  return `webhook:${meta.topic}`;
}

export function* applyOrderPaidSteps(payload: OrderPayload, meta: WebhookMeta, now = new Date(), memo = new TransactionMemo()): SqlSteps<WebhookOutcome> {
  const shop = yield* memo.get(`shop:${meta.shop}`, () => ensureShopSteps(meta.shop, now));
  const order = toOrderForEarning(payload);
  const customerGid = orderCustomerGid(payload);
  const customerId = customerGid ? yield* upsertCustomerSteps(shop.id, customerGid, payload.customer, now) : null;
  const record = yield* lockOrderSteps(shop.id, order.orderId, now);
  if (record.paidAt) return { outcome: "skipped", reason: "order already processed" };

  const processedAt = new Date(order.processedAt);
  // The same plan the thank-you preview shows (earning-plan.server.ts).
  const { version, settings, wantsWelcome, earlierOrders, result } = yield* planOrderEarningSteps(shop.id, customerId, order, memo);
  const earned = result.outcome === "earned" && customerId !== null;
  const snapshot: EarnRuleSnapshot = { ...result.ruleSnapshot, welcomePoints: 0 };
  const totalPrice = payload.total_price_set?.shop_money.amount ?? null;

  yield* execute`
    UPDATE "OrderRecord" SET "customerId" = ${customerId}, "orderName" = ${payload.name ?? null}, "processedAt" = ${processedAt}, "paidAt" = ${now},
      "totalPrice" = ${totalPrice}, "earnSnapshot" = ${earned ? JSON.stringify(snapshot) : null},
      "earnOutcome" = ${earned ? "earned" : `skipped:${result.skipReason ?? "no_customer"}`},
      "discountCodes" = ${JSON.stringify(order.discountCodes.map((c) => c.toUpperCase()))}, "updatedAt" = ${now}
    WHERE "id" = ${record.id}`;

  if (earned && customerId) {
    const availableAt = new Date(Math.max(processedAt.getTime() + settings.pendingDays * DAY_MS, 0));
    const entries: NewEntry[] = result.entries
      .filter((e) => e.kind !== "welcome_bonus")
      .map((e) => ({
        shopId: shop.id,
        customerId,
        points: e.points,
        kind: e.kind,
        availableAt: settings.pendingDays === 0 ? now : availableAt,
        idempotencyKey: `order:${order.orderId}:${e.kind}`,
        orderId: order.orderId,
        campaignId: e.campaignId ?? null,
        webhookId: meta.webhookId,
        eventId: meta.eventId,
        actor: actorOf(meta),
        settingsVersion: version,
        ruleSnapshot: JSON.stringify(snapshot),
      }));
    if (entries.length > 0) yield* appendEntrySteps(entries, now);

    if (wantsWelcome && earlierOrders === 0) {
      yield* enqueueJobSteps({ shopId: shop.id, kind: "first_order_check", payload: { customerId, customerGid, orderId: order.orderId }, dedupeKey: `first-order:${customerGid}` }, now);
    }
  }

  // Our codes the order used are now spent (whether or not the order earns).
  yield* markCodesUsedSteps({ shopId: shop.id, codes: order.discountCodes, orderId: order.orderId, revenue: totalPrice }, now);
  // Refunds or a cancellation that arrived before this delivery are applied now.
  if (record.refunds !== "[]" || record.cancelledAt) yield* reconcileOrderSteps(shop.id, order.orderId, meta, now);
  if (!customerId) return { outcome: "skipped", reason: "guest_order" };
  return earned ? { outcome: "applied" } : { outcome: "skipped", reason: result.skipReason ?? "not earned" };
}

export function* applyRefundSteps(payload: RefundPayload, meta: WebhookMeta, now = new Date(), memo = new TransactionMemo()): SqlSteps<WebhookOutcome> {
  const shop = yield* memo.get(`shop:${meta.shop}`, () => ensureShopSteps(meta.shop, now));
  const refund = toRefundForReversal(payload);
  const orderId = orderGid(payload.order_id);
  const record = yield* lockOrderSteps(shop.id, orderId, now);
  const refunds = JSON.parse(record.refunds) as StoredRefund[];
  if (refunds.some((r) => r.refundId === refund.refundId)) return { outcome: "skipped", reason: "refund already recorded" };
  refunds.push({ ...refund, applied: false });
  yield* execute`UPDATE "OrderRecord" SET "refunds" = ${JSON.stringify(refunds)}, "updatedAt" = ${now} WHERE "id" = ${record.id}`;
  const applied = yield* reconcileOrderSteps(shop.id, orderId, meta, now);
  return applied ? { outcome: "applied" } : { outcome: "skipped", reason: record.paidAt ? "order earned nothing" : "order not paid yet: kept until it is" };
}

export function* applyOrderCancelledSteps(payload: OrderCancelledPayload, meta: WebhookMeta, now = new Date(), memo = new TransactionMemo()): SqlSteps<WebhookOutcome> {
  const shop = yield* memo.get(`shop:${meta.shop}`, () => ensureShopSteps(meta.shop, now));
  const orderId = orderGid(payload.id);
  const record = yield* lockOrderSteps(shop.id, orderId, now);
  if (record.cancelledAt) return { outcome: "skipped", reason: "cancellation already recorded" };
  const cancelledAt = payload.cancelled_at ? new Date(payload.cancelled_at) : now;
  yield* execute`UPDATE "OrderRecord" SET "cancelledAt" = ${cancelledAt}, "updatedAt" = ${now} WHERE "id" = ${record.id}`;
  const applied = yield* reconcileOrderSteps(shop.id, orderId, meta, now);
  return applied ? { outcome: "applied" } : { outcome: "skipped", reason: record.paidAt ? "nothing left to take back" : "order not paid yet: kept until it is" };
}

/**
 * Appends the reversals the order's facts call for and that are not in the ledger yet. Must run with
 * the order's row locked. Returns whether anything was appended.
 */
export function* reconcileOrderSteps(shopId: string, orderId: string, meta: WebhookMeta | null, now = new Date()): SqlSteps<boolean> {
  const record = yield* selectRow<{ id: string; earnSnapshot: string | null; customerId: string | null; refunds: string; refundedEligible: string; cancelledAt: unknown }>`
    SELECT "id", "earnSnapshot", "customerId", "refunds", "refundedEligible", "cancelledAt" FROM "OrderRecord" WHERE "shopId" = ${shopId} AND "orderId" = ${orderId}`;
  if (!record) throw new Error(`order ${orderId} has no record to reconcile`);
  if (!record.earnSnapshot || !record.customerId) return false;
  const customerId = record.customerId;
  const existing = (yield* selectRows<{ kind: string; points: unknown; reverses: string | null; availableAt: unknown }>`
      SELECT "kind", "points", "reverses", "availableAt" FROM "LedgerEntry" WHERE "shopId" = ${shopId} AND "orderId" = ${orderId}`).map((e) => ({
    kind: e.kind,
    points: toInt(e.points),
    reverses: e.reverses,
    availableAt: toDate(e.availableAt),
  }));

  // The welcome bonus arrives later (first-order check); reverse what was actually given for this order.
  const welcomePoints = existing.filter((e) => e.kind === "welcome_bonus").reduce((s, e) => s + e.points, 0);
  const snapshot: EarnRuleSnapshot = { ...(JSON.parse(record.earnSnapshot) as EarnRuleSnapshot), welcomePoints };
  const reversed: ReversedPoints = { earn: 0, campaign_bonus: 0, welcome_bonus: 0 };
  for (const e of existing) if (e.reverses && e.reverses in reversed) reversed[e.reverses as keyof ReversedPoints] -= e.points;
  // A reversal of points still pending stays pending until the same moment, so the two mature together.
  const availableAtOf = (kind: string) => {
    const earned = existing.find((e) => e.points > 0 && e.kind === kind);
    return earned && earned.availableAt > now ? earned.availableAt : now;
  };
  const base = {
    shopId,
    customerId,
    orderId,
    webhookId: meta?.webhookId ?? null,
    eventId: meta?.eventId ?? null,
    actor: meta ? actorOf(meta) : "system:reconcile",
    ruleSnapshot: null,
  };

  const appended: NewEntry[] = [];
  const refunds = JSON.parse(record.refunds) as StoredRefund[];
  let refundedEligible = record.refundedEligible;
  let refundsChanged = false;
  // Refunds apply in the order Shopify made them; the totals do not depend on it (clawback.ts).
  for (const refund of [...refunds].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.refundId.localeCompare(b.refundId))) {
    if (refund.applied) continue;
    const result = reversalForRefund({ snapshot, refund, refundedBefore: refundedEligible, reversedBefore: reversed });
    for (const entry of result.entries) {
      reversed[entry.reverses] -= entry.points;
      appended.push({
        ...base,
        kind: "refund_reversal",
        reverses: entry.reverses,
        points: entry.points,
        refundId: refund.refundId,
        availableAt: availableAtOf(entry.reverses),
        idempotencyKey: `refund:${refund.refundId}:${entry.reverses}`,
        reason: `refund of ${toDecimalString(parseMoney(result.refundedEligible))} eligible`,
      });
    }
    refundedEligible = toDecimalString(parseMoney(refundedEligible) + parseMoney(result.refundedEligible));
    refund.applied = true;
    refundsChanged = true;
  }
  if (record.cancelledAt) {
    for (const entry of reversalForCancel({ snapshot, reversedBefore: reversed }).entries) {
      reversed[entry.reverses] -= entry.points;
      appended.push({
        ...base,
        kind: "cancel_reversal",
        reverses: entry.reverses,
        points: entry.points,
        availableAt: availableAtOf(entry.reverses),
        idempotencyKey: `cancel:${orderId}:${entry.reverses}`,
        reason: "order cancelled",
      });
    }
  }
  if (refundsChanged) yield* execute`UPDATE "OrderRecord" SET "refunds" = ${JSON.stringify(refunds)}, "refundedEligible" = ${refundedEligible}, "updatedAt" = ${now} WHERE "id" = ${record.id}`;
  if (appended.length > 0) yield* appendEntrySteps(appended, now);
  return appended.length > 0 || refundsChanged;
}

/** Whether an order has been cancelled or refunded in full (no welcome bonus for it then). */
export function orderFullyReversed(record: OrderRecord): boolean {
  if (record.cancelledAt) return true;
  if (!record.earnSnapshot) return false;
  const snapshot = JSON.parse(record.earnSnapshot) as EarnRuleSnapshot;
  return parseMoney(record.refundedEligible) >= parseMoney(snapshot.base);
}

// Ledger effects of order webhooks. Every delivery records its fact on the order's row (locked for
// the transaction) and then `reconcileOrder` appends whatever entries the facts call for that are not
// there yet. Entries carry unique keys, so duplicates, reorders and late deliveries converge on the
// same ledger (docs/decisions/002-ledger.md).
import type { Customer, OrderRecord } from "@prisma/client";
import { pointsForOrder, type EarnRuleSnapshot } from "../loyalty/earning";
import { reversalForCancel, reversalForRefund, type ReversedPoints } from "../loyalty/clawback";
import type { CampaignRule } from "../loyalty/campaigns";
import type { RefundForReversal } from "../loyalty/order";
import { parseMoney, toDecimalString } from "../loyalty/money";
import type { OrderPayload, RefundPayload } from "../shopify/order-payloads";
import { orderCustomerGid, orderGid, toOrderForEarning, toRefundForReversal } from "../shopify/order-payloads";
import type { Tx, WebhookMeta, WebhookOutcome } from "../webhooks/receive.server";
import { ensureShop } from "./shops.server";
import { campaignRule } from "./campaigns.server";
import { currentSettings } from "./settings.server";
import { appendEntries, type NewEntry } from "./ledger.server";
import { enqueueJob } from "../jobs/outbox.server";
import { markCodesUsed } from "../codes/codes.server";

const DAY_MS = 86_400_000;

interface StoredRefund extends RefundForReversal {
  applied: boolean;
}

async function upsertCustomer(tx: Tx, shopId: string, gid: string, payload: OrderPayload["customer"]): Promise<Customer> {
  const names = payload ? { email: payload.email ?? null, firstName: payload.first_name ?? null, lastName: payload.last_name ?? null } : {};
  return tx.customer.upsert({
    where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: gid } },
    create: { shopId, shopifyCustomerId: gid, ...names },
    update: names,
  });
}

/** Creates the order's row if needed and takes its row lock for the rest of the transaction. */
async function lockOrder(tx: Tx, shopId: string, orderId: string): Promise<OrderRecord> {
  return tx.orderRecord.upsert({
    where: { shopId_orderId: { shopId, orderId } },
    create: { shopId, orderId },
    update: { lockVersion: { increment: 1 } },
  });
}

async function campaignsAround(tx: Tx, shopId: string, instant: Date): Promise<CampaignRule[]> {
  const rows = await tx.campaign.findMany({ where: { shopId, startsAt: { lte: instant }, endsAt: { gt: instant } } });
  return rows.map(campaignRule);
}

function actorOf(meta: WebhookMeta): string {
  return `webhook:${meta.topic}`;
}

export async function applyOrderPaid(tx: Tx, payload: OrderPayload, meta: WebhookMeta, now = new Date()): Promise<WebhookOutcome> {
  const shop = await ensureShop(tx, meta.shop);
  const order = toOrderForEarning(payload);
  const customerGid = orderCustomerGid(payload);
  const customer = customerGid ? await upsertCustomer(tx, shop.id, customerGid, payload.customer) : null;
  const record = await lockOrder(tx, shop.id, order.orderId);
  if (record.paidAt) return { outcome: "skipped", reason: "order already processed" };

  const processedAt = new Date(order.processedAt);
  const { version, settings } = await currentSettings(tx, shop.id);
  const campaigns = await campaignsAround(tx, shop.id, processedAt);
  const wantsWelcome = settings.welcomeBonusPoints > 0 || settings.welcomeCode.enabled;
  // Only asked when something depends on it (a query less on the hot path).
  const earlierOrders =
    customer && (wantsWelcome || campaigns.some((c) => c.firstOrderOnly))
      ? await tx.orderRecord.count({ where: { shopId: shop.id, customerId: customer.id, paidAt: { not: null }, processedAt: { lt: processedAt } } })
      : 0;
  const result = pointsForOrder({
    order,
    settings,
    campaigns,
    // The welcome bonus is decided by the first-order check job (first EVER at the shop, which only
    // the Admin API knows); campaigns limited to first orders use what the app has seen.
    isFirstOrder: earlierOrders === 0,
  });
  const earned = result.outcome === "earned" && customer !== null;
  const snapshot: EarnRuleSnapshot = { ...result.ruleSnapshot, welcomePoints: 0 };

  await tx.orderRecord.update({
    where: { id: record.id },
    data: {
      customerId: customer?.id ?? null,
      orderName: payload.name ?? null,
      processedAt,
      paidAt: now,
      totalPrice: payload.total_price_set?.shop_money.amount ?? null,
      earnSnapshot: earned ? JSON.stringify(snapshot) : null,
      earnOutcome: earned ? "earned" : `skipped:${result.skipReason ?? "no_customer"}`,
      discountCodes: JSON.stringify(order.discountCodes.map((c) => c.toUpperCase())),
    },
  });

  if (earned && customer) {
    const availableAt = new Date(Math.max(processedAt.getTime() + settings.pendingDays * DAY_MS, 0));
    const entries: NewEntry[] = result.entries
      .filter((e) => e.kind !== "welcome_bonus")
      .map((e) => ({
        shopId: shop.id,
        customerId: customer.id,
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
    if (entries.length > 0) await appendEntries(tx, entries, now);

    if (wantsWelcome && earlierOrders === 0) {
      await enqueueJob(tx, {
        shopId: shop.id,
        kind: "first_order_check",
        payload: { customerId: customer.id, customerGid, orderId: order.orderId },
        dedupeKey: `first-order:${customerGid}`,
      });
    }
  }

  // Our codes the order used are now spent (whether or not the order earns).
  await markCodesUsed(tx, { shopId: shop.id, codes: order.discountCodes, orderId: order.orderId, revenue: payload.total_price_set?.shop_money.amount ?? null });
  // Refunds or a cancellation that arrived before this delivery are applied now.
  if (record.refunds !== "[]" || record.cancelledAt) await reconcileOrder(tx, shop.id, order.orderId, meta, now);
  if (!customer) return { outcome: "skipped", reason: "guest_order" };
  return earned ? { outcome: "applied" } : { outcome: "skipped", reason: result.skipReason ?? "not earned" };
}

export async function applyRefund(tx: Tx, payload: RefundPayload, meta: WebhookMeta, now = new Date()): Promise<WebhookOutcome> {
  const shop = await ensureShop(tx, meta.shop);
  const refund = toRefundForReversal(payload);
  const orderId = orderGid(payload.order_id);
  const record = await lockOrder(tx, shop.id, orderId);
  const refunds: StoredRefund[] = JSON.parse(record.refunds);
  if (refunds.some((r) => r.refundId === refund.refundId)) return { outcome: "skipped", reason: "refund already recorded" };
  refunds.push({ ...refund, applied: false });
  await tx.orderRecord.update({ where: { id: record.id }, data: { refunds: JSON.stringify(refunds) } });
  const applied = await reconcileOrder(tx, shop.id, orderId, meta, now);
  return applied ? { outcome: "applied" } : { outcome: "skipped", reason: record.paidAt ? "order earned nothing" : "order not paid yet: kept until it is" };
}

export async function applyOrderCancelled(tx: Tx, payload: OrderPayload, meta: WebhookMeta, now = new Date()): Promise<WebhookOutcome> {
  const shop = await ensureShop(tx, meta.shop);
  const orderId = orderGid(payload.id);
  const record = await lockOrder(tx, shop.id, orderId);
  if (record.cancelledAt) return { outcome: "skipped", reason: "cancellation already recorded" };
  await tx.orderRecord.update({ where: { id: record.id }, data: { cancelledAt: payload.cancelled_at ? new Date(payload.cancelled_at) : now } });
  const applied = await reconcileOrder(tx, shop.id, orderId, meta, now);
  return applied ? { outcome: "applied" } : { outcome: "skipped", reason: record.paidAt ? "nothing left to take back" : "order not paid yet: kept until it is" };
}

/**
 * Appends the reversals the order's facts call for and that are not in the ledger yet. Must run with
 * the order's row locked. Returns whether anything was appended.
 */
export async function reconcileOrder(tx: Tx, shopId: string, orderId: string, meta: WebhookMeta | null, now = new Date()): Promise<boolean> {
  const record = await tx.orderRecord.findUniqueOrThrow({ where: { shopId_orderId: { shopId, orderId } } });
  if (!record.earnSnapshot || !record.customerId) return false;
  const customerId = record.customerId;
  const existing = await tx.ledgerEntry.findMany({ where: { shopId, orderId } });

  // The welcome bonus arrives later (first-order check); reverse what was actually given for this order.
  const welcomePoints = existing.filter((e) => e.kind === "welcome_bonus").reduce((s, e) => s + e.points, 0);
  const snapshot: EarnRuleSnapshot = { ...JSON.parse(record.earnSnapshot), welcomePoints };
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
  const refunds: StoredRefund[] = JSON.parse(record.refunds);
  let refundedEligible = record.refundedEligible;
  let refundsChanged = false;
  // Refunds apply in the order Shopify made them; the totals do not depend on it (clawback.ts).
  for (const refund of [...refunds].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.refundId.localeCompare(b.refundId))) {
    if (refund.applied) continue;
    const result = reversalForRefund({ snapshot, refund, refundedBefore: refundedEligible, reversedBefore: reversed });
    for (const entry of result.entries) {
      reversed[entry.reverses] -= entry.points;
      appended.push({ ...base, kind: "refund_reversal", reverses: entry.reverses, points: entry.points, refundId: refund.refundId, availableAt: availableAtOf(entry.reverses), idempotencyKey: `refund:${refund.refundId}:${entry.reverses}`, reason: `refund of ${toDecimalString(parseMoney(result.refundedEligible))} eligible` });
    }
    refundedEligible = toDecimalString(parseMoney(refundedEligible) + parseMoney(result.refundedEligible));
    refund.applied = true;
    refundsChanged = true;
  }
  if (record.cancelledAt) {
    for (const entry of reversalForCancel({ snapshot, reversedBefore: reversed }).entries) {
      reversed[entry.reverses] -= entry.points;
      appended.push({ ...base, kind: "cancel_reversal", reverses: entry.reverses, points: entry.points, availableAt: availableAtOf(entry.reverses), idempotencyKey: `cancel:${orderId}:${entry.reverses}`, reason: "order cancelled" });
    }
  }
  if (refundsChanged) await tx.orderRecord.update({ where: { id: record.id }, data: { refunds: JSON.stringify(refunds), refundedEligible } });
  if (appended.length > 0) await appendEntries(tx, appended, now);
  return appended.length > 0 || refundsChanged;
}

/** Whether an order has been cancelled or refunded in full (no welcome bonus for it then). */
export function orderFullyReversed(record: OrderRecord): boolean {
  if (record.cancelledAt) return true;
  if (!record.earnSnapshot) return false;
  const snapshot: EarnRuleSnapshot = JSON.parse(record.earnSnapshot);
  return parseMoney(record.refundedEligible) >= parseMoney(snapshot.base);
}

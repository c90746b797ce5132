// What an order earns under the shop's current program: the settings, the campaigns around the order's
// own instant, whether it is the member's first paid order the app has seen, and `pointsForOrder`.
// One function for the two callers that must agree: orders/paid (which then writes the entries) and the
// thank-you preview (which writes nothing), so the preview shows what the webhook will apply.
// Data access: SQL steps (app/platform/sql): it runs inside the orders/paid transaction on the hot path.
import { pointsForOrder, type EarnResult } from "../../domain/earning";
import type { OrderForEarning } from "../../domain/order";
import type { CampaignRule } from "../../domain/campaigns";
import type { ProgramSettings } from "../../domain/settings";
import { sqlOf, type Db } from "../../platform/db.server";
import { selectRow, toInt, TransactionMemo, type SqlSteps } from "../../platform/sql/statements";
import { campaignsAroundSteps } from "../program/campaigns.server";
import { currentSettingsSteps } from "../program/settings.server";

export interface EarningPlan {
  version: number;
  settings: ProgramSettings;
  campaigns: CampaignRule[];
  /** The program gives something for a first order (bonus points or a welcome code). */
  wantsWelcome: boolean;
  /** Paid orders of this member processed before this one, as far as the app has seen (0 without a member). */
  earlierOrders: number;
  result: EarnResult;
}

/**
 * `customerId` is our Customer.id (null for a guest, or a shopper the app has no row for yet, who has
 * no earlier orders). `order.customerId` decides whether the domain sees a member at all.
 */
export function* planOrderEarningSteps(shopId: string, customerId: string | null, order: OrderForEarning, memo = new TransactionMemo()): SqlSteps<EarningPlan> {
  const processedAt = new Date(order.processedAt);
  const { version, settings } = yield* memo.get(`settings:${shopId}`, () => currentSettingsSteps(shopId));
  const campaigns = yield* campaignsAroundSteps(shopId, processedAt);
  const wantsWelcome = settings.welcomeBonusPoints > 0 || settings.welcomeCode.enabled;
  // Only asked when something depends on it (a query less on the hot path).
  let earlierOrders = 0;
  if (customerId && (wantsWelcome || campaigns.some((c) => c.firstOrderOnly))) {
    const row = yield* selectRow<{ n: unknown }>`
      SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM "OrderRecord"
      WHERE "shopId" = ${shopId} AND "customerId" = ${customerId} AND "paidAt" IS NOT NULL AND "processedAt" < ${processedAt}`;
    earlierOrders = toInt(row!.n);
  }
  const result = pointsForOrder({
    order,
    settings,
    campaigns,
    // The welcome bonus is decided by the first-order check job (first EVER at the shop, which only
    // the Admin API knows); campaigns limited to first orders use what the app has seen.
    isFirstOrder: earlierOrders === 0,
  });
  return { version, settings, campaigns, wantsWelcome, earlierOrders, result };
}

/** The member row of a customer GID, or null: read-only (the preview must not create members). */
function* memberIdSteps(shopId: string, customerGid: string): SqlSteps<string | null> {
  const row = yield* selectRow<{ id: string }>`SELECT "id" FROM "Customer" WHERE "shopId" = ${shopId} AND "shopifyCustomerId" = ${customerGid}`;
  return row?.id ?? null;
}

/**
 * The plan for an order that has not been applied yet; reads only. Run as plain statements, not a
 * transaction: on SQLite a transaction of the SQL path takes the write lock (BEGIN IMMEDIATE), which a
 * read has no reason to hold.
 */
export function previewOrderEarning(db: Db, shopId: string, customerGid: string | null, order: OrderForEarning): Promise<EarningPlan> {
  return sqlOf(db).statement(function* () {
    const customerId = customerGid ? yield* memberIdSteps(shopId, customerGid) : null;
    return yield* planOrderEarningSteps(shopId, customerId, order);
  });
}

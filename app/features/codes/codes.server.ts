// Discount codes: the welcome thank-you code and rewards bought with points. A code row and its
// creation job are written in the same transaction as the ledger change that calls for them; the
// code string is derived from the row's purpose, so a retry finds the code instead of making another.
// Data access: Prisma models (redemptions, the welcome job and expiry are off the hot path); codes
// used by orders are marked on the hot path, in SQL steps (code-use.server.ts).
import { randomUUID } from "node:crypto";
import type { IssuedCode, Reward } from "@prisma/client";
import type { Db } from "../../platform/db.server";
import type { Tx } from "../../platform/db.server";
import { appendEntries } from "../../ledger/ledger.server";
import { currentSettings } from "../program/settings.server";
import { enqueueJob } from "../../outbox/outbox.server";
import { checkRedemption, codeWindow, deterministicCode, type RewardOption } from "../../domain/redemption";

/** What the code gives, frozen at issue (JSON in IssuedCode.rewardSnapshot). */
export interface CodeTerms {
  title: string;
  discountType: "percentage" | "fixed_amount" | "free_shipping";
  value: string;
  minSubtotal: string | null;
  combinesWith: { orderDiscounts: boolean; productDiscounts: boolean; shippingDiscounts: boolean };
  rewardId?: string;
}

export function codeTerms(code: Pick<IssuedCode, "rewardSnapshot">): CodeTerms {
  return JSON.parse(code.rewardSnapshot) as CodeTerms;
}

export function rewardOption(r: Reward): RewardOption {
  return { id: r.id, name: r.name, pointsCost: r.pointsCost, discountType: r.discountType as RewardOption["discountType"], value: r.value, minSubtotal: r.minSubtotal, validityDays: r.validityDays, active: r.active };
}

async function issueCode(
  tx: Tx,
  input: { shopId: string; customerId: string; customerGid: string; code: string; source: "welcome" | "redemption"; redemptionId?: string; terms: CodeTerms; startsAt: Date; endsAt: Date; pointsSpent: number },
): Promise<IssuedCode> {
  const row = await tx.issuedCode.create({
    data: {
      shopId: input.shopId,
      customerId: input.customerId,
      code: input.code,
      source: input.source,
      redemptionId: input.redemptionId ?? null,
      rewardSnapshot: JSON.stringify(input.terms),
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      status: "creating",
      pointsSpent: input.pointsSpent,
    },
  });
  await enqueueJob(tx, { shopId: input.shopId, kind: "create_discount_code", payload: { issuedCodeId: row.id, customerGid: input.customerGid }, dedupeKey: `code:${row.id}` });
  return row;
}

/** The welcome thank-you code: valid N days from the order, in the shop's time zone. Once per customer. */
export async function issueWelcomeCode(tx: Tx, input: { shopId: string; customerId: string; customerGid: string; orderProcessedAt: Date }): Promise<IssuedCode | null> {
  const code = deterministicCode({ prefix: "WELCOME", seed: `welcome:${input.shopId}:${input.customerGid}` });
  const existing = await tx.issuedCode.findUnique({ where: { shopId_code: { shopId: input.shopId, code } } });
  if (existing) return existing;
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: input.shopId } });
  const { settings } = await currentSettings(tx, input.shopId);
  const wc = settings.welcomeCode;
  const window = codeWindow({ issuedAt: input.orderProcessedAt, validityDays: wc.validityDays, ianaTimeZone: shop.ianaTimezone });
  return issueCode(tx, {
    ...input,
    code,
    source: "welcome",
    terms: { title: "Thank you for your first order", discountType: wc.discountType, value: wc.value, minSubtotal: wc.minSubtotal, combinesWith: wc.combinesWith },
    startsAt: window.startsAt,
    endsAt: window.endsAt,
    pointsSpent: 0,
  });
}

export type RedeemResult = { ok: true; code: IssuedCode; balance: number } | { ok: false; status: number; reason: string; message: string };

/**
 * Spends points on a reward. The debit and the code row are one transaction, taken under the
 * customer's row lock (the balance update), so concurrent redemptions can never overdraw.
 */
export async function redeemReward(db: Db, input: { shopId: string; customerId: string; rewardId: string; actor: string; now?: Date }): Promise<RedeemResult> {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    // Takes the row lock (PostgreSQL) before reading the balance the decision rests on. (Touches only
    // updatedAt: a refused attempt is not member activity.) The transaction's first statement, so on
    // SQLite it starts as a writer (waiting its turn) instead of reading first and failing with
    // SQLITE_BUSY_SNAPSHOT when another connection (the worker's SQL path) commits in between.
    // Scoped to the shop, so another shop's customer id touches nothing.
    const { count } = await tx.customer.updateMany({ where: { id: input.customerId, shopId: input.shopId }, data: { updatedAt: now } });
    if (count === 0) return { ok: false, status: 404, reason: "unknown_customer", message: "Unknown customer." };
    const reward = await tx.reward.findFirst({ where: { id: input.rewardId, shopId: input.shopId } });
    if (!reward) return { ok: false, status: 404, reason: "unknown_reward", message: "This reward doesn't exist." };
    const customer = await tx.customer.findUniqueOrThrow({ where: { id: input.customerId } });
    const check = checkRedemption({ balance: customer.balance, reward: rewardOption(reward) });
    if (!check.ok) return { ok: false, status: 409, reason: check.reason, message: check.message };

    const shop = await tx.shop.findUniqueOrThrow({ where: { id: input.shopId } });
    const redemptionId = randomUUID();
    await appendEntries(
      tx,
      [
        {
          shopId: input.shopId,
          customerId: customer.id,
          points: -reward.pointsCost,
          kind: "redemption",
          availableAt: now,
          idempotencyKey: `redemption:${redemptionId}`,
          redemptionId,
          actor: input.actor,
          reason: reward.name,
        },
      ],
      now,
    );
    const window = codeWindow({ issuedAt: now, validityDays: reward.validityDays, ianaTimeZone: shop.ianaTimezone });
    const code = await issueCode(tx, {
      shopId: input.shopId,
      customerId: customer.id,
      customerGid: customer.shopifyCustomerId,
      code: deterministicCode({ prefix: "REWARD", seed: `redemption:${redemptionId}` }),
      source: "redemption",
      redemptionId,
      terms: {
        title: reward.name,
        discountType: reward.discountType as CodeTerms["discountType"],
        value: reward.value,
        minSubtotal: reward.minSubtotal,
        combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
        rewardId: reward.id,
      },
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      pointsSpent: reward.pointsCost,
    });
    return { ok: true, code, balance: customer.balance - reward.pointsCost };
  });
}

/** Gives a redemption's points back (code could not be created, or expired unused). Once per redemption. */
export async function returnRedemptionPoints(tx: Tx, code: IssuedCode, why: "failed" | "expired", now = new Date()): Promise<void> {
  if (code.source !== "redemption" || !code.redemptionId || code.pointsSpent <= 0) return;
  const key = `redemption-return:${code.redemptionId}`;
  if (await tx.ledgerEntry.findUnique({ where: { shopId_idempotencyKey: { shopId: code.shopId, idempotencyKey: key } } })) return;
  await appendEntries(
    tx,
    [
      {
        shopId: code.shopId,
        customerId: code.customerId,
        points: code.pointsSpent,
        kind: "redemption_return",
        availableAt: now,
        idempotencyKey: key,
        redemptionId: code.redemptionId,
        actor: "system:codes",
        reason: why === "failed" ? `code ${code.code} could not be created` : `code ${code.code} expired unused`,
      },
    ],
    now,
  );
}

/**
 * Webhooks can arrive a day late: an order placed just before a code's end may be reported after
 * it. Codes are only called expired (and points returned) once this grace period has passed too.
 */
export const EXPIRY_GRACE_MS = 48 * 3_600_000;

/**
 * Issued codes past their end (plus the grace period) become expired; a redemption's points come
 * back when the shop says so. Safe on several instances: each code moves under a conditional update.
 */
export async function expireCodes(db: Db, now = new Date(), batchSize = 200): Promise<number> {
  const cutoff = new Date(now.getTime() - EXPIRY_GRACE_MS);
  const due = await db.issuedCode.findMany({ where: { status: "issued", endsAt: { lt: cutoff } }, take: batchSize, orderBy: { endsAt: "asc" } });
  let expired = 0;
  for (const code of due) {
    await db.$transaction(async (tx) => {
      const { count } = await tx.issuedCode.updateMany({ where: { id: code.id, status: "issued" }, data: { status: "expired" } });
      if (count === 0) return;
      expired += 1;
      const { settings } = await currentSettings(tx, code.shopId);
      if (settings.expiredCodesReturnPoints) await returnRedemptionPoints(tx, code, "expired", now);
    });
  }
  return expired;
}

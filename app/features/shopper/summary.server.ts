// One answer for every surface where a shopper meets the program (the storefront panel through the
// app proxy, the thank-you and order-status blocks, the customer account's Rewards page): balance,
// pending points, rewards, the next reward, recent history and the codes the shopper can still use.
// Each surface authenticates its own way and passes only the customer its token names.
// Data access: Prisma models.
import prisma from "../../db.server";
import { codeTerms, rewardOption } from "../codes/codes.server";
import { affordableRewards, nextReward } from "../../domain/redemption";
import { shopperEntryLabel } from "../../domain/entry-kinds";
import { activeCodeViews, type ActiveCodeView } from "../../domain/shopper-codes";

export interface ShopperSummary {
  loggedIn: true;
  balance: number;
  pending: number;
  rewards: { id: string; name: string; pointsCost: number; discountType: string; value: string }[];
  affordable: string[];
  nextReward: { id: string; name: string; pointsNeeded: number } | null;
  /** `description` reads in English; `detail` (the order name, or the reward redeemed) lets a surface say it in its own words. */
  history: { points: number; kind: string; at: string; description: string; detail: string }[];
  activeCodes: ActiveCodeView[];
}

/** Codes listed at most (soonest ending first). */
export const ACTIVE_CODES_LIMIT = 20;

/** The shop row for a domain, or null (not installed, or uninstalled). */
export function shopByDomain(domain: string) {
  return prisma.shop.findFirst({ where: { domain, uninstalledAt: null } });
}

/** Answered with indexed queries only; a customer with no row yet (no order) gets zeros. */
export async function shopperSummary(shopId: string, customerGid: string, options: { historyLimit?: number; now?: Date } = {}): Promise<ShopperSummary> {
  const now = options.now ?? new Date();
  const [customer, rewards] = await Promise.all([
    prisma.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId, shopifyCustomerId: customerGid } } }),
    prisma.reward.findMany({ where: { shopId, active: true }, orderBy: { pointsCost: "asc" } }),
  ]);
  const balance = customer?.balance ?? 0;
  const rewardOptions = rewards.map(rewardOption);
  const [entries, activeCodes] = customer
    ? await Promise.all([
        // historyLimit 0 (the order blocks show no history): no query at all.
        options.historyLimit === 0 ? [] : prisma.ledgerEntry.findMany({ where: { shopId, customerId: customer.id }, orderBy: { createdAt: "desc" }, take: options.historyLimit ?? 10 }),
        memberActiveCodes(shopId, customer.id, now),
      ])
    : [[], []];
  const orderIds = [...new Set(entries.map((e) => e.orderId).filter((x): x is string => Boolean(x)))];
  const orders = orderIds.length ? await prisma.orderRecord.findMany({ where: { shopId, orderId: { in: orderIds } }, select: { orderId: true, orderName: true } }) : [];
  const orderName = new Map(orders.map((o) => [o.orderId, o.orderName]));
  const next = nextReward(balance, rewardOptions);
  return {
    loggedIn: true,
    balance,
    pending: customer?.pending ?? 0,
    rewards: rewardOptions.map((r) => ({ id: r.id, name: r.name, pointsCost: r.pointsCost, discountType: r.discountType, value: r.value })),
    affordable: affordableRewards(balance, rewardOptions).map((r) => r.id),
    nextReward: next ? { id: next.reward.id, name: next.reward.name, pointsNeeded: next.pointsNeeded } : null,
    history: entries.map((e) => {
      const detail = e.orderId ? (orderName.get(e.orderId) ?? "") : e.kind === "redemption" ? (e.reason ?? "") : "";
      return { points: e.points, kind: e.kind, at: e.createdAt.toISOString(), description: [shopperEntryLabel(e.kind), detail].filter(Boolean).join(" "), detail };
    }),
    activeCodes,
  };
}

/** The codes a member can still use at `now` (domain/shopper-codes.ts decides), soonest ending first. */
export async function memberActiveCodes(shopId: string, customerId: string, now: Date): Promise<ActiveCodeView[]> {
  // Uses the (shopId, customerId) index and asks only for what activeCodeViews keeps; a member holds a
  // handful of codes, the cap bounds the answer.
  const codes = await prisma.issuedCode.findMany({
    where: { shopId, customerId, status: "issued", startsAt: { lte: now }, endsAt: { gt: now } },
    select: { code: true, source: true, status: true, startsAt: true, endsAt: true, rewardSnapshot: true },
    orderBy: [{ endsAt: "asc" }, { code: "asc" }],
    take: ACTIVE_CODES_LIMIT,
  });
  return activeCodeViews(
    codes.map((c) => ({ ...c, terms: codeTerms(c) })),
    now,
  );
}

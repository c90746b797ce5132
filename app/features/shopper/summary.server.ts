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

/** The shop row for a domain, or null (not installed, or uninstalled). */
export function shopByDomain(domain: string) {
  return prisma.shop.findUnique({ where: { domain } });
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
  const [entries, codes] = customer
    ? await Promise.all([
        prisma.ledgerEntry.findMany({ where: { shopId, customerId: customer.id }, orderBy: { createdAt: "desc" }, take: options.historyLimit ?? 10 }),
        prisma.issuedCode.findMany({ where: { shopId, customerId: customer.id, status: "issued", endsAt: { gt: now } } }),
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
    activeCodes: activeCodeViews(
      codes.map((c) => ({ ...c, terms: codeTerms(c) })),
      now,
    ),
  };
}

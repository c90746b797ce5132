import prisma from "../db.server";

/** Headline numbers for the admin home page, scoped to one shop. */
export async function shopOverview(shopDomain: string) {
  const shop = await prisma.shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) return { members: 0, pointsIssued: 0, pointsOutstanding: 0 };
  const [members, issued, outstanding] = await Promise.all([
    prisma.customer.count({ where: { shopId: shop.id } }),
    prisma.ledgerEntry.aggregate({ where: { shopId: shop.id, points: { gt: 0 } }, _sum: { points: true } }),
    prisma.customer.aggregate({ where: { shopId: shop.id }, _sum: { balance: true, pending: true } }),
  ]);
  return {
    members,
    pointsIssued: issued._sum.points ?? 0,
    pointsOutstanding: (outstanding._sum.balance ?? 0) + (outstanding._sum.pending ?? 0),
  };
}

// The program as the storefront's Liquid sees it: the app-data metafield `loyalty.program`
// (rate, rounding, the campaign running now, rewards), rebuilt whenever one of them changes and at
// each campaign boundary.
// Data access: Prisma models.
import type { Db } from "../../platform/db.server";
import type { Tx } from "../../platform/db.server";
import type { ProgramMetafieldValue } from "../../shopify/program-metafield.server";
import { currentSettings } from "./settings.server";
import { selectCampaign } from "../../domain/campaigns";
import { campaignRule } from "./campaigns.server";

/** The value to write now, and when it next changes by itself (a campaign starts or ends). */
export async function programMetafieldValue(db: Db | Tx, shopId: string, now: Date): Promise<{ value: ProgramMetafieldValue; nextChangeAt: Date | null }> {
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  const { settings } = await currentSettings(db, shopId);
  const [campaigns, rewards] = await Promise.all([
    db.campaign.findMany({ where: { shopId, endsAt: { gt: now }, endedAt: null } }),
    db.reward.findMany({ where: { shopId, active: true }, orderBy: { pointsCost: "asc" } }),
  ]);
  // What a product page promises is what every order earns: campaigns limited to first orders,
  // minimum subtotals or promo codes are left out of the promise.
  const unconditional = campaigns.map(campaignRule).filter((c) => !c.firstOrderOnly && !c.minSubtotal && !c.promoCode);
  const active = selectCampaign({ campaigns: unconditional, orderInstant: now.toISOString(), merchandiseSubtotal: "0", isFirstOrder: false, discountCodes: [], stacking: settings.campaignStacking });
  const named = active ? unconditional.find((c) => c.id === active.campaignIds[0]) : undefined;
  const boundaries = campaigns
    .flatMap((c) => [c.startsAt, c.endsAt])
    .filter((d) => d > now)
    .sort((a, b) => a.getTime() - b.getTime());
  return {
    value: {
      enabled: settings.enabled,
      programName: "Rewards",
      pointsPerUnit: settings.pointsPerUnit,
      rounding: settings.rounding,
      currencyCode: shop.currencyCode,
      campaign: active && named ? { name: named.name, multiplier: active.multiplier, endsAt: active.campaignIds.map((id) => unconditional.find((c) => c.id === id)!.endsAt).sort()[0]! } : null,
      rewards: rewards.map((r) => ({ id: r.id, name: r.name, pointsCost: r.pointsCost, discountType: r.discountType as "fixed_amount" | "percentage" | "free_shipping", value: r.value })),
      updatedAt: now.toISOString(),
    },
    nextChangeAt: boundaries[0] ?? null,
  };
}

// A stored campaign as the domain sees it (instants as ISO strings).
import type { Campaign } from "@prisma/client";
import type { CampaignRule } from "../loyalty/campaigns";

export function campaignRule(row: Campaign): CampaignRule {
  return {
    id: row.id,
    name: row.name,
    multiplier: row.multiplier,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    minSubtotal: row.minSubtotal,
    firstOrderOnly: row.firstOrderOnly,
    promoCode: row.promoCode,
    endedAt: row.endedAt?.toISOString() ?? null,
  };
}

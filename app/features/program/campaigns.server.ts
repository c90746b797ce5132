// A stored campaign as the domain sees it (instants as ISO strings).
// Data access: SQL steps (app/platform/sql): the campaigns around an order are read on the webhook hot path.
import type { Campaign } from "@prisma/client";
import type { CampaignRule } from "../../domain/campaigns";
import { selectRows, toBool, toDate, toDateOrNull, type SqlSteps } from "../../platform/sql/statements";

export function campaignRule(row: Pick<Campaign, "id" | "name" | "multiplier" | "startsAt" | "endsAt" | "minSubtotal" | "firstOrderOnly" | "promoCode" | "endedAt">): CampaignRule {
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

/** Campaigns whose window contains the instant (the order's own time, never the delivery's). */
export function* campaignsAroundSteps(shopId: string, instant: Date): SqlSteps<CampaignRule[]> {
  const rows = yield* selectRows<Record<string, unknown>>`
    SELECT "id", "name", "multiplier", "startsAt", "endsAt", "minSubtotal", "firstOrderOnly", "promoCode", "endedAt"
    FROM "Campaign" WHERE "shopId" = ${shopId} AND "startsAt" <= ${instant} AND "endsAt" > ${instant}`;
  return rows.map((row) =>
    campaignRule({
      id: row.id as string,
      name: row.name as string,
      multiplier: row.multiplier as string,
      startsAt: toDate(row.startsAt),
      endsAt: toDate(row.endsAt),
      minSubtotal: (row.minSubtotal as string | null) ?? null,
      firstOrderOnly: toBool(row.firstOrderOnly),
      promoCode: (row.promoCode as string | null) ?? null,
      endedAt: toDateOrNull(row.endedAt),
    }),
  );
}

// What an order earns. The result carries a snapshot of the rules used, so refunds and cancels
// months later are reversed with the rate, multiplier and rounding the order actually earned
// with, whatever the settings say by then.
import { z } from "zod";
import { type CampaignRule, selectCampaign } from "./campaigns";
import { type RoundingMode, FIXED_ONE, isDecimalString, multiplyByRates, parseMoney, parseRate, roundPoints } from "./money";
import { type OrderForEarning, earningBase, hasExcludedTag } from "./order";
import type { ProgramSettings } from "./settings";
import type { EntryKind } from "./entry-kinds";

/** The kinds an order earns (and a refund or cancellation reverses, kind by kind). */
export type EarnEntryKind = Extract<EntryKind, "earn" | "campaign_bonus" | "welcome_bonus">;

export interface PlannedEntry {
  kind: EarnEntryKind;
  /** Positive; entries that would be 0 points are left out. */
  points: number;
  campaignId?: string;
}

export type SkipReason = "program_paused" | "guest_order" | "test_order" | "excluded_tag" | "below_minimum" | "zero_base";

/** Plain JSON: stored with the earn entries and handed back to clawback. */
export interface EarnRuleSnapshot {
  version: 1;
  pointsPerUnit: string;
  rounding: RoundingMode;
  /** Combined campaign multiplier, "1" when no campaign applied. */
  multiplier: string;
  campaignIds: string[];
  base: string;
  /** Eligible amount per line, keyed by lineItemId. */
  lineAmounts: Record<string, string>;
  /** Eligible shipping amount ("0" unless shipping earned). */
  shippingAmount: string;
  includeShipping: boolean;
  includeTaxes: boolean;
  /** The order's taxes_included: needed to read refund subtotals the same way. */
  taxesIncluded: boolean;
  earnPoints: number;
  bonusPoints: number;
  welcomePoints: number;
  welcomeBonusClawback: boolean;
}

const storedDecimal = z.string().refine((text) => isDecimalString(text), "expected a decimal string");
const storedPoints = z.number().int().nonnegative();

/** Reads a snapshot back from storage (JSON column), rejecting anything a reversal can't trust. */
export const earnRuleSnapshotSchema: z.ZodType<EarnRuleSnapshot> = z.object({
  version: z.literal(1),
  pointsPerUnit: storedDecimal,
  rounding: z.enum(["down", "nearest"]),
  multiplier: storedDecimal,
  campaignIds: z.array(z.string()),
  base: storedDecimal,
  lineAmounts: z.record(storedDecimal),
  shippingAmount: storedDecimal,
  includeShipping: z.boolean(),
  includeTaxes: z.boolean(),
  taxesIncluded: z.boolean(),
  earnPoints: storedPoints,
  bonusPoints: storedPoints,
  welcomePoints: storedPoints,
  welcomeBonusClawback: z.boolean(),
});

export interface EarnResult {
  outcome: "earned" | "skipped";
  skipReason?: SkipReason;
  base: string;
  entries: PlannedEntry[];
  ruleSnapshot: EarnRuleSnapshot;
}

export interface PointsForOrderInput {
  order: OrderForEarning;
  settings: ProgramSettings;
  campaigns: readonly CampaignRule[];
  /** The customer's first paid order (decided by the caller from its records). */
  isFirstOrder: boolean;
}

function skipReasonBeforeBase(order: OrderForEarning, settings: ProgramSettings): SkipReason | null {
  if (!settings.enabled) return "program_paused";
  if (order.customerId === null) return "guest_order";
  if (order.test && !settings.testOrdersEarn) return "test_order";
  if (hasExcludedTag(order.tags, settings.excludedOrderTags)) return "excluded_tag";
  return null;
}

export function pointsForOrder({ order, settings, campaigns, isFirstOrder }: PointsForOrderInput): EarnResult {
  const { base, lineAmounts, shippingAmount, merchandiseSubtotal } = earningBase(order, settings);
  const snapshot: EarnRuleSnapshot = {
    version: 1,
    pointsPerUnit: settings.pointsPerUnit,
    rounding: settings.rounding,
    multiplier: "1",
    campaignIds: [],
    base,
    lineAmounts,
    shippingAmount,
    includeShipping: settings.includeShipping,
    includeTaxes: settings.includeTaxes,
    taxesIncluded: order.taxesIncluded,
    earnPoints: 0,
    bonusPoints: 0,
    welcomePoints: 0,
    welcomeBonusClawback: settings.welcomeBonusClawback,
  };
  const skipped = (skipReason: SkipReason): EarnResult => ({ outcome: "skipped", skipReason, base, entries: [], ruleSnapshot: snapshot });

  const earlySkip = skipReasonBeforeBase(order, settings);
  if (earlySkip) return skipped(earlySkip);
  if (settings.minOrderSubtotal !== null && parseMoney(merchandiseSubtotal) < parseMoney(settings.minOrderSubtotal)) {
    return skipped("below_minimum");
  }
  const baseAmount = parseMoney(base);
  if (baseAmount === 0n) return skipped("zero_base");

  const rate = parseRate(settings.pointsPerUnit, "pointsPerUnit");
  const earnPoints = roundPoints(multiplyByRates(baseAmount, rate), settings.rounding);

  const campaign = selectCampaign({
    campaigns,
    orderInstant: order.processedAt,
    merchandiseSubtotal,
    isFirstOrder,
    discountCodes: order.discountCodes,
    stacking: settings.campaignStacking,
  });
  let bonusPoints = 0;
  if (campaign) {
    // Rounded once on the boosted total, so "double points" on 12.50 at "down" gives 25, not 24.
    const boosted = roundPoints(multiplyByRates(baseAmount, rate, parseRate(campaign.multiplier)), settings.rounding);
    bonusPoints = Math.max(0, boosted - earnPoints);
    snapshot.multiplier = campaign.multiplier;
    snapshot.campaignIds = campaign.campaignIds;
  }
  const welcomePoints = isFirstOrder ? settings.welcomeBonusPoints : 0;

  snapshot.earnPoints = earnPoints;
  snapshot.bonusPoints = bonusPoints;
  snapshot.welcomePoints = welcomePoints;

  const entries: PlannedEntry[] = [];
  if (earnPoints > 0) entries.push({ kind: "earn", points: earnPoints });
  if (bonusPoints > 0 && campaign) entries.push({ kind: "campaign_bonus", points: bonusPoints, campaignId: campaign.campaignIds[0] });
  if (welcomePoints > 0) entries.push({ kind: "welcome_bonus", points: welcomePoints });
  return { outcome: "earned", base, entries, ruleSnapshot: snapshot };
}

/**
 * "Earn 25 points" on a product page: the amount × rate × campaign multiplier, rounded as the
 * program rounds. An estimate: the final points depend on discounts, tax and shipping at checkout.
 */
export function previewPointsForAmount(amount: string, settings: Pick<ProgramSettings, "enabled" | "pointsPerUnit" | "rounding">, activeCampaignMultiplier: string | null): number {
  if (!settings.enabled) return 0;
  const rates = [parseRate(settings.pointsPerUnit, "pointsPerUnit")];
  if (activeCampaignMultiplier !== null) {
    const multiplier = parseRate(activeCampaignMultiplier, "campaign multiplier");
    if (multiplier > FIXED_ONE) rates.push(multiplier); // a campaign never shows fewer points than the base rate
  }
  return roundPoints(multiplyByRates(parseMoney(amount), ...rates), settings.rounding);
}

// Points campaigns ("double points this weekend"). Whether a campaign applies is decided by the
// order's own instant (processed_at), never by when the webhook happens to arrive: an order placed
// at 23:59 inside the window earns the bonus even if its webhook lands after the window closed.
import { type Fixed, FIXED_ONE, compareFixed, divideRounded, parseDecimal, parseMoney, parseRate, toDecimalString } from "./money";
import { instantToZonedLocal, parseInstant, zonedLocalToInstant } from "./time";

export { instantToZonedLocal, zonedLocalToInstant };

export interface CampaignRule {
  id: string;
  name: string;
  /** Total earn multiplier while active: "2" = double points (the bonus is the extra 1×). */
  multiplier: string;
  /** ISO instant, inclusive. */
  startsAt: string;
  /** ISO instant, exclusive. */
  endsAt: string;
  /** Minimum merchandise subtotal (shop money) for the order to qualify. */
  minSubtotal: string | null;
  firstOrderOnly: boolean;
  /** When set, only orders that used this discount code (any case) qualify. */
  promoCode: string | null;
  /** Set when the merchant ends a campaign early: it stops applying from that instant. */
  endedAt: string | null;
}

export type CampaignStatus = "scheduled" | "active" | "ended";
export type CampaignStacking = "highest" | "multiply";

function startMs(campaign: CampaignRule): number {
  return parseInstant(campaign.startsAt, `campaign ${campaign.id} startsAt`);
}

/** End of the window as it actually ran: endsAt, or endedAt if the merchant stopped it sooner. */
function effectiveEndMs(campaign: CampaignRule): number {
  const endsAt = parseInstant(campaign.endsAt, `campaign ${campaign.id} endsAt`);
  if (campaign.endedAt === null) return endsAt;
  return Math.min(endsAt, parseInstant(campaign.endedAt, `campaign ${campaign.id} endedAt`));
}

/** Whether the half-open window [startsAt, end) contains the instant. */
export function campaignWindowContains(campaign: CampaignRule, instant: string | Date): boolean {
  const at = parseInstant(instant, "instant");
  return startMs(campaign) <= at && at < effectiveEndMs(campaign);
}

/** For the admin list. "ended" wins over "scheduled" so a campaign cancelled before it began reads as ended. */
export function campaignStatus(campaign: CampaignRule, now: Date): CampaignStatus {
  const at = parseInstant(now, "now");
  if (at >= effectiveEndMs(campaign)) return "ended";
  if (at < startMs(campaign)) return "scheduled";
  return "active";
}

export interface CampaignSelectionInput {
  campaigns: readonly CampaignRule[];
  /** The order's processed_at. */
  orderInstant: string | Date;
  merchandiseSubtotal: string;
  isFirstOrder: boolean;
  discountCodes: readonly string[];
  stacking: CampaignStacking;
}

export interface CampaignSelection {
  /** Combined multiplier (decimal string). */
  multiplier: string;
  /** Applied campaigns, strongest first (largest multiplier, then earliest start, then id). */
  campaignIds: string[];
}

/** Whether one campaign's conditions hold for an order. */
export function campaignAppliesToOrder(campaign: CampaignRule, order: Omit<CampaignSelectionInput, "campaigns" | "stacking">): boolean {
  if (!campaignWindowContains(campaign, order.orderInstant)) return false;
  if (campaign.firstOrderOnly && !order.isFirstOrder) return false;
  if (campaign.minSubtotal !== null) {
    const minimum = parseMoney(campaign.minSubtotal, `campaign ${campaign.id} minSubtotal`);
    if (parseMoney(order.merchandiseSubtotal, "merchandiseSubtotal") < minimum) return false;
  }
  if (campaign.promoCode !== null && campaign.promoCode.trim() !== "") {
    const wanted = campaign.promoCode.trim().toLowerCase();
    if (!order.discountCodes.some((code) => code.trim().toLowerCase() === wanted)) return false;
  }
  return true;
}

function multiplierOf(campaign: CampaignRule): Fixed {
  const multiplier = parseRate(campaign.multiplier, `campaign ${campaign.id} multiplier`);
  if (multiplier <= 0n) throw new RangeError(`campaign ${campaign.id} multiplier must be greater than 0`);
  return multiplier;
}

/** Strongest first: larger multiplier, then earlier start, then id, so the choice is deterministic. */
function compareStrength(a: CampaignRule, b: CampaignRule): number {
  const byMultiplier = compareFixed(multiplierOf(b), multiplierOf(a));
  if (byMultiplier !== 0) return byMultiplier;
  const byStart = startMs(a) - startMs(b);
  if (byStart !== 0) return byStart;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The campaign multiplier for an order, or null when none applies. "highest" uses the strongest
 * campaign alone; "multiply" multiplies all that apply, rounding the product to 4 decimals (half
 * up) so it can be stored and reapplied exactly: 1.5 × 2 = 3 is exact; only exotic multipliers
 * such as 1.2345 × 1.2345 are affected.
 */
export function selectCampaign(input: CampaignSelectionInput): CampaignSelection | null {
  const applicable = input.campaigns.filter((campaign) => campaignAppliesToOrder(campaign, input)).sort(compareStrength);
  const strongest = applicable[0];
  if (!strongest) return null;
  if (input.stacking === "highest") {
    return { multiplier: toDecimalString(multiplierOf(strongest)), campaignIds: [strongest.id] };
  }
  let product = FIXED_ONE;
  for (const campaign of applicable) product = divideRounded(product * multiplierOf(campaign), FIXED_ONE, "nearest");
  return { multiplier: toDecimalString(product), campaignIds: applicable.map((campaign) => campaign.id) };
}

/** Whether two campaigns' windows (as they actually run, after any early end) share any instant. */
export function campaignsOverlap(a: CampaignRule, b: CampaignRule): boolean {
  const aStart = startMs(a);
  const aEnd = effectiveEndMs(a);
  const bStart = startMs(b);
  const bEnd = effectiveEndMs(b);
  if (aEnd <= aStart || bEnd <= bStart) return false; // an empty window overlaps nothing
  return aStart < bEnd && bStart < aEnd;
}

/**
 * Every pair of campaigns whose windows overlap, for the admin warning ("these campaigns run at
 * the same time; with stacking = highest only the larger multiplier counts"). Only time is
 * compared: conditions such as promo codes may still keep them from meeting on one order.
 */
export function overlappingCampaigns(campaigns: readonly CampaignRule[]): [CampaignRule, CampaignRule][] {
  const ordered = [...campaigns].sort((a, b) => startMs(a) - startMs(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const pairs: [CampaignRule, CampaignRule][] = [];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const first = ordered[i];
      const second = ordered[j];
      if (first && second && campaignsOverlap(first, second)) pairs.push([first, second]);
    }
  }
  return pairs;
}

/**
 * Converts a window the merchant typed in the shop's zone into stored instants, checking that it
 * ends after it starts. Messages are for the campaign form.
 */
export function campaignWindowFromLocal(startsAtLocal: string, endsAtLocal: string, ianaTimeZone: string): { ok: true; startsAt: string; endsAt: string } | { ok: false; field: "startsAt" | "endsAt"; message: string } {
  let startsAt: Date;
  let endsAt: Date;
  try {
    startsAt = zonedLocalToInstant(startsAtLocal, ianaTimeZone);
  } catch {
    return { ok: false, field: "startsAt", message: "Enter a valid start date and time" };
  }
  try {
    endsAt = zonedLocalToInstant(endsAtLocal, ianaTimeZone);
  } catch {
    return { ok: false, field: "endsAt", message: "Enter a valid end date and time" };
  }
  if (endsAt.getTime() <= startsAt.getTime()) {
    return { ok: false, field: "endsAt", message: "The campaign must end after it starts" };
  }
  return { ok: true, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
}

/** Validates a multiplier typed into the campaign form; null when fine. */
export function multiplierError(multiplier: string): string | null {
  try {
    const value = parseDecimal(multiplier.trim(), { label: "Multiplier" });
    if (value <= FIXED_ONE) return "The multiplier must be greater than 1 (2 = double points)";
    return null;
  } catch {
    return "Enter a multiplier like 2 or 1.5 (at most 4 decimal places)";
  }
}

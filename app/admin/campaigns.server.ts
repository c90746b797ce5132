// Double-points campaigns as the admin edits them: windows typed in the shop's time zone become
// instants (campaignWindowFromLocal), overlaps are found with the domain's own rule, and the cost
// preview runs the earning arithmetic (multiplyByRates + roundPoints) on recent orders.
// Data access: Prisma models; the preview's orders through campaigns-sql.server.ts.
import type { Campaign } from "@prisma/client";
import { programChanged } from "../features/program/program-sync.server";
import { campaignRule } from "../features/program/campaigns.server";
import prisma from "../db.server";
import { currentSettings } from "../features/program/settings.server";
import {
  campaignAppliesToOrder,
  campaignStatus,
  campaignWindowFromLocal,
  instantToZonedLocal,
  multiplierError,
  overlappingCampaigns,
  type CampaignRule,
  type CampaignStacking,
  type CampaignStatus,
} from "../domain/campaigns";
import { isDecimalString, multiplyByRates, parseMoney, parseRate, roundPoints, toDecimalString } from "../domain/money";
import { formatDateTime } from "./format";
import { pointsValue, redemptionPrice } from "./dashboard.server";
import { earnedOrdersBetween } from "./campaigns-sql.server";
import type { FieldErrors } from "./settings.server";

export { campaignRule };

export interface CampaignFormValues {
  name: string;
  multiplier: string;
  startsAt: string; // local, "2026-11-27T00:00"
  endsAt: string;
  minSubtotal: string;
  firstOrderOnly: boolean;
  promoCode: string;
}

export interface CampaignView {
  id: string;
  name: string;
  multiplier: string;
  status: CampaignStatus;
  startsAtText: string;
  endsAtText: string;
  endedAtText: string | null;
  minSubtotal: string | null;
  firstOrderOnly: boolean;
  promoCode: string | null;
  form: CampaignFormValues;
}

export function campaignView(row: Campaign, timeZone: string, now: Date): CampaignView {
  return {
    id: row.id,
    name: row.name,
    multiplier: row.multiplier,
    status: campaignStatus(campaignRule(row), now),
    startsAtText: formatDateTime(row.startsAt, timeZone),
    endsAtText: formatDateTime(row.endsAt, timeZone),
    endedAtText: row.endedAt ? formatDateTime(row.endedAt, timeZone) : null,
    minSubtotal: row.minSubtotal,
    firstOrderOnly: row.firstOrderOnly,
    promoCode: row.promoCode,
    form: {
      name: row.name,
      multiplier: row.multiplier,
      startsAt: instantToZonedLocal(row.startsAt, timeZone).slice(0, 16),
      endsAt: instantToZonedLocal(row.endsAt, timeZone).slice(0, 16),
      minSubtotal: row.minSubtotal ?? "",
      firstOrderOnly: row.firstOrderOnly,
      promoCode: row.promoCode ?? "",
    },
  };
}

export async function findCampaign(shopId: string, id: string): Promise<Campaign | null> {
  return prisma.campaign.findFirst({ where: { id, shopId } });
}

export interface CampaignListItem extends CampaignView {
  overlapsWith: string[];
}

export async function listCampaigns(shopId: string, timeZone: string, now = new Date()): Promise<CampaignListItem[]> {
  const rows = await prisma.campaign.findMany({ where: { shopId }, orderBy: [{ startsAt: "desc" }, { id: "asc" }], take: 250 });
  const overlaps = new Map<string, string[]>();
  const notEnded = rows.map(campaignRule).filter((rule) => campaignStatus(rule, now) !== "ended");
  for (const [a, b] of overlappingCampaigns(notEnded)) {
    overlaps.set(a.id, [...(overlaps.get(a.id) ?? []), b.name]);
    overlaps.set(b.id, [...(overlaps.get(b.id) ?? []), a.name]);
  }
  return rows.map((row) => ({ ...campaignView(row, timeZone, now), overlapsWith: overlaps.get(row.id) ?? [] }));
}

export const EMPTY_CAMPAIGN_FORM: CampaignFormValues = {
  name: "",
  multiplier: "2",
  startsAt: "",
  endsAt: "",
  minSubtotal: "",
  firstOrderOnly: false,
  promoCode: "",
};

export function campaignFormValues(form: FormData): CampaignFormValues {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  return {
    name: text("name"),
    multiplier: text("multiplier"),
    startsAt: text("startsAt"),
    endsAt: text("endsAt"),
    minSubtotal: text("minSubtotal"),
    firstOrderOnly: ["true", "on"].includes(text("firstOrderOnly")),
    promoCode: text("promoCode"),
  };
}

export interface ParsedCampaign {
  name: string;
  multiplier: string;
  startsAt: Date;
  endsAt: Date;
  minSubtotal: string | null;
  firstOrderOnly: boolean;
  promoCode: string | null;
}

export function parseCampaignForm(values: CampaignFormValues, timeZone: string): { ok: true; campaign: ParsedCampaign } | { ok: false; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  if (values.name === "") fieldErrors.name = "Give the campaign a name";
  else if (values.name.length > 100) fieldErrors.name = "Keep the name under 100 characters";
  const badMultiplier = multiplierError(values.multiplier);
  if (badMultiplier) fieldErrors.multiplier = badMultiplier;
  const window = campaignWindowFromLocal(values.startsAt, values.endsAt, timeZone);
  if (!window.ok) fieldErrors[window.field] = window.message;
  if (values.minSubtotal !== "" && !isDecimalString(values.minSubtotal)) fieldErrors.minSubtotal = "Enter an amount like 50 or 49.99 (no currency symbols)";
  if (values.promoCode !== "" && !/^\S{1,255}$/.test(values.promoCode)) fieldErrors.promoCode = "A discount code can't contain spaces";
  if (Object.keys(fieldErrors).length > 0 || !window.ok) return { ok: false, fieldErrors };
  return {
    ok: true,
    campaign: {
      name: values.name,
      multiplier: toDecimalString(parseRate(values.multiplier)),
      startsAt: new Date(window.startsAt),
      endsAt: new Date(window.endsAt),
      minSubtotal: values.minSubtotal === "" ? null : toDecimalString(parseMoney(values.minSubtotal)),
      firstOrderOnly: values.firstOrderOnly,
      promoCode: values.promoCode === "" ? null : values.promoCode,
    },
  };
}

export function draftRule(id: string, campaign: ParsedCampaign): CampaignRule {
  return {
    id,
    name: campaign.name,
    multiplier: campaign.multiplier,
    startsAt: campaign.startsAt.toISOString(),
    endsAt: campaign.endsAt.toISOString(),
    minSubtotal: campaign.minSubtotal,
    firstOrderOnly: campaign.firstOrderOnly,
    promoCode: campaign.promoCode,
    endedAt: null,
  };
}

/** Only the window matters for overlaps: a rule from it alone. */
export function windowRule(id: string, name: string, startsAt: string, endsAt: string): CampaignRule {
  return { id, name, multiplier: "2", startsAt, endsAt, minSubtotal: null, firstOrderOnly: false, promoCode: null, endedAt: null };
}

export interface OverlapWarning {
  stacking: CampaignStacking;
  campaigns: { id: string; name: string; multiplier: string; window: string }[];
}

/** The shop's other campaigns whose windows (as they actually run) share time with this one. */
export async function overlapWarning(shopId: string, rule: CampaignRule, timeZone: string): Promise<OverlapWarning | null> {
  const candidates = await prisma.campaign.findMany({
    where: { shopId, id: { not: rule.id }, startsAt: { lt: new Date(rule.endedAt ?? rule.endsAt) }, endsAt: { gt: new Date(rule.startsAt) } },
    orderBy: { startsAt: "asc" },
    take: 100,
  });
  if (candidates.length === 0) return null;
  const byId = new Map(candidates.map((row) => [row.id, row]));
  const others = new Set<string>();
  for (const [a, b] of overlappingCampaigns([rule, ...candidates.map(campaignRule)])) {
    if (a.id === rule.id) others.add(b.id);
    else if (b.id === rule.id) others.add(a.id);
  }
  if (others.size === 0) return null;
  const { settings } = await currentSettings(prisma, shopId);
  return {
    stacking: settings.campaignStacking,
    campaigns: [...others].map((id) => {
      const row = byId.get(id)!;
      return {
        id,
        name: row.name,
        multiplier: row.multiplier,
        window: `${formatDateTime(row.startsAt, timeZone)} – ${formatDateTime(row.endedAt && row.endedAt < row.endsAt ? row.endedAt : row.endsAt, timeZone)}`,
      };
    }),
  };
}

export interface CostPreview {
  days: number;
  ordersConsidered: number;
  qualifyingOrders: number;
  extraPoints: number;
  /** Money value of the extra points at the current redemption price; null without one. */
  extraValue: string | null;
}

/**
 * What the campaign would have cost on the last `days` days of orders: for each order that earned
 * (it has an earn snapshot) and was not cancelled, and that meets the campaign's conditions,
 * round(base × rate × multiplier) − round(base × rate) with the program's current rate and
 * rounding, computed by the same money functions earning uses. The campaign's own window is not
 * applied: the question is "had it run over these days". Conditions use what the app stored: the
 * order's codes, the eligible merchandise amount for the minimum, and "first order" as the first
 * paid order the app has seen for that customer (the rule earning applies to campaigns too).
 */
export async function costPreview(shopId: string, campaign: ParsedCampaign, now = new Date(), days = 30): Promise<CostPreview> {
  const from = new Date(now.getTime() - days * 86_400_000);
  const [{ settings }, price, orders] = await Promise.all([currentSettings(prisma, shopId), redemptionPrice(shopId), earnedOrdersBetween(shopId, from, now)]);
  const rate = parseRate(settings.pointsPerUnit);
  const multiplier = parseRate(campaign.multiplier);
  // The window is set around the preview period so only the conditions decide.
  const rule: CampaignRule = { ...draftRule("preview", campaign), startsAt: from.toISOString(), endsAt: new Date(now.getTime() + 1).toISOString() };
  let qualifying = 0;
  let extra = 0;
  for (const order of orders) {
    if (order.base === null || !isDecimalString(order.base)) continue;
    const base = parseMoney(order.base);
    const shipping = order.shippingAmount !== null && isDecimalString(order.shippingAmount) ? parseMoney(order.shippingAmount) : 0n;
    let codes: string[] = [];
    try {
      const parsed: unknown = JSON.parse(order.discountCodes);
      if (Array.isArray(parsed)) codes = parsed.filter((c): c is string => typeof c === "string");
    } catch {
      /* no codes */
    }
    const applies = campaignAppliesToOrder(rule, {
      orderInstant: order.processedAt,
      merchandiseSubtotal: toDecimalString(base - shipping > 0n ? base - shipping : 0n),
      isFirstOrder: order.isFirstOrder,
      discountCodes: codes,
    });
    if (!applies) continue;
    qualifying += 1;
    const boosted = roundPoints(multiplyByRates(base, rate, multiplier), settings.rounding);
    const plain = roundPoints(multiplyByRates(base, rate), settings.rounding);
    extra += Math.max(0, boosted - plain);
  }
  return { days, ordersConsidered: orders.length, qualifyingOrders: qualifying, extraPoints: extra, extraValue: price ? pointsValue(extra, price) : null };
}

// Every campaign change also queues the storefront's program metafield (what product pages promise).
export async function createCampaign(shopId: string, campaign: ParsedCampaign): Promise<Campaign> {
  return prisma.$transaction(async (tx) => {
    const created = await tx.campaign.create({ data: { shopId, ...campaign } });
    await programChanged(tx, shopId);
    return created;
  });
}

export async function updateCampaign(shopId: string, id: string, campaign: ParsedCampaign): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.campaign.updateMany({ where: { id, shopId }, data: campaign });
    if (count === 1) await programChanged(tx, shopId);
    return count === 1;
  });
}

/** Ends the campaign now (endedAt); a campaign that already ended keeps its end. */
export async function endCampaign(shopId: string, id: string, now = new Date()): Promise<boolean> {
  const row = await findCampaign(shopId, id);
  if (!row) return false;
  if (campaignStatus(campaignRule(row), now) !== "ended") {
    await prisma.$transaction(async (tx) => {
      await tx.campaign.updateMany({ where: { id, shopId, endedAt: null }, data: { endedAt: now } });
      await programChanged(tx, shopId, now);
    });
  }
  return true;
}

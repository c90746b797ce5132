// The home page's numbers for one shop. Built for 100,000 customers and 1,000,000 ledger entries:
// totals come from the Customer cached columns; everything that needs entries or orders is one
// aggregate query in SQL (dashboard-sql.server.ts), never rows pulled into Node.
// Data access: Prisma models; the aggregates Prisma cannot express through dashboard-sql.server.ts.
import prisma from "../db.server";
import { currentSettings } from "../features/program/settings.server";
import { divideRounded, formatMoney, parseMoney, sumFixed, type Fixed } from "../domain/money";
import { addCalendarDays, startOfZonedDay, zonedDateOf } from "../domain/time";
import { ACTIVITY_MARGIN_MS, pointsByBucket, RECENT_WINDOW_MS, redemptionSumsBefore, redemptionSumsSince, repeatCustomerCounts, returningCustomerCounts } from "./dashboard-sql.server";

export const DASHBOARD_PERIODS = [30, 90] as const;
export type DashboardPeriod = (typeof DASHBOARD_PERIODS)[number];

export function parsePeriod(raw: string | null): DashboardPeriod {
  return raw === "90" ? 90 : 30;
}

/** Kinds whose positive points are "earned" (the same set Customer.lifetimeEarned counts). */

export interface RedemptionPrice {
  rewardName: string;
  pointsCost: number;
  value: string; // shop money the reward takes off
}

export interface Dashboard {
  currencyCode: string;
  members: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsOutstanding: number;
  outstandingAvailable: number;
  outstandingPending: number;
  /** Money value of the outstanding points at the current redemption price; null without a priced reward. */
  outstandingValue: string | null;
  redemptionPrice: RedemptionPrice | null;
  redemptionRate: number | null;
  repeatPurchase: { members: RepeatRate; nonMembers: RepeatRate };
  loyaltyCodeRevenue: { amount: string; orders: number };
  retention: Retention;
  daily: { date: string; earned: number; redeemed: number }[];
  onboarding: Onboarding;
}

export interface RepeatRate {
  customers: number;
  repeatCustomers: number;
  rate: number | null;
}

export interface Retention {
  period: DashboardPeriod;
  /** Customers with a paid order in the period before this one. */
  atStart: number;
  /** Customers with a paid order in this period. */
  atEnd: number;
  /** Customers in this period who had no paid order in the period before (first-time or won back). */
  newCustomers: number;
  rate: number | null;
}

export interface Onboarding {
  live: boolean;
  earningRuleSaved: boolean;
  welcomeBonusSet: boolean;
  rewardCreated: boolean;
}

/**
 * What one point is worth when spent: the active amount-off reward with the lowest points cost
 * (the first reward a member can reach; ties go to the better rate). Percentage and free-shipping
 * rewards have no fixed money value, so they do not set a price.
 */
export async function redemptionPrice(shopId: string): Promise<RedemptionPrice | null> {
  const rewards = await prisma.reward.findMany({
    where: { shopId, active: true, discountType: "fixed_amount" },
    select: { name: true, pointsCost: true, value: true },
    orderBy: [{ pointsCost: "asc" }],
    take: 50,
  });
  let best: RedemptionPrice | null = null;
  for (const reward of rewards) {
    if (reward.pointsCost <= 0) continue;
    let value: Fixed;
    try {
      value = parseMoney(reward.value);
    } catch {
      continue;
    }
    if (value <= 0n) continue;
    if (!best || reward.pointsCost < best.pointsCost || (reward.pointsCost === best.pointsCost && value > parseMoney(best.value))) {
      best = { rewardName: reward.name, pointsCost: reward.pointsCost, value: reward.value };
    }
  }
  return best;
}

/** points × value / cost, exact until one rounding to the currency's cents. */
export function pointsValue(points: number, price: RedemptionPrice, decimals = 2): string {
  const magnitude = divideRounded(parseMoney(price.value) * BigInt(Math.abs(points)), BigInt(price.pointsCost), "nearest");
  return formatMoney(points < 0 ? -magnitude : magnitude, decimals);
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

async function repeatPurchaseRates(shopId: string): Promise<{ members: RepeatRate; nonMembers: RepeatRate }> {
  const counts = await repeatCustomerCounts(shopId);
  const rate = (c: { customers: number; repeatCustomers: number }): RepeatRate => ({ ...c, rate: ratio(c.repeatCustomers, c.customers) });
  return { members: rate(counts.members), nonMembers: rate(counts.nonMembers) };
}

/**
 * Retention over a period of N days: (customers at end − new customers) / customers at start.
 * A customer "counts" in a window when they placed a paid, not cancelled order in it: at start =
 * the N days before the period, at end = the period itself, new = in the period but not before.
 * So E − N is the customers who bought in both windows and the rate is the share of last period's
 * customers who came back (0–100%).
 */
async function retention(shopId: string, period: DashboardPeriod, now: Date): Promise<Retention> {
  const start = new Date(now.getTime() - period * 86_400_000);
  const before = new Date(start.getTime() - period * 86_400_000);
  const { previous: atStart, current: atEnd, both } = await returningCustomerCounts(shopId, before, start, now);
  const newCustomers = atEnd - both;
  return { period, atStart, atEnd, newCustomers, rate: atStart > 0 ? (atEnd - newCustomers) / atStart : null };
}

export interface DaySums {
  earned: number;
  redeemed: number;
}

/**
 * Sums of settled days, per shop and zone. Entries are append-only and stamped with the time they
 * were written, so a day that ended (over an hour ago, leaving time for late commits) never changes:
 * each process remembers those and asks the database only for the days after. The ledger has no
 * [shopId, createdAt] index, so a cold 90-day query scans the shop's entries (about a second at
 * 1,000,000 on SQLite); warm loads read just the current day.
 */
interface SettledDays {
  from: string; // first cached date (inclusive)
  to: string; // last cached date (inclusive)
  days: Map<string, DaySums>;
}
const settledCache = new Map<string, SettledDays>();
const SETTLED_CACHE_SHOPS = 500;
const SETTLE_AFTER_MS = 3_600_000;

/** For tests and benchmarks: forget what this process remembered. */
export function clearDailyCache(): void {
  settledCache.clear();
  settledRedemptions.clear();
}

async function sumsByDay(shopId: string, timeZone: string, from: Date, now: Date): Promise<Map<string, DaySums>> {
  const days = new Map<string, DaySums>();
  for (const bucket of await pointsByBucket(shopId, from, now)) {
    const date = zonedDateOf(bucket.bucketStart, timeZone);
    const day = days.get(date) ?? { earned: 0, redeemed: 0 };
    day.earned += bucket.earned;
    day.redeemed += bucket.redeemed;
    days.set(date, day);
  }
  return days;
}

/** Points earned (positive entries of the earning kinds) and redeemed per day of the shop's calendar. */
export async function dailyPoints(shopId: string, timeZone: string, period: DashboardPeriod, now = new Date()): Promise<({ date: string } & DaySums)[]> {
  const today = zonedDateOf(now, timeZone);
  const firstDay = addCalendarDays(today, -(period - 1));
  const key = `${shopId}|${timeZone}`;
  const cached = settledCache.get(key);
  const usable = cached && cached.from <= firstDay && cached.to >= addCalendarDays(firstDay, -1) ? cached : null;
  const queryFrom = usable ? addCalendarDays(usable.to, 1) : firstDay;
  const fresh = queryFrom <= today ? await sumsByDay(shopId, timeZone, startOfZonedDay(queryFrom, timeZone), now) : new Map<string, DaySums>();

  const series: ({ date: string } & DaySums)[] = [];
  for (let i = 0; i < period; i++) {
    const date = addCalendarDays(firstDay, i);
    const sums = (date < queryFrom ? usable?.days.get(date) : fresh.get(date)) ?? { earned: 0, redeemed: 0 };
    series.push({ date, ...sums });
  }

  // Remember the days that can no longer change.
  const settled = { from: usable?.from ?? firstDay, to: usable?.to ?? addCalendarDays(firstDay, -1), days: new Map(usable?.days ?? []) };
  for (let date = queryFrom; date < today; date = addCalendarDays(date, 1)) {
    if (startOfZonedDay(addCalendarDays(date, 1), timeZone).getTime() > now.getTime() - SETTLE_AFTER_MS) break;
    settled.days.set(date, fresh.get(date) ?? { earned: 0, redeemed: 0 });
    settled.to = date;
  }
  settledCache.delete(key);
  if (settledCache.size >= SETTLED_CACHE_SHOPS) settledCache.delete(settledCache.keys().next().value!);
  settledCache.set(key, settled);
  return series;
}

interface SettledRedemptions {
  before: Date;
  redeemed: number;
  returned: number;
}
const settledRedemptions = new Map<string, SettledRedemptions>();

/**
 * Points spent on rewards, net of points given back for codes that failed or expired unused.
 * Like the daily sums, entries older than a settled boundary never change: their total is
 * remembered per process and only newer entries are summed on each load.
 */
export async function redeemedPoints(shopId: string, now = new Date()): Promise<number> {
  const boundary = new Date(now.getTime() - SETTLE_AFTER_MS);
  let settled = settledRedemptions.get(shopId);
  // Settled again before the boundary leaves the window in which the recent sums are found through
  // the recently active customers (dashboard-sql.server.ts).
  if (!settled || now.getTime() - settled.before.getTime() > RECENT_WINDOW_MS - ACTIVITY_MARGIN_MS) {
    const old = await redemptionSumsBefore(shopId, boundary);
    settled = { before: boundary, ...old };
    settledRedemptions.delete(shopId);
    if (settledRedemptions.size >= SETTLED_CACHE_SHOPS) settledRedemptions.delete(settledRedemptions.keys().next().value!);
    settledRedemptions.set(shopId, settled);
  }
  const recent = await redemptionSumsSince(shopId, settled.before, now);
  return Math.max(0, settled.redeemed + recent.redeemed - settled.returned - recent.returned);
}

async function loyaltyCodeRevenue(shopId: string): Promise<{ amount: string; orders: number }> {
  // Used codes are few next to entries (one per redemption); the [shopId, status, endsAt] index finds them.
  const used = await prisma.issuedCode.findMany({ where: { shopId, status: "used" }, select: { id: true, usedRevenue: true, usedByOrderId: true } });
  const amounts: Fixed[] = [];
  const orders = new Set<string>();
  for (const code of used) {
    // One order may use two of our codes; its revenue counts once.
    const key = code.usedByOrderId ?? `code:${code.id}`;
    if (orders.has(key)) continue;
    orders.add(key);
    try {
      if (code.usedRevenue) amounts.push(parseMoney(code.usedRevenue));
    } catch {
      /* a malformed amount is left out rather than failing the page */
    }
  }
  return { amount: formatMoney(sumFixed(amounts), 2), orders: orders.size };
}

export async function loadDashboard(shop: { id: string; currencyCode: string }, timeZone: string, period: DashboardPeriod, now = new Date()): Promise<Dashboard> {
  const shopId = shop.id;
  const [members, cached, redeemed, price, repeat, codeRevenue, retained, daily, settings, anyEarn, anyReward] = await Promise.all([
    // Members: customers with at least one ledger entry (appendEntries stamps lastActivityAt on every
    // append), counted on the [shopId, lastActivityAt] index.
    prisma.customer.count({ where: { shopId, lastActivityAt: { not: null } } }),
    prisma.customer.aggregate({ where: { shopId }, _sum: { balance: true, pending: true, lifetimeEarned: true } }),
    redeemedPoints(shopId, now),
    redemptionPrice(shopId),
    repeatPurchaseRates(shopId),
    loyaltyCodeRevenue(shopId),
    retention(shopId, period, now),
    dailyPoints(shopId, timeZone, period, now),
    currentSettings(prisma, shopId),
    prisma.ledgerEntry.findFirst({ where: { shopId, kind: "earn" }, select: { id: true } }),
    prisma.reward.findFirst({ where: { shopId, active: true }, select: { id: true } }),
  ]);
  const available = cached._sum.balance ?? 0;
  const pending = cached._sum.pending ?? 0;
  const issued = cached._sum.lifetimeEarned ?? 0;
  const outstanding = available + pending;
  return {
    currencyCode: shop.currencyCode,
    members,
    pointsIssued: issued,
    pointsRedeemed: redeemed,
    pointsOutstanding: outstanding,
    outstandingAvailable: available,
    outstandingPending: pending,
    outstandingValue: price ? pointsValue(outstanding, price) : null,
    redemptionPrice: price,
    redemptionRate: ratio(redeemed, issued),
    repeatPurchase: repeat,
    loyaltyCodeRevenue: codeRevenue,
    retention: retained,
    daily,
    onboarding: {
      live: anyEarn !== null,
      earningRuleSaved: settings.version > 0,
      welcomeBonusSet: settings.settings.welcomeBonusPoints > 0 || settings.settings.welcomeCode.enabled,
      rewardCreated: anyReward !== null,
    },
  };
}

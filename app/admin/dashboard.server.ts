// The home page's numbers for one shop. Built for 100,000 customers and 1,000,000 ledger entries:
// totals come from the Customer cached columns; everything that needs entries or orders is one
// aggregate query in SQL, never rows pulled into Node.
import { EARNING_KINDS } from "../domain/entry-kinds";
import { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { currentSettings } from "../features/program/settings.server";
import { divideRounded, formatMoney, parseMoney, sumFixed, type Fixed } from "../domain/money";
import { addCalendarDays, startOfZonedDay, zonedDateOf } from "../domain/time";
import { epochSeconds, sqlInstant, toNumber } from "./sql.server";

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
  // Per customer: paid, not cancelled orders (index [shopId, customerId, processedAt]); a member is a
  // customer with a ledger entry, which appendEntries marks by stamping Customer.lastActivityAt.
  const rows = await prisma.$queryRaw<{ member: unknown; customers: unknown; repeaters: unknown }[]>(Prisma.sql`
    SELECT t."member" AS "member", COUNT(*) AS "customers", SUM(CASE WHEN t."orders" > 1 THEN 1 ELSE 0 END) AS "repeaters"
    FROM (
      SELECT o."customerId",
             COUNT(*) AS "orders",
             MAX(CASE WHEN c."lastActivityAt" IS NOT NULL THEN 1 ELSE 0 END) AS "member"
      FROM "OrderRecord" o
      JOIN "Customer" c ON c."id" = o."customerId"
      WHERE o."shopId" = ${shopId} AND o."customerId" IS NOT NULL AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
      GROUP BY o."customerId"
    ) t
    GROUP BY t."member"`);
  const empty = (): RepeatRate => ({ customers: 0, repeatCustomers: 0, rate: null });
  const result = { members: empty(), nonMembers: empty() };
  for (const row of rows) {
    const target = toNumber(row.member) === 1 ? result.members : result.nonMembers;
    target.customers = toNumber(row.customers);
    target.repeatCustomers = toNumber(row.repeaters);
    target.rate = ratio(target.repeatCustomers, target.customers);
  }
  return result;
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
  const rows = await prisma.$queryRaw<{ atStart: unknown; atEnd: unknown; both: unknown }[]>(Prisma.sql`
    SELECT SUM(t."prev") AS "atStart", SUM(t."cur") AS "atEnd", SUM(t."prev" * t."cur") AS "both"
    FROM (
      SELECT o."customerId",
             MAX(CASE WHEN o."processedAt" >= ${sqlInstant(start)} THEN 1 ELSE 0 END) AS "cur",
             MAX(CASE WHEN o."processedAt" < ${sqlInstant(start)} THEN 1 ELSE 0 END) AS "prev"
      FROM "OrderRecord" o
      WHERE o."shopId" = ${shopId} AND o."processedAt" >= ${sqlInstant(before)} AND o."processedAt" < ${sqlInstant(now)}
        AND o."customerId" IS NOT NULL AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
      GROUP BY o."customerId"
    ) t`);
  const row = rows[0];
  const atStart = toNumber(row?.atStart);
  const atEnd = toNumber(row?.atEnd);
  const both = toNumber(row?.both);
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

const RECENT_WINDOW_MS = 3 * 86_400_000;
const ACTIVITY_MARGIN_MS = 2 * 86_400_000;

/**
 * WHERE for the shop's entries written since `from`. For a recent `from` the entries are found
 * through the customers active since then ([shopId, lastActivityAt] index), then each one's
 * [shopId, customerId, createdAt] range, instead of scanning every entry of the shop: appendEntries
 * stamps lastActivityAt in the same transaction as every entry, and the margin covers callers
 * whose clock `now` trails the insert time.
 */
function entriesSince(shopId: string, from: Date, now: Date): Prisma.Sql {
  const recent = now.getTime() - from.getTime() <= RECENT_WINDOW_MS;
  const activeCustomers = recent
    ? Prisma.sql` AND "customerId" IN (SELECT "id" FROM "Customer" WHERE "shopId" = ${shopId} AND "lastActivityAt" >= ${sqlInstant(
        new Date(from.getTime() - ACTIVITY_MARGIN_MS)
      )})`
    : Prisma.empty;
  return Prisma.sql`"shopId" = ${shopId}${activeCustomers} AND "createdAt" >= ${sqlInstant(from)}`;
}

async function sumsByDay(shopId: string, timeZone: string, from: Date, now: Date): Promise<Map<string, DaySums>> {
  // Sums per 15-minute bucket (every zone's offset is a multiple of 15 minutes); each bucket is
  // then placed on its day in the shop's zone here, so days are right in any zone and across DST
  // changes without the database knowing time zones.
  const bucketSeconds = 900;
  const rows = await prisma.$queryRaw<{ bucket: unknown; earned: unknown; redeemed: unknown }[]>(Prisma.sql`
    SELECT ${epochSeconds(Prisma.raw('"createdAt"'))} / ${Prisma.raw(String(bucketSeconds))} AS "bucket",
           SUM(CASE WHEN "points" > 0 AND "kind" IN (${Prisma.join(EARNING_KINDS)}) THEN "points" ELSE 0 END) AS "earned",
           SUM(CASE WHEN "kind" = 'redemption' THEN -"points" ELSE 0 END) AS "redeemed"
    FROM "LedgerEntry"
    WHERE ${entriesSince(shopId, from, now)}
    GROUP BY 1`);
  const days = new Map<string, DaySums>();
  for (const row of rows) {
    const date = zonedDateOf(new Date(Math.floor(toNumber(row.bucket)) * bucketSeconds * 1000), timeZone);
    const day = days.get(date) ?? { earned: 0, redeemed: 0 };
    day.earned += toNumber(row.earned);
    day.redeemed += toNumber(row.redeemed);
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
  const sum = async (where: Prisma.Sql) => {
    const rows = await prisma.$queryRaw<{ redeemed: unknown; returned: unknown }[]>(Prisma.sql`
      SELECT SUM(CASE WHEN "kind" = 'redemption' THEN -"points" ELSE 0 END) AS "redeemed",
             SUM(CASE WHEN "kind" = 'redemption_return' THEN "points" ELSE 0 END) AS "returned"
      FROM "LedgerEntry" WHERE ${where} AND "kind" IN ('redemption', 'redemption_return')`);
    return { redeemed: toNumber(rows[0]?.redeemed), returned: toNumber(rows[0]?.returned) };
  };
  let settled = settledRedemptions.get(shopId);
  if (!settled || now.getTime() - settled.before.getTime() > RECENT_WINDOW_MS - ACTIVITY_MARGIN_MS) {
    const old = await sum(Prisma.sql`"shopId" = ${shopId} AND "createdAt" < ${sqlInstant(boundary)}`);
    settled = { before: boundary, ...old };
    settledRedemptions.delete(shopId);
    if (settledRedemptions.size >= SETTLED_CACHE_SHOPS) settledRedemptions.delete(settledRedemptions.keys().next().value!);
    settledRedemptions.set(shopId, settled);
  }
  const recent = await sum(entriesSince(shopId, settled.before, now));
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

export async function loadDashboard(
  shop: { id: string; currencyCode: string },
  timeZone: string,
  period: DashboardPeriod,
  now = new Date()
): Promise<Dashboard> {
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

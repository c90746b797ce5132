// The home page's aggregates that Prisma's query builder cannot express (grouping by an expression,
// per-customer flags): each is one query that returns counts and sums, never rows pulled into Node.
// dashboard.server.ts turns them into the page's numbers.
// Data access: SQL steps (app/platform/sql) on the SQL path, read-only.
import prisma from "../db.server";
import { EARNING_KINDS } from "../domain/entry-kinds";
import { sqlOf } from "../platform/db.server";
import { epochSeconds, integerLiteral, selectRow, selectRows, sql, toDate, toInt, type SqlFragment, type SqlSteps } from "../platform/sql/statements";

function query<T>(steps: () => SqlSteps<T>): Promise<T> {
  return sqlOf(prisma).statement(steps);
}

/** SUM over no rows is NULL. */
const sumOf = (value: unknown): number => (value === null || value === undefined ? 0 : toInt(value));

export interface RepeatCounts {
  customers: number;
  repeatCustomers: number;
}

/**
 * Customers with paid, not cancelled orders (index [shopId, customerId, processedAt]) and how many of
 * them ordered more than once, for members and non-members apart. A member is a customer with a
 * ledger entry, which appendEntries marks by stamping Customer.lastActivityAt.
 */
export async function repeatCustomerCounts(shopId: string): Promise<{ members: RepeatCounts; nonMembers: RepeatCounts }> {
  const rows = await query(
    () => selectRows<{ member: unknown; customers: unknown; repeaters: unknown }>`
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
      GROUP BY t."member"`,
  );
  const result = { members: { customers: 0, repeatCustomers: 0 }, nonMembers: { customers: 0, repeatCustomers: 0 } };
  for (const row of rows) {
    const target = toInt(row.member) === 1 ? result.members : result.nonMembers;
    target.customers = toInt(row.customers);
    target.repeatCustomers = sumOf(row.repeaters);
  }
  return result;
}

/**
 * Customers with a paid, not cancelled order in [before, start) ("previous"), in [start, now)
 * ("current"), and in both.
 */
export async function returningCustomerCounts(shopId: string, before: Date, start: Date, now: Date): Promise<{ previous: number; current: number; both: number }> {
  const row = await query(
    () => selectRow<{ previous: unknown; current: unknown; both: unknown }>`
      SELECT SUM(t."prev") AS "previous", SUM(t."cur") AS "current", SUM(t."prev" * t."cur") AS "both"
      FROM (
        SELECT o."customerId",
               MAX(CASE WHEN o."processedAt" >= ${start} THEN 1 ELSE 0 END) AS "cur",
               MAX(CASE WHEN o."processedAt" < ${start} THEN 1 ELSE 0 END) AS "prev"
        FROM "OrderRecord" o
        WHERE o."shopId" = ${shopId} AND o."processedAt" >= ${before} AND o."processedAt" < ${now}
          AND o."customerId" IS NOT NULL AND o."paidAt" IS NOT NULL AND o."cancelledAt" IS NULL
        GROUP BY o."customerId"
      ) t`,
  );
  return { previous: sumOf(row?.previous), current: sumOf(row?.current), both: sumOf(row?.both) };
}

/** How far back entriesSince finds entries through the recently active customers. */
export const RECENT_WINDOW_MS = 3 * 86_400_000;
/** How much earlier than `from` a customer's last activity may be and still count as recent. */
export const ACTIVITY_MARGIN_MS = 2 * 86_400_000;

/**
 * WHERE for the shop's entries written since `from`. For a recent `from` the entries are found
 * through the customers active since then ([shopId, lastActivityAt] index), then each one's
 * [shopId, customerId, createdAt] range, instead of scanning every entry of the shop: appendEntries
 * stamps lastActivityAt in the same transaction as every entry, and the margin covers callers
 * whose clock `now` trails the insert time.
 */
function entriesSince(shopId: string, from: Date, now: Date): SqlFragment {
  const recent = now.getTime() - from.getTime() <= RECENT_WINDOW_MS;
  const activeCustomers = recent ? sql` AND "customerId" IN (SELECT "id" FROM "Customer" WHERE "shopId" = ${shopId} AND "lastActivityAt" >= ${new Date(from.getTime() - ACTIVITY_MARGIN_MS)})` : sql``;
  return sql`"shopId" = ${shopId}${activeCustomers} AND "createdAt" >= ${from}`;
}

/** Every zone's offset from UTC is a whole number of these, so a bucket never straddles two days of any zone. */
export const BUCKET_SECONDS = 900;

/**
 * Points earned (positive entries of the earning kinds) and redeemed since `from`, per 15-minute
 * bucket of the entries' time. The caller places each bucket on its day in the shop's zone, so days
 * are right in any zone and across DST changes without the database knowing time zones.
 */
export async function pointsByBucket(shopId: string, from: Date, now: Date): Promise<{ bucketStart: Date; earned: number; redeemed: number }[]> {
  const rows = await query(
    () => selectRows<{ bucket: unknown; earned: unknown; redeemed: unknown }>`
      SELECT ${epochSeconds(sql`"createdAt"`)} / ${integerLiteral(BUCKET_SECONDS)} AS "bucket",
             SUM(CASE WHEN "points" > 0 AND "kind" IN ${EARNING_KINDS} THEN "points" ELSE 0 END) AS "earned",
             SUM(CASE WHEN "kind" = 'redemption' THEN -"points" ELSE 0 END) AS "redeemed"
      FROM "LedgerEntry"
      WHERE ${entriesSince(shopId, from, now)}
      GROUP BY 1`,
  );
  return rows.map((row) => ({ bucketStart: toDate(toInt(row.bucket) * BUCKET_SECONDS * 1000), earned: sumOf(row.earned), redeemed: sumOf(row.redeemed) }));
}

export interface RedemptionSums {
  /** Points spent on rewards. */
  redeemed: number;
  /** Points given back for codes that failed or expired unused. */
  returned: number;
}

function* redemptionSums(where: SqlFragment): SqlSteps<RedemptionSums> {
  const row = yield* selectRow<{ redeemed: unknown; returned: unknown }>`
    SELECT SUM(CASE WHEN "kind" = 'redemption' THEN -"points" ELSE 0 END) AS "redeemed",
           SUM(CASE WHEN "kind" = 'redemption_return' THEN "points" ELSE 0 END) AS "returned"
    FROM "LedgerEntry" WHERE ${where} AND "kind" IN ('redemption', 'redemption_return')`;
  return { redeemed: sumOf(row?.redeemed), returned: sumOf(row?.returned) };
}

/** Redemption sums of the shop's entries written before `boundary`. */
export function redemptionSumsBefore(shopId: string, boundary: Date): Promise<RedemptionSums> {
  return query(() => redemptionSums(sql`"shopId" = ${shopId} AND "createdAt" < ${boundary}`));
}

/** Redemption sums of the shop's entries written since `from`. */
export function redemptionSumsSince(shopId: string, from: Date, now: Date): Promise<RedemptionSums> {
  return query(() => redemptionSums(entriesSince(shopId, from, now)));
}

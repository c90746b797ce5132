// The orders a campaign's cost preview runs on (campaigns.server.ts): one query that reads the earn
// snapshot's JSON fields and whether each order was its customer's first, which Prisma's query
// builder cannot express.
// Data access: SQL steps (app/platform/sql) on the SQL path, read-only.
import prisma from "../db.server";
import { sqlOf } from "../platform/db.server";
import { jsonText, selectRows, sql, toBool, toDate } from "../platform/sql/statements";

export interface EarnedOrder {
  processedAt: Date;
  /** The earn snapshot's base amount (decimal string), or null when it has none. */
  base: string | null;
  shippingAmount: string | null;
  /** The order's discount codes, as stored (a JSON array). */
  discountCodes: string;
  /** No earlier paid order of the same customer that the app has seen. */
  isFirstOrder: boolean;
}

/** Orders processed in [from, now) that earned (they have an earn snapshot) and were not cancelled. */
export async function earnedOrdersBetween(shopId: string, from: Date, now: Date): Promise<EarnedOrder[]> {
  const rows = await sqlOf(prisma).statement(
    () => selectRows<{ processedAt: unknown; base: unknown; shipping: unknown; codes: unknown; first: unknown }>`
      SELECT o."processedAt" AS "processedAt",
             ${jsonText(sql`o."earnSnapshot"`, "base")} AS "base",
             ${jsonText(sql`o."earnSnapshot"`, "shippingAmount")} AS "shipping",
             o."discountCodes" AS "codes",
             CASE WHEN EXISTS (
               SELECT 1 FROM "OrderRecord" p
               WHERE p."shopId" = o."shopId" AND p."customerId" = o."customerId" AND p."paidAt" IS NOT NULL AND p."processedAt" < o."processedAt"
             ) THEN 0 ELSE 1 END AS "first"
      FROM "OrderRecord" o
      WHERE o."shopId" = ${shopId} AND o."processedAt" >= ${from} AND o."processedAt" < ${now}
        AND o."earnSnapshot" IS NOT NULL AND o."cancelledAt" IS NULL`,
  );
  return rows.map((row) => ({
    processedAt: toDate(row.processedAt),
    base: typeof row.base === "string" ? row.base : null,
    shippingAmount: typeof row.shipping === "string" ? row.shipping : null,
    discountCodes: typeof row.codes === "string" ? row.codes : "[]",
    isFirstOrder: toBool(row.first),
  }));
}

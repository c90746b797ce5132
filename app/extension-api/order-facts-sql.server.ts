// The facts the order blocks need about one order, read in a few indexed statements: the order's row
// with the asking customer's member id, and, when the order is theirs and applied, its ledger entries,
// the first-order check job of that customer and their welcome code. Each Prisma model call costs
// about as much as this whole read (bench-results/extensions.md), and the thank-you endpoint's
// target is p99 < 50 ms at 10 callers.
// Data access: SQL steps (app/platform/sql): plain statements, no transaction (reads only).
import { sqlOf, type Db } from "../platform/db.server";
import { selectRow, selectRows, toDate, toDateOrNull, toInt } from "../platform/sql/statements";

export interface OrderFacts {
  record: { customerId: string | null; paidAt: Date | null; processedAt: Date | null; earnOutcome: string | null };
  /** The asking customer's member id, or null (no member row yet). */
  memberId: string | null;
  /** Filled only when the order is the asking member's and applied. */
  entries: { kind: string; reverses: string | null; points: number; status: string; availableAt: Date; customerId: string }[];
  job: { status: string; payload: string } | null;
  code: { code: string; status: string; rewardSnapshot: string; endsAt: Date } | null;
}

/** null when the app has no row for the order. */
export function orderFacts(db: Db, shopId: string, orderId: string, customerGid: string): Promise<OrderFacts | null> {
  return sqlOf(db).statement(function* () {
    const row = yield* selectRow<{ customerId: string | null; paidAt: unknown; processedAt: unknown; earnOutcome: string | null; memberId: string | null }>`
      SELECT o."customerId", o."paidAt", o."processedAt", o."earnOutcome",
        (SELECT c."id" FROM "Customer" c WHERE c."shopId" = ${shopId} AND c."shopifyCustomerId" = ${customerGid}) AS "memberId"
      FROM "OrderRecord" o WHERE o."shopId" = ${shopId} AND o."orderId" = ${orderId}`;
    if (!row) return null;
    const record = { customerId: row.customerId, paidAt: toDateOrNull(row.paidAt), processedAt: toDateOrNull(row.processedAt), earnOutcome: row.earnOutcome };
    const facts: OrderFacts = { record, memberId: row.memberId, entries: [], job: null, code: null };
    if (!record.paidAt || !row.memberId || record.customerId !== row.memberId) return facts;
    const entries = yield* selectRows<{ kind: string; reverses: string | null; points: unknown; status: string; availableAt: unknown; customerId: string }>`
      SELECT "kind", "reverses", "points", "status", "availableAt", "customerId" FROM "LedgerEntry" WHERE "shopId" = ${shopId} AND "orderId" = ${orderId}`;
    facts.entries = entries.map((e) => ({ ...e, points: toInt(e.points), availableAt: toDate(e.availableAt) }));
    facts.job =
      (yield* selectRow<{ status: string; payload: string }>`
        SELECT "status", "payload" FROM "OutboxJob" WHERE "shopId" = ${shopId} AND "dedupeKey" = ${`first-order:${customerGid}`}`) ?? null;
    const code = yield* selectRow<{ code: string; status: string; rewardSnapshot: string; endsAt: unknown }>`
      SELECT "code", "status", "rewardSnapshot", "endsAt" FROM "IssuedCode" WHERE "shopId" = ${shopId} AND "customerId" = ${row.memberId} AND "source" = 'welcome'`;
    facts.code = code ? { ...code, endsAt: toDate(code.endsAt) } : null;
    return facts;
  });
}

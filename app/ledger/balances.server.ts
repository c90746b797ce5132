// Cached balances after the fact: pending points that mature (a scheduled task) and the check that
// every customer's cached balance equals the sum of their entries. Entries are appended by
// ledger.server.ts; only these two modules move the cache.
// Data access: Prisma models (off the hot path, docs/decisions/009-hot-path-sql.md).
import type { Db, Tx } from "../platform/db.server";
import { enqueueJob } from "../outbox/outbox.server";
import { metafieldSyncJob } from "./ledger.server";

/**
 * Pending points whose time has come become available. Safe to run twice and on several instances at
 * once: each entry moves under a conditional update, and only the process whose update matched
 * moves the cache.
 */
export async function releaseMaturedPoints(db: Db, now = new Date(), batchSize = 500): Promise<number> {
  let released = 0;
  for (;;) {
    const due = await db.ledgerEntry.findMany({
      where: { status: "pending", availableAt: { lte: now } },
      select: { id: true, shopId: true, customerId: true, points: true },
      take: batchSize,
      orderBy: { availableAt: "asc" },
    });
    if (due.length === 0) return released;
    for (const entry of due) {
      const moved = await db.$transaction(async (tx) => {
        const { count } = await tx.ledgerEntry.updateMany({ where: { id: entry.id, status: "pending" }, data: { status: "available" } });
        if (count === 0) return false; // another instance got there first
        await tx.customer.update({
          where: { id: entry.customerId },
          data: { balance: { increment: entry.points }, pending: { decrement: entry.points } },
        });
        await enqueueJob(tx, metafieldSyncJob(entry.shopId, entry.customerId, now));
        return true;
      });
      if (moved) released += 1;
    }
    if (due.length < batchSize) return released;
  }
}

export interface CacheMismatch {
  customerId: string;
  cached: { balance: number; pending: number };
  summed: { balance: number; pending: number };
}

/** Every customer whose cached balance or pending differs from the sum of their entries. */
export async function verifyBalanceCache(db: Db | Tx, shopId?: string): Promise<CacheMismatch[]> {
  const where = shopId ? { shopId } : {};
  const [customers, sums] = await Promise.all([
    db.customer.findMany({ where, select: { id: true, balance: true, pending: true } }),
    db.ledgerEntry.groupBy({ by: ["customerId", "status"], where, _sum: { points: true } }),
  ]);
  const summed = new Map<string, { balance: number; pending: number }>();
  for (const row of sums) {
    const s = summed.get(row.customerId) ?? { balance: 0, pending: 0 };
    if (row.status === "pending") s.pending += row._sum.points ?? 0;
    else s.balance += row._sum.points ?? 0;
    summed.set(row.customerId, s);
  }
  const mismatches: CacheMismatch[] = [];
  for (const c of customers) {
    const s = summed.get(c.id) ?? { balance: 0, pending: 0 };
    if (s.balance !== c.balance || s.pending !== c.pending) mismatches.push({ customerId: c.id, cached: { balance: c.balance, pending: c.pending }, summed: s });
  }
  return mismatches;
}

// Storefront redeem requests, kept an hour: a signed proxy URL is served once (replay guard) and a
// customer gets a few redemptions a minute (rate limit). Data access: Prisma models.
import type { Db } from "../../platform/db.server";

/** How long a request is remembered: well past the 90 s a signed proxy URL is good for, and the rate window. */
export const REDEEM_REQUEST_RETENTION_MS = 3_600_000;

export function countRecentRedeemRequests(db: Db, shopId: string, customerGid: string, since: Date): Promise<number> {
  return db.proxyRequest.count({ where: { shopId, customerId: customerGid, createdAt: { gt: since } } });
}

/** Records the request; a second request with the same signature throws a unique violation. */
export async function recordRedeemRequest(db: Db, shopId: string, customerGid: string, signature: string): Promise<void> {
  await db.proxyRequest.create({ data: { shopId, signature, customerId: customerGid } });
}

/** Scheduled: forgets requests older than the retention. */
export async function forgetOldRedeemRequests(db: Db, now: Date): Promise<number> {
  const { count } = await db.proxyRequest.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - REDEEM_REQUEST_RETENTION_MS) } } });
  return count;
}

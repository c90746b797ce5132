// Shopper redeem requests, kept an hour, for every surface that redeems (the storefront proxy, the
// customer account's Rewards page): each request is served once (replay guard) and a customer gets a
// few attempts a minute, counted across surfaces (rate limit). Data access: Prisma models.
import type { Db, Tx } from "../../platform/db.server";
import { isUniqueViolation } from "../../platform/sql/statements";

/** How long a request is remembered: well past the 90 s a signed proxy URL is good for, and the rate window. */
export const REDEEM_REQUEST_RETENTION_MS = 3_600_000;

/** Redemptions one customer may attempt per minute, whatever the surface. */
export const REDEEM_LIMIT_PER_MINUTE = 5;
const RATE_WINDOW_MS = 60_000;

export type RedeemAdmission = { ok: true } | { ok: false; status: 409; reason: "replayed"; message: string } | { ok: false; status: 429; reason: "rate_limited"; message: string; retryAfterSeconds: number };

export function countRecentRedeemRequests(db: Db | Tx, shopId: string, customerGid: string, since: Date): Promise<number> {
  return db.proxyRequest.count({ where: { shopId, customerId: customerGid, createdAt: { gt: since } } });
}

/**
 * Records the request; a second request with the same key throws a unique violation. `requestKey` is
 * what makes a request unique on its surface: the proxy's signature, the session token's jti with the
 * extension's request id. (The column is named `signature` from when the proxy was the only surface.)
 */
export async function recordRedeemRequest(db: Db | Tx, shopId: string, customerGid: string, requestKey: string): Promise<void> {
  await db.proxyRequest.create({ data: { shopId, signature: requestKey, customerId: customerGid } });
}

/**
 * The gate every redemption passes before `redeemReward`. Counting the last minute's requests and
 * recording this one happen in one transaction that first touches the customer's row (its row lock on
 * PostgreSQL; SQLite runs one writer at a time), so one customer's attempts pass the gate one by one:
 * a burst of 20 admits exactly the limit and refuses the rest, it cannot all slip past a count taken
 * before anything was written. (A shopper with no customer row has no points: nothing to lock, and
 * nothing a burst could win.) Only admitted requests are recorded; Retry-After says when the oldest
 * of them leaves the window.
 */
export async function admitRedeemRequest(db: Db, input: { shopId: string; customerGid: string; requestKey: string; now?: Date }): Promise<RedeemAdmission> {
  const now = input.now ?? new Date();
  const since = new Date(now.getTime() - RATE_WINDOW_MS);
  try {
    return await db.$transaction(async (tx): Promise<RedeemAdmission> => {
      await tx.customer.updateMany({ where: { shopId: input.shopId, shopifyCustomerId: input.customerGid }, data: { updatedAt: now } });
      const recent = await countRecentRedeemRequests(tx, input.shopId, input.customerGid, since);
      if (recent >= REDEEM_LIMIT_PER_MINUTE) {
        const oldest = await tx.proxyRequest.findFirst({ where: { shopId: input.shopId, customerId: input.customerGid, createdAt: { gt: since } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
        const freesAt = (oldest?.createdAt.getTime() ?? now.getTime()) + RATE_WINDOW_MS;
        const retryAfterSeconds = Math.min(RATE_WINDOW_MS / 1000, Math.max(1, Math.ceil((freesAt - now.getTime()) / 1000)));
        return { ok: false, status: 429, reason: "rate_limited", message: "Too many attempts. Please wait a minute and try again.", retryAfterSeconds };
      }
      await recordRedeemRequest(tx, input.shopId, input.customerGid, input.requestKey);
      return { ok: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 409, reason: "replayed", message: "This request was already handled." };
    throw error;
  }
}

/** Scheduled: forgets requests older than the retention. */
export async function forgetOldRedeemRequests(db: Db, now: Date): Promise<number> {
  const { count } = await db.proxyRequest.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - REDEEM_REQUEST_RETENTION_MS) } } });
  return count;
}

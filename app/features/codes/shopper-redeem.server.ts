// A shopper spends points on a reward, from any surface (the storefront proxy, the customer account's
// Rewards page): the gate (each request once, a few attempts a minute per customer across surfaces),
// the redemption (no overdraft: the customer's row lock), then the code created in Shopify while the
// shopper waits. Each surface maps the result to its own answer. Data access: Prisma models.
import type { Db } from "../../platform/db.server";
import { jsonResponse } from "../../platform/http.server";
import { log } from "../../platform/logger.server";
import type { IssuedCode } from "@prisma/client";
import { admitRedeemRequest } from "./redeem-requests.server";
import { redeemReward } from "./codes.server";

export type ShopperRedeemResult = { ok: true; code: IssuedCode; balance: number } | { ok: false; status: number; reason: string; message: string; retryAfterSeconds?: number };

/** Runs the code's creation job now (the worker's claim path, so never twice); throws when it fails or times out. */
export type CreateCodeNow = (shopId: string, jobDedupeKey: string) => Promise<void>;

/** `requestKey`: what makes this request unique on its surface (the proxy's signature; the token's jti with the extension's request id). */
export async function redeemForShopper(db: Db, input: { shopId: string; customerGid: string; rewardId: string; requestKey: string; now?: Date }, createCodeNow: CreateCodeNow): Promise<ShopperRedeemResult> {
  const now = input.now ?? new Date();
  const admission = await admitRedeemRequest(db, { shopId: input.shopId, customerGid: input.customerGid, requestKey: input.requestKey, now });
  if (!admission.ok) return admission;
  const customer = await db.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: input.shopId, shopifyCustomerId: input.customerGid } } });
  if (!customer) return { ok: false, status: 409, reason: "insufficient_points", message: "You have no points yet." };
  const result = await redeemReward(db, { shopId: input.shopId, customerId: customer.id, rewardId: input.rewardId, actor: `shopper:${input.customerGid}`, now });
  if (!result.ok) return result;

  // Created in Shopify now so the code is listed and works at checkout at once; if that fails, the worker retries.
  try {
    await createCodeNow(input.shopId, `code:${result.code.id}`);
    return { ...result, code: await db.issuedCode.findUniqueOrThrow({ where: { id: result.code.id } }) };
  } catch (error) {
    log.warn("inline code creation failed; the worker will retry", { code: result.code.id, error: String(error) });
    return result;
  }
}

/** The answer every surface gives a refused redemption: the reason for the script, the message for the shopper, Retry-After when rate limited. */
export function redeemRefusal(result: Extract<ShopperRedeemResult, { ok: false }>): Response {
  const headers = result.retryAfterSeconds !== undefined ? { "Retry-After": String(result.retryAfterSeconds) } : undefined;
  return jsonResponse({ ok: false, reason: result.reason, message: result.message }, { status: result.status, headers });
}

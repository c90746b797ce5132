// The customer account's Rewards page and profile block (extensions/loyalty-rewards-page,
// extensions/loyalty-profile-block): what they show and the redemption they offer. The customer is the
// one the session token's `sub` names (identity.server.ts); nothing in the URL or body says who.
// Redemption goes through the same gate and the same `redeemReward` as the storefront proxy: one rate
// limit per customer across both surfaces, no overdraft (the customer's row lock), each request once.
// https://shopify.dev/docs/api/customer-account-ui-extensions/latest/targets/full-page
// Data access: Prisma models.
import { z } from "zod";
import prisma from "../db.server";
import { jsonResponse } from "../platform/http.server";
import { log } from "../platform/logger.server";
import { redeemReward } from "../features/codes/codes.server";
import { admitRedeemRequest } from "../features/codes/redeem-requests.server";
import { shopperSummary, type ShopperSummary } from "../features/shopper/summary.server";
import { runJobsNow } from "../worker/run-now.server";
import type { ExtensionIdentity } from "./identity.server";

type CustomerIdentity = ExtensionIdentity & { customerGid: string };

/** What the Rewards page needs besides the shared summary: the shop's currency for reward values, its time zone for end dates. */
export interface AccountSummary extends ShopperSummary {
  currencyCode: string;
  /** Codes end at the end of a day in the shop's time zone: dates are shown in it, or a code could read as ending a day late. */
  timeZone: string;
}

/** The page lists more history than the storefront panel: it has the room. */
const ACCOUNT_HISTORY_LIMIT = 20;

export async function accountSummary(identity: CustomerIdentity): Promise<AccountSummary> {
  const summary = await shopperSummary(identity.shopId, identity.customerGid, { historyLimit: ACCOUNT_HISTORY_LIMIT });
  return { ...summary, currencyCode: identity.currencyCode, timeZone: identity.ianaTimezone };
}

/**
 * `requestId`: a fresh id per click. Shopify's `sessionToken.get()` hands out the same cached token
 * (same `jti`) for minutes, so the token alone cannot tell a second redemption from a replay of the
 * first; the pair can (docs/decisions/023-one-redeem-gate.md).
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/session-token-api
 */
export const accountRedeemBody = z.object({ rewardId: z.string().min(1).max(64), requestId: z.string().uuid() });

export async function accountRedeem(identity: CustomerIdentity, body: z.infer<typeof accountRedeemBody>): Promise<Response> {
  if (!identity.tokenId) return jsonResponse({ ok: false, reason: "invalid_token", message: "Sign in again to redeem." }, 401);
  const now = new Date();
  const admission = await admitRedeemRequest(prisma, { shopId: identity.shopId, customerGid: identity.customerGid, requestKey: `jti:${identity.tokenId}:${body.requestId}`, now });
  if (!admission.ok) {
    const headers = admission.status === 429 ? { "Retry-After": String(admission.retryAfterSeconds) } : undefined;
    return jsonResponse({ ok: false, reason: admission.reason, message: admission.message }, { status: admission.status, headers });
  }
  const customer = await prisma.customer.findUnique({ where: { shopId_shopifyCustomerId: { shopId: identity.shopId, shopifyCustomerId: identity.customerGid } } });
  if (!customer) return jsonResponse({ ok: false, reason: "insufficient_points", message: "You have no points yet." }, 409);
  const result = await redeemReward(prisma, { shopId: identity.shopId, customerId: customer.id, rewardId: body.rewardId, actor: `shopper:${identity.customerGid}`, now });
  if (!result.ok) return jsonResponse({ ok: false, reason: result.reason, message: result.message }, result.status);

  // Created in Shopify now so the code is listed and works at checkout at once; if that fails, the worker retries.
  let status = result.code.status;
  try {
    await runJobsNow(identity.shopId, `code:${result.code.id}`, 8_000);
    status = (await prisma.issuedCode.findUniqueOrThrow({ where: { id: result.code.id } })).status;
  } catch (error) {
    log.warn("inline code creation failed; the worker will retry", { code: result.code.id, error: String(error) });
  }
  return jsonResponse({ ok: true, code: { code: result.code.code, status, endsAt: result.code.endsAt.toISOString() }, summary: await accountSummary(identity) });
}

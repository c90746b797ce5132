// The customer account's Rewards page and profile block (extensions/loyalty-rewards-page,
// extensions/loyalty-profile-block): what they show and the redemption they offer. The customer is the
// one the session token's `sub` names (identity.server.ts); nothing in the URL or body says who.
// Redemption is `redeemForShopper`, as on the storefront proxy: one rate
// limit per customer across both surfaces, no overdraft (the customer's row lock), each request once.
// https://shopify.dev/docs/api/customer-account-ui-extensions/latest/targets/full-page
// Data access: Prisma models.
import { z } from "zod";
import prisma from "../db.server";
import { jsonResponse } from "../platform/http.server";
import { redeemForShopper, redeemRefusal } from "../features/codes/shopper-redeem.server";
import { shopperSummary, type ShopperSummary } from "../features/shopper/summary.server";
import { createCodeNow } from "../worker/run-now.server";
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
  const result = await redeemForShopper(prisma, { shopId: identity.shopId, customerGid: identity.customerGid, rewardId: body.rewardId, requestKey: `jti:${identity.tokenId}:${body.requestId}` }, createCodeNow);
  if (!result.ok) return redeemRefusal(result);
  return jsonResponse({ ok: true, code: { code: result.code.code, status: result.code.status, endsAt: result.code.endsAt.toISOString() }, summary: await accountSummary(identity) });
}

// Shopify Flow's "Adjust loyalty points" runs (extensions/flow-adjust-points, runtime_url). Thin: the
// checks and the adjustment are app/features/flow/adjust-points.server.ts; Shopify's library verifies
// the signature and finds the shop's offline session (authenticate.flow).
import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { authenticate, validateFlowRequest } from "../shopify.server";
import { adjustPoints, adjustPointsRequestSchema } from "../features/flow/adjust-points.server";
import { jsonAnswer, readSignedFlowRequest } from "../features/flow/flow-request.server";
import { getCustomerOrderCount } from "../shopify/customers.server";
import { shopIdByDomain } from "../features/flow/shops.server";

/** Flow waits a few seconds for the answer: the one Admin read (unknown customers only) gets less. */
const CUSTOMER_LOOKUP_TIMEOUT_MS = 2_500;

export const action = async ({ request }: ActionFunctionArgs) => {
  const read = await readSignedFlowRequest(request, validateFlowRequest, adjustPointsRequestSchema, "Flow action run");
  if (!read.ok) return read.response;
  // Signature checked again by the library, which also loads (and if due refreshes) the offline session.
  const { session, admin } = await authenticate.flow(request);
  const shopId = await shopIdByDomain(prisma, session.shop);
  if (!shopId) return jsonAnswer(404, { error: "This shop has not installed the app." });
  const answer = await adjustPoints(
    {
      db: prisma,
      customerInShop: async (gid) => {
        try {
          return (await getCustomerOrderCount(admin.graphql, gid, { timeoutMs: CUSTOMER_LOOKUP_TIMEOUT_MS })) !== null;
        } catch {
          return null;
        }
      },
    },
    shopId,
    read.body,
  );
  return jsonAnswer(answer.status, answer.body);
};

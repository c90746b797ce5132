// The production job context: the app's database and Admin clients from the shops' offline sessions.
import prisma from "../db.server";
import { AdminGraphqlClient, offlineTokens } from "../shopify.server";
import { HttpResponseError, type Session } from "@shopify/shopify-api";
import type { AdminGraphql } from "../shopify/admin-client.server";
import type { JobContext } from "../jobs/job.server";

/** The production job context: the app's database and Admin clients from the shops' offline sessions. */
export function appJobContext(): Omit<JobContext, "onCost"> {
  return {
    db: prisma,
    admin: async (shopDomain) => offlineAdminClient(shopDomain, await offlineTokens.validSession(shopDomain)),
    now: () => new Date(),
    renewOfflineTokens: () => offlineTokens.renewDue(),
  };
}

/**
 * An Admin GraphQL client on the shop's offline session that keeps its token valid: renewed before a
 * call once it is within the refresh margin, and once more if Shopify answers 401 anyway (another
 * process refreshed and Shopify retired this token, or it was revoked: then ReauthorizationRequired).
 * Answers as shopify-app-remix's admin.graphql does (a Response on success, Shopify's errors thrown),
 * so app/shopify/admin-client.server.ts classifies both alike.
 */
function offlineAdminClient(shop: string, initial: Session): AdminGraphql {
  let session = initial;
  const send = async (query: string, options?: { variables?: Record<string, unknown>; signal?: AbortSignal }) => {
    const answer = await new AdminGraphqlClient({ session }).request(query, { variables: options?.variables, signal: options?.signal, retries: 0 });
    return new Response(JSON.stringify(answer));
  };
  return async (query, options) => {
    if (!offlineTokens.isFresh(session)) session = await offlineTokens.validSession(shop);
    try {
      return await send(query, options);
    } catch (error) {
      // `instanceof` alone leaves the generic class's response typed `any`: read it as the default response shape.
      if (!(error instanceof HttpResponseError) || (error as HttpResponseError).response.code !== 401) throw error;
      session = await offlineTokens.validSession(shop, { rejectedAccessToken: session.accessToken });
      return send(query, options);
    }
  };
}

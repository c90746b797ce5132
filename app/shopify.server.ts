// The one place that configures shopifyApp (as in Shopify's app template).
// Data access: Prisma models (sessions through Shopify's PrismaSessionStorage; the shop row after auth).
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PINNED_API_VERSION } from "./shopify/api-version";
import { shopifyApi } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { env } from "./platform/env.server";
import { ensureShop } from "./features/shops/shops.server";
import { enqueueShopSetup } from "./features/shops/lifecycle.server";
import { resumeJobsAfterReauthorization } from "./outbox/outbox.server";
import { createOfflineTokens } from "./shopify/offline-token.server";
import { shopifyLogger } from "./shopify/logger.server";

const config = env();

// Pinned in app/shopify/api-version.ts: the Admin documents are validated against its schema in the tests.
export const apiVersion = PINNED_API_VERSION;

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  logger: shopifyLogger(),
  hooks: {
    // Runs when token exchange stores a new offline session (install, reinstall, new scopes).
    afterAuth: async ({ session }) => {
      await prisma.$transaction(async (tx) => {
        const shop = await ensureShop(tx, session.shop);
        await tx.shop.update({ where: { id: shop.id }, data: { uninstalledAt: null, adminAuthLostAt: null, adminAuthLostReason: null } });
        await enqueueShopSetup(tx, shop.id);
        // A new pair after `invalid_grant`: jobs parked as needs_reauth run again.
        await resumeJobsAfterReauthorization(tx, shop.id);
      });
    },
  },
  future: {
    // Token exchange: no OAuth redirects inside the admin iframe.
    unstable_newEmbeddedAuthStrategy: true,
    // Offline tokens that expire after 60 minutes with a refresh token: required for public apps from
    // 2027-01-01 (docs/decisions/016-expiring-offline-tokens.md).
    expiringOfflineAccessTokens: true,
  },
});

// Shopify's library without the Remix layer, same credentials and version as above, for what runs
// without a request: webhook routes need only Shopify's HMAC and header check (they never call the
// Admin API, so they skip authenticate.webhook's per-delivery session read, docs/decisions/007), and
// background jobs renew offline tokens and build Admin clients through it.
const api = shopifyApi({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES,
  hostName: new URL(config.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: shopifyLogger(LogSeverity.Error),
});

/** Offline tokens for background work, renewed once per expiry across processes. */
export const offlineTokens = createOfflineTokens({
  db: prisma,
  auth: api.auth,
  loadSession: (id) => shopify.sessionStorage.loadSession(id),
  offlineSessionId: (shop) => api.session.getOfflineId(shop),
  refreshMarginMs: config.OFFLINE_TOKEN_REFRESH_MARGIN_SECONDS * 1000,
});
/** Admin GraphQL clients for a shop's offline session (jobs). */
export const AdminGraphqlClient = api.clients.Graphql;

export default shopify;
export const validateWebhook = api.webhooks.validate;
/** The HMAC check of requests Shopify Flow sends (actions, trigger lifecycle callbacks), as authenticate.flow runs it. */
export const validateFlowRequest = api.flow.validate;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

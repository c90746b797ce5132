// The one place that configures shopifyApp (as in Shopify's app template).
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { shopifyApi } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { env } from "./env.server";
import { ensureShop } from "./ledger/shops.server";
import { enqueueShopSetup } from "./jobs/shop-setup.server";
import { shopifyLogger } from "./shopify-logger.server";

const config = env();

// Pinned: the Admin documents are validated against this version's schema in the tests.
export const apiVersion = ApiVersion.October25;

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
        await tx.shop.update({ where: { id: shop.id }, data: { uninstalledAt: null } });
        await enqueueShopSetup(tx, shop.id);
      });
    },
  },
  future: {
    // Token exchange: no OAuth redirects inside the admin iframe.
    unstable_newEmbeddedAuthStrategy: true,
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

// Webhook routes need only Shopify's HMAC and header check: they never call the Admin API, so they
// skip authenticate.webhook's per-delivery session read (docs/decisions/007-webhook-inbox.md). Same
// credentials and version as above; this instance serves nothing else.
const webhookApi = shopifyApi({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES,
  hostName: new URL(config.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: shopifyLogger(LogSeverity.Error),
});

export default shopify;
export const validateWebhook = webhookApi.webhooks.validate;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;

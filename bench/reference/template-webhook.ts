// Reference line "template style" of the webhook benchmark (bench/webhooks.ts): the orders/paid route
// a developer following Shopify's app template would write. The template's webhook routes
// (github.com/Shopify/shopify-app-template-remix, app/routes/webhooks.app.uninstalled.tsx and
// webhooks.app.scopes_update.tsx at 94d6709) are a Remix action that calls
// `authenticate.webhook(request)` (HMAC check, then the shop's offline session loaded from session
// storage and an Admin client built) and then writes with Prisma inside the request before
// `return new Response()`; its shopify.server.ts configures shopifyApp with PrismaSessionStorage.
// Here that shape does the order's points: shop, customer, order row, ledger entry and balance in
// one Prisma transaction, no inbox, no outbox. Deliberately not the app's style (no zod, no SQL
// steps, no campaigns or settings), and without the template's `console.log` per delivery, so
// that the comparison is about where the work happens, not about logging.
//
// Bench only: served by bench/reference/template-build.mjs through the production server's
// express + Remix path (the one the template's remix-serve takes); never part of app/routes.
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { ActionFunctionArgs } from "@remix-run/node";
import prisma from "../../app/db.server";
import { PINNED_API_VERSION } from "../../app/shopify/api-version";

// As the template's app/shopify.server.ts, with the app's credentials and API version.
const shopify = shopifyApp({
  apiKey: process.env.SHOPIFY_API_KEY,
  apiSecretKey: process.env.SHOPIFY_API_SECRET || "",
  apiVersion: PINNED_API_VERSION,
  scopes: process.env.SCOPES?.split(","),
  appUrl: process.env.SHOPIFY_APP_URL || "",
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
});

/** The fields read here; present with and without the subscription's include_fields. */
interface PaidOrder {
  id: number | string;
  name?: string;
  processed_at?: string;
  total_price_set?: { shop_money: { amount: string } };
  customer?: { id: number | string; email?: string | null; first_name?: string | null; last_name?: string | null } | null;
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload, webhookId, topic } = await shopify.authenticate.webhook(request);
  const order = payload as PaidOrder;
  if (!order.customer) return new Response();
  const customer = order.customer;
  const orderGid = `gid://shopify/Order/${order.id}`;
  const points = Math.floor(Number(order.total_price_set?.shop_money.amount ?? 0));
  const now = new Date();

  await prisma.$transaction(async (tx) => {
    const shopRow = await tx.shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: {} });
    const shopifyCustomerId = `gid://shopify/Customer/${customer.id}`;
    const member = await tx.customer.upsert({
      where: { shopId_shopifyCustomerId: { shopId: shopRow.id, shopifyCustomerId } },
      create: { shopId: shopRow.id, shopifyCustomerId, email: customer.email ?? null, firstName: customer.first_name ?? null, lastName: customer.last_name ?? null },
      update: {},
    });
    await tx.orderRecord.create({
      data: {
        shopId: shopRow.id,
        orderId: orderGid,
        orderName: order.name ?? null,
        customerId: member.id,
        processedAt: order.processed_at ? new Date(order.processed_at) : now,
        paidAt: now,
        totalPrice: order.total_price_set?.shop_money.amount ?? null,
        earnOutcome: "earned",
      },
    });
    if (points <= 0) return;
    await tx.ledgerEntry.create({
      data: { shopId: shopRow.id, customerId: member.id, points, kind: "earn", status: "available", availableAt: now, idempotencyKey: `order:${orderGid}:earn`, orderId: orderGid, webhookId, actor: `webhook:${topic}` },
    });
    await tx.customer.update({ where: { id: member.id }, data: { balance: { increment: points }, lifetimeEarned: { increment: points }, lastActivityAt: now } });
  });
  return new Response();
};

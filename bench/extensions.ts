// The checkout and customer-account UI extensions: each bundle's size as Shopify measures it (gzip of
// what `shopify app build` wrote, with esbuild's metafile for what is inside), and the thank-you
// endpoint (POST /extension-api/thank-you) under load against the built app, with session tokens
// signed as Shopify signs them: the applied answer (an order the app has, its customer asking) and the
// preview (an order not applied yet: the earning plan run on the checkout's figures).
import { runLoad, startApp } from "./lib";
import { signedProxyUrl } from "./storefront";
import { createPrismaClient } from "../app/platform/db.server";
import { appendEntries } from "../app/ledger/ledger.server";
import { programSettingsSchema } from "../app/domain/settings";
import { bundleSize, ensureExtensionBundles, uiExtensionHandles } from "../dev/ui-extension-host/build";
import { extensionSessionToken } from "../dev/ui-extension-host/session-token";
import { TEST_API_KEY, TEST_API_SECRET, TEST_SHOP } from "../dev/harness/test-env";

const LIMIT = 64 * 1024;
// A shopper's browser: Shopify's library answers bots (isbot) 410 before anything else.
const SHOPPER_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const CUSTOMERS = 200;

export function extensionBundleSizes(): Record<string, string | number>[] {
  ensureExtensionBundles();
  return uiExtensionHandles().map((handle) => {
    const size = bundleSize(handle);
    const own = size.inputs.filter((i) => !i.path.startsWith("node_modules/")).reduce((s, i) => s + i.bytes, 0);
    return {
      extension: handle,
      "raw bytes": size.raw,
      "gzip bytes": size.gzip,
      "of 64 KB": `${((100 * size.gzip) / LIMIT).toFixed(1)} %`,
      "own code bytes": own,
      "largest input": `${size.inputs[0]?.path} (${size.inputs[0]?.bytes})`,
    };
  });
}

const checkout = (n: number) => ({
  currency: "USD",
  lines: [
    { productId: "gid://shopify/Product/632910392", quantity: 1, amount: "60.00" },
    { productId: `gid://shopify/Product/${632910393 + (n % 5)}`, quantity: 2, amount: "40.00" },
  ],
  orderDiscount: "6.00",
  shipping: "5.00",
  tax: "0.00",
  total: "99.00",
  discountCodes: [],
  isFirstOrder: false,
});

export async function benchThankYou(seconds: number): Promise<Record<string, string | number>[]> {
  const app = await startApp({ LOG_LEVEL: "error", WORKER_MODE: "off" });
  try {
    const db = createPrismaClient(app.databaseUrl);
    const shop = await db.shop.create({ data: { domain: TEST_SHOP } });
    const settings = programSettingsSchema.parse({ pendingDays: 14, welcomeBonusPoints: 100, welcomeCode: { enabled: true } });
    await db.programSettings.create({ data: { shopId: shop.id, version: 1, settings: JSON.stringify(settings), actor: "bench" } });
    await db.campaign.create({ data: { shopId: shop.id, name: "Double points", multiplier: "2", startsAt: new Date(Date.now() - 86_400_000), endsAt: new Date(Date.now() + 86_400_000) } });
    await db.reward.createMany({ data: [500, 800, 1500].map((cost) => ({ shopId: shop.id, name: `${cost} reward`, pointsCost: cost, discountType: "fixed_amount", value: String(cost / 100) })) });
    // Each customer: five applied orders with their entries (the one asked about among them).
    const tokens: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const gid = `gid://shopify/Customer/${70_000 + i}`;
      const c = await db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: gid } });
      for (let k = 0; k < 5; k++) {
        const orderId = `gid://shopify/Order/${9_000_000 + i * 10 + k}`;
        const processedAt = new Date(Date.now() - (5 - k) * 86_400_000);
        await db.orderRecord.create({ data: { shopId: shop.id, orderId, customerId: c.id, orderName: `#${i}-${k}`, processedAt, paidAt: processedAt, totalPrice: "99.00", earnOutcome: "earned" } });
        await db.$transaction((tx) =>
          appendEntries(tx, [
            { shopId: shop.id, customerId: c.id, points: 94, kind: "earn", availableAt: new Date(processedAt.getTime() + 14 * 86_400_000), idempotencyKey: `order:${orderId}:earn`, orderId, actor: "bench" },
            {
              shopId: shop.id,
              customerId: c.id,
              points: 94,
              kind: "campaign_bonus",
              availableAt: new Date(processedAt.getTime() + 14 * 86_400_000),
              idempotencyKey: `order:${orderId}:campaign_bonus`,
              orderId,
              actor: "bench",
            },
          ]),
        );
      }
      tokens.push((await extensionSessionToken({ shop: TEST_SHOP, apiKey: TEST_API_KEY, secret: TEST_API_SECRET, customerGid: gid, ttlSeconds: 600 })).token);
    }
    await db.$disconnect();
    console.log(`seeded ${CUSTOMERS} customers x 5 orders`);
    const url = `${app.url}/extension-api/thank-you`;
    const request = (customer: number, body: unknown) => ({
      url,
      init: {
        method: "POST",
        body: JSON.stringify(body),
        headers: { Authorization: `Bearer ${tokens[customer]!}`, "Content-Type": "application/json", Origin: "https://extensions.shopifycdn.com", "User-Agent": SHOPPER_BROWSER },
      },
    });
    let n = 0;
    const applied = () => {
      const i = n++ % CUSTOMERS;
      return request(i, { orderId: `gid://shopify/OrderIdentity/${9_000_000 + i * 10 + 4}`, checkout: checkout(i) });
    };
    const preview = () => {
      const i = n++ % CUSTOMERS;
      return request(i, { orderId: `gid://shopify/OrderIdentity/${8_000_000 + n}`, checkout: checkout(i) });
    };
    // The reference, same app and run: the storefront's balance through the app proxy (the shopper
    // summary alone, which both thank-you answers include). The machine is shared: compare ratios.
    const proxy = () => ({ url: signedProxyUrl(app.url, "/proxy/balance", 70_000 + (n++ % CUSTOMERS)), init: { headers: { "User-Agent": SHOPPER_BROWSER } } });
    await runLoad(applied, 4, 2);
    await runLoad(preview, 4, 2);
    const rows: Record<string, string | number>[] = [];
    for (const [endpoint, answer, make] of [
      ["POST /extension-api/thank-you", "applied", applied],
      ["POST /extension-api/thank-you", "preview", preview],
      ["GET /apps/loyalty/balance (reference)", "summary", proxy],
    ] as const) {
      for (const concurrency of [1, 10]) {
        const r = await runLoad(make, concurrency, seconds);
        rows.push({ endpoint, answer, callers: concurrency, requests: r.requests, errors: r.errors, "req/s": r.perSecond, "p50 ms": r.p50, "p99 ms": r.p99 });
        console.log(`thank-you ${answer} x${concurrency}: ${r.perSecond.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms errors ${r.errors}`);
      }
    }
    return rows;
  } finally {
    await app.stop();
  }
}

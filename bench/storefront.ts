// Storefront costs: the theme extension's JS/CSS as shoppers download them (gzip), and the app proxy's
// GET /apps/loyalty/balance answer time under load (signed like Shopify signs it).
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createHmac } from "node:crypto";
import { runLoad, startApp, table } from "./lib";
import { createPrismaClient } from "../app/platform/db.server";
import { appendEntries } from "../app/ledger/ledger.server";
import { TEST_API_SECRET, TEST_SHOP } from "../dev/harness/test-env";

const root = path.resolve(import.meta.dirname, "..");

export function extensionAssetSizes(): Record<string, string | number>[] {
  const dir = path.join(root, "extensions/loyalty-theme/assets");
  return readdirSync(dir).map((file) => {
    const bytes = readFileSync(path.join(dir, file));
    return { asset: file, "raw bytes": bytes.length, "gzip bytes": gzipSync(bytes, { level: 9 }).length };
  });
}

export function signedProxyUrl(base: string, pathname: string, customer: number): string {
  const params: Record<string, string> = { shop: TEST_SHOP, path_prefix: "/apps/loyalty", timestamp: String(Math.trunc(Date.now() / 1000)), logged_in_customer_id: String(customer) };
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("");
  const signature = createHmac("sha256", TEST_API_SECRET).update(message).digest("hex");
  return `${base}${pathname}?${new URLSearchParams({ ...params, signature })}`;
}

export async function benchProxy(seconds: number): Promise<Record<string, string | number>[]> {
  const app = await startApp({ LOG_LEVEL: "error", WORKER_MODE: "off" });
  try {
    const db = createPrismaClient(app.databaseUrl);
    const shop = await db.shop.create({ data: { domain: TEST_SHOP } });
    await db.reward.createMany({ data: [500, 800, 1500].map((cost) => ({ shopId: shop.id, name: `${cost} reward`, pointsCost: cost, discountType: "fixed_amount", value: String(cost / 100) })) });
    for (let i = 0; i < 200; i++) {
      const c = await db.customer.create({ data: { shopId: shop.id, shopifyCustomerId: `gid://shopify/Customer/${70_000 + i}` } });
      await db.$transaction((tx) =>
        appendEntries(
          tx,
          Array.from({ length: 10 }, (_, k) => ({ shopId: shop.id, customerId: c.id, points: 50 + k, kind: "manual" as const, availableAt: new Date(), idempotencyKey: `seed:${c.id}:${k}`, actor: "bench" })),
        ),
      );
    }
    await db.$disconnect();
    let n = 0;
    const make = () => ({ url: signedProxyUrl(app.url, "/proxy/balance", 70_000 + (n++ % 200)), init: {} });
    await runLoad(make, 4, 2);
    const rows: Record<string, string | number>[] = [];
    for (const concurrency of [1, 10]) {
      const r = await runLoad(make, concurrency, seconds);
      rows.push({ endpoint: "GET /apps/loyalty/balance", senders: concurrency, requests: r.requests, errors: r.errors, "req/s": r.perSecond, "p50 ms": r.p50, "p99 ms": r.p99 });
      console.log(`proxy balance x${concurrency}: ${r.perSecond.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms`);
    }
    return rows;
  } finally {
    await app.stop();
  }
}

export { table };

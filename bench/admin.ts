// Admin pages at scale: 100,000 customers and 1,000,000 ledger entries (BENCH_ADMIN_CUSTOMERS,
// 10 entries each), then each page opened in Chromium through the embedded path: server response
// time (navigation responseStart) and Largest Contentful Paint. Target LCP < 1 s.
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { startApp, table } from "./lib";
import { createPrismaClient } from "../app/platform/db.server";
import { launchBrowser, newAdminPage } from "../dev/harness/browser";
import { offlineSession, offlineSessionRow } from "../dev/shopify-requests";
import { TEST_API_KEY, TEST_API_SECRET, TEST_SHOP } from "../dev/harness/test-env";

const KINDS = ["earn", "earn", "campaign_bonus", "earn", "redemption", "earn", "manual", "earn", "refund_reversal", "earn"] as const;

async function seed(databaseUrl: string, customers: number): Promise<{ customerId: string; seconds: number }> {
  const started = performance.now();
  const db = createPrismaClient(databaseUrl);
  const s = offlineSession();
  await db.session.create({ data: offlineSessionRow(s) });
  const shop = await db.shop.create({ data: { domain: TEST_SHOP, ianaTimezone: "America/New_York" } });
  await db.reward.create({ data: { shopId: shop.id, name: "$5 off", pointsCost: 500, discountType: "fixed_amount", value: "5.00" } });
  const day = 86_400_000;
  const now = Date.now();
  const batch = 2_000;
  for (let from = 0; from < customers; from += batch) {
    const ids = Array.from({ length: Math.min(batch, customers - from) }, (_, i) => `bench-c-${from + i}`);
    const entries = ids.flatMap((id, i) =>
      KINDS.map((kind, k) => ({
        id: `${id}-e${k}`,
        shopId: shop.id,
        customerId: id,
        points: kind === "redemption" ? -50 : kind === "refund_reversal" ? -5 : 10 + k,
        kind,
        status: "available",
        availableAt: new Date(now - ((from + i + k * 7) % 365) * day),
        createdAt: new Date(now - ((from + i + k * 7) % 365) * day),
        idempotencyKey: `${id}-e${k}`,
        actor: "bench",
      })),
    );
    const sums = new Map<string, number>();
    for (const e of entries) sums.set(e.customerId, (sums.get(e.customerId) ?? 0) + e.points);
    await db.customer.createMany({
      data: ids.map((id, i) => ({
        id,
        shopId: shop.id,
        shopifyCustomerId: `gid://shopify/Customer/${100_000 + from + i}`,
        email: `member${from + i}@example.com`,
        firstName: `Member`,
        lastName: `${from + i}`,
        balance: sums.get(id)!,
        lifetimeEarned: 100,
        lastActivityAt: new Date(now - ((from + i) % 365) * day),
      })),
    });
    await db.ledgerEntry.createMany({ data: entries });
  }
  await db.$disconnect();
  return { customerId: "bench-c-42", seconds: (performance.now() - started) / 1000 };
}

export async function benchAdmin(): Promise<{ rows: Record<string, string | number>[]; note: string }> {
  const customers = Number(process.env.BENCH_ADMIN_CUSTOMERS ?? 100_000);
  const app = await startApp({ LOG_LEVEL: "error", WORKER_MODE: "off" });
  // Launched inside the try: a missing Chromium must not leave the app's server running.
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    browser = await launchBrowser();
    const { customerId, seconds } = await seed(app.databaseUrl, customers);
    console.log(`seeded ${customers} customers and ${customers * KINDS.length} entries in ${seconds.toFixed(0)} s`);
    const token = async () => (await getJwt("test-shop", TEST_API_KEY, TEST_API_SECRET)).token;
    const page = await newAdminPage(browser, { apiKey: TEST_API_KEY, shop: TEST_SHOP, sessionToken: token });
    const rows: Record<string, string | number>[] = [];
    const pages = ["/app", "/app/customers", "/app/customers?sort=balance&direction=desc", `/app/customers/${customerId}`, "/app/campaigns", "/app/codes", "/app/settings"];
    for (const path of pages) {
      const samples: { response: number; lcp: number }[] = [];
      for (let run = 0; run < 3; run++) {
        const params = new URLSearchParams({ embedded: "1", shop: TEST_SHOP, host: Buffer.from("admin.shopify.com/store/test-shop").toString("base64url"), id_token: await token() });
        const url = `${app.url}${path}${path.includes("?") ? "&" : "?"}${params}`;
        await page.goto(url, { waitUntil: "load" });
        const metrics = await page.evaluate(
          () =>
            new Promise<{ response: number; lcp: number }>((resolve) => {
              const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
              new PerformanceObserver((list) => {
                const entries = list.getEntries();
                resolve({ response: nav.responseStart - nav.requestStart, lcp: entries[entries.length - 1]!.startTime });
              }).observe({ type: "largest-contentful-paint", buffered: true });
            }),
        );
        samples.push(metrics);
      }
      samples.sort((a, b) => a.lcp - b.lcp);
      const median = samples[1]!;
      rows.push({ page: path.split("?")[0]!.replace(customerId, ":id") + (path.includes("sort=") ? " (sorted by balance)" : ""), "server response ms": median.response, "LCP ms": median.lcp });
      console.log(`${path}: response ${median.response.toFixed(0)} ms, LCP ${median.lcp.toFixed(0)} ms`);
    }
    return { rows, note: `${customers.toLocaleString("en-US")} customers, ${(customers * KINDS.length).toLocaleString("en-US")} ledger entries (SQLite), median of 3 loads each, Chromium 1280x900` };
  } finally {
    await browser?.close();
    await app.stop();
  }
}

export { table };
